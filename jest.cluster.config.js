/**
 * The cluster suite (`npm run test:cluster`): the engine and escalation integration tests,
 * plus test/cluster/ (two worker and two API processes on one task queue), against the
 * production topology: the Temporal server with Postgres persistence and SQL visibility
 * (packages/stack/src/cluster.ts) instead of the CLI dev server.
 */
const base = require('./jest.config.js');
const integration = base.projects[1];

/** @type {import('jest').Config} */
module.exports = {
  testTimeout: 180000,
  maxWorkers: 2,
  transform: integration.transform,
  moduleNameMapper: integration.moduleNameMapper,
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['<rootDir>/test/engine/*.int.test.ts', '<rootDir>/test/cluster/*.cluster.test.ts'],
  globalSetup: '<rootDir>/test/cluster/global-setup.ts',
  globalTeardown: '<rootDir>/test/cluster/global-teardown.ts',
};
