module.exports = { ...require('../../jest.preset.cjs'), displayName: 'pipeline-demo' };
