import { resolve } from 'node:path';

/**
 * Written by the global setup, read by each test file's harness. Jest workers are
 * children of the process that ran the global setup, so the parent pid names the run.
 */
export const TEST_ENV_FILE = resolve(
  __dirname,
  `../.data/test-env-${process.env.VIGIL_TEST_RUN ?? process.pid}.json`,
);
