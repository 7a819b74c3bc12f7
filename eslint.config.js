// Type-aware lint for the promise rules that matter in actors: an unawaited promise is a lost
// message (no-floating-promises), and an async callback where a sync one is expected loses errors.
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      '**/node_modules/**',
      'libs/proto/gen/**',
      'libs/proto/v1.ts',
      'libs/client/gen/**',
      'libs/client/dist/**',
      'deploy/**',
    ],
  },
  {
    files: ['**/*.ts'],
    extends: [tseslint.configs.base],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': [
        'error',
        { allowForKnownSafeCalls: [{ from: 'package', package: 'node:test', name: ['test', 'describe', 'it', 'suite'] }] },
      ],
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': ['error', { considerDefaultExhaustiveForUnions: true }],
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // The client package (@kademlia-actors/client) is built and installed on its own: nothing
    // outside its folder, and none of the node's dependencies.
    files: ['libs/client/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: ['../*', 'pino', '@grpc/proto-loader', '@grpc/reflection', '@nats-io/*', 'classic-level', 'protobufjs', '@noble/*'] },
      ],
    },
  },
  {
    files: ['libs/kademlia/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: ['node:*', 'pino', '@grpc/*', '@nats-io/*'] }],
      'no-restricted-globals': ['error', 'setTimeout', 'setInterval', 'process'],
      'no-restricted-properties': [
        'error',
        { object: 'Date', property: 'now', message: 'the core takes time as a parameter' },
        { object: 'Math', property: 'random', message: 'the core takes randomness as a parameter' },
      ],
    },
  },
);
