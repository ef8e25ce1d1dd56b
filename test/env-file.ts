import { resolve } from 'node:path';

/** Written by the global setup, read by each test file's harness. */
export const TEST_ENV_FILE = resolve(__dirname, '../.data/test-env.json');
