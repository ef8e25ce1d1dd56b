/**
 * Jest runs TypeScript through SWC; `tsc` only typechecks.
 * Two projects: `unit` (pure rules, no services) and `integration`
 * (`*.int.test.ts`, against real Postgres and a real Temporal server that
 * the global setup starts through the stack launcher).
 */
const swc = [
  '@swc/jest',
  { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'commonjs' } },
];
const shared = {
  testEnvironment: 'node',
  roots: ['<rootDir>/packages', '<rootDir>/apps', '<rootDir>/test'],
  transform: { '^.+\\.ts$': swc },
  moduleNameMapper: {
    '^@vigil/kernel/(.*)$': '<rootDir>/packages/kernel/src/$1',
    '^@vigil/domains/(.*)$': '<rootDir>/packages/domains/src/$1',
    '^@vigil/stack$': '<rootDir>/packages/stack/src/index.ts',
    '^@vigil/stack/(.*)$': '<rootDir>/packages/stack/src/$1',
  },
};

/** @type {import('jest').Config} */
module.exports = {
  testTimeout: 120000,
  maxWorkers: 2,
  projects: [
    {
      ...shared,
      displayName: 'unit',
      testMatch: ['**/*.test.ts'],
      testPathIgnorePatterns: [
        '\\.int\\.test\\.ts$',
        '\\.fault\\.test\\.ts$',
        '\\.cluster\\.test\\.ts$',
        '/node_modules/',
      ],
    },
    {
      ...shared,
      displayName: 'integration',
      testMatch: ['**/*.int.test.ts'],
      globalSetup: '<rootDir>/test/global-setup.ts',
      globalTeardown: '<rootDir>/test/global-teardown.ts',
    },
  ],
};
