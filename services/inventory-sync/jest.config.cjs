module.exports = { ...require('../../jest.preset.cjs'), displayName: 'inventory-sync' };
