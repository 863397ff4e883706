module.exports = { ...require('../../jest.preset.cjs'), displayName: 'connector-fortnox' };
