import { readFileSync, rmSync } from 'node:fs';
import { TEST_ENV_FILE } from './env-file';

export default async function globalTeardown(): Promise<void> {
  const stack = (globalThis as Record<string, unknown>).__vigilStack as
    | { dispose(): Promise<void> }
    | undefined;
  await stack?.dispose();
  try {
    const { bundlePath } = JSON.parse(readFileSync(TEST_ENV_FILE, 'utf8')) as { bundlePath: string };
    rmSync(bundlePath, { force: true });
  } catch {
    // nothing to clean
  }
  rmSync(TEST_ENV_FILE, { force: true });
}
