/**
 * The fault suite (`npm run test:faults`): it starts its own Postgres, Temporal, recorders
 * and supervised worker processes, then kills and stops them (see test/faults/).
 */
const base = require('./jest.config.js');
const shared = base.projects[0];

/** @type {import('jest').Config} */
module.exports = {
  testTimeout: 600000,
  maxWorkers: 1,
  transform: shared.transform,
  moduleNameMapper: shared.moduleNameMapper,
  testEnvironment: 'node',
  roots: ['<rootDir>/test/faults'],
  testMatch: ['**/*.fault.test.ts'],
};
