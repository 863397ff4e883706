import nx from '@nx/eslint-plugin';

const processEnv = {
  object: 'process',
  property: 'env',
  message: 'Read settings only in a config/ module (STYLE.md §1, §6): inject the typed config instead.',
};

export default [
  ...nx.configs['flat/base'],
  ...nx.configs['flat/typescript'],
  { ignores: ['**/node_modules/**', '**/dist/**', 'tmp/**', 'deploy/local/.state/**', '**/*.cjs', '**/*.mjs'] },
  {
    files: ['**/*.ts'],
    rules: {
      '@nx/enforce-module-boundaries': [
        'error',
        {
          enforceBuildableLibDependency: false,
          allow: [],
          depConstraints: [
            // Test files may also use the harness and the sandboxes; no-restricted-imports keeps both out of src.
            { sourceTag: 'type:service', onlyDependOnLibsWithTags: ['type:lib', 'type:testing', 'type:sandbox'] },
            { sourceTag: 'type:sandbox', onlyDependOnLibsWithTags: ['type:lib', 'type:testing', 'type:sandbox'] },
            { sourceTag: 'type:lib', onlyDependOnLibsWithTags: ['type:lib', 'type:testing', 'type:sandbox'] },
            { sourceTag: 'type:testing', onlyDependOnLibsWithTags: ['type:lib', 'type:sandbox'] },
            { sourceTag: 'scope:shared', onlyDependOnLibsWithTags: ['scope:shared', 'type:sandbox'] },
          ],
        },
      ],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-imports': [
        'error',
        {
          paths: [
            { name: 'kafkajs', message: 'Only libs/messaging talks to Kafka: use OutboxWriter and ConsumerRunner.' },
            { name: '@ledgerline/testing', message: '@ledgerline/testing is for test files only.' },
          ],
          patterns: [
            { group: ['@ledgerline/*/src/*', '@ledgerline/*/src'], message: 'Import a lib through its entry point.' },
            { group: ['@ledgerline/sandbox-*'], message: 'Sandboxes stand in for vendors in tests only; production code talks to the vendor through its client.' },
          ],
        },
      ],
      'no-restricted-properties': ['error', processEnv],
    },
  },
  {
    files: ['libs/messaging/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: '@ledgerline/testing', message: '@ledgerline/testing is for test files only.' }],
          patterns: [{ group: ['@ledgerline/sandbox-*'], message: 'Sandboxes are for tests only.' }],
        },
      ],
    },
  },
  {
    // Test files, benchmarks, the test harness and config modules may read the environment and use the harness.
    files: ['**/*.spec.ts', '**/*.int-spec.ts', '**/test/**/*.ts', '**/bench/**/*.ts', 'libs/testing/**/*.ts', '**/config/**/*.ts'],
    rules: { 'no-restricted-properties': 'off', 'no-restricted-imports': ['error', { paths: [{ name: 'kafkajs', message: 'Only libs/messaging talks to Kafka.' }] }] },
  },
  {
    files: ['libs/messaging/**/*.spec.ts', 'libs/messaging/test/**/*.ts', 'libs/messaging/bench/**/*.ts', 'libs/testing/**/*.ts'],
    rules: { 'no-restricted-imports': 'off' },
  },
];
