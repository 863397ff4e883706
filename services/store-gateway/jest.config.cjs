module.exports = { ...require('../../jest.preset.cjs'), displayName: 'store-gateway' };
