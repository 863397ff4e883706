module.exports = { ...require('../../jest.preset.cjs'), displayName: 'erp-kit' };
