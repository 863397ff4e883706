// @ledgerline/testing: the harness of every integration test (test files only, see eslint.config.mjs).
export { testInfra, type TestInfra } from './infra';
export { createTestDatabase, type TestDatabase } from './database';
export { uniqueSuffix } from './unique';
export { createTopics, readTopic, type ReadMessage } from './kafka';
export { eventually, type EventuallyOptions } from './eventually';
