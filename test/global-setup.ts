import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
// Relative imports: Jest's module mapper does not apply to the global setup.
import { buildBundle } from '../apps/worker/src/bundle';
import { startIsolatedStack } from '../packages/stack/src/isolated';
import { ensureS3 } from '../packages/stack/src/s3';
import { TEST_ENV_FILE } from './env-file';

/**
 * Starts the real stack once for the integration suite: Postgres (DATABASE_URL or
 * embedded) with a fresh `vigil_test_<pid>` database, and Temporal (TEMPORAL_ADDRESS or
 * the CLI dev server), and S3 (S3_BUCKET, or a local versitygw with its data in a folder of
 * .data removed at the end), and prebuilds the workflow bundle that every test worker shares.
 */
export default async function globalSetup(): Promise<void> {
  // Test workers inherit this, so they find this run's env file.
  process.env.VIGIL_TEST_RUN = String(process.pid);
  const dataDir = resolve(__dirname, '../.data');
  mkdirSync(dataDir, { recursive: true });
  const log = (line: string) => process.stderr.write(`[stack] ${line}\n`);
  const started = Date.now();
  // One stack per jest run (by pid), so concurrent runs never share a database.
  const stack = await startIsolatedStack({ dataDir, name: `test-${process.pid}`, log });
  const { pg, temporal } = stack;
  const s3 = await ensureS3({ dataDir, name: `test-${process.pid}-s3`, bucket: 'vigil-test', log });
  const disposeStack = stack.dispose;
  const dispose = async () => {
    await s3.stop().catch(() => undefined);
    if (s3.local) rmSync(resolve(dataDir, `test-${process.pid}-s3`), { recursive: true, force: true });
    await disposeStack();
  };
  const { code } = await buildBundle();
  const bundlePath = resolve(dataDir, `test-workflow-bundle-${process.pid}.js`);
  writeFileSync(bundlePath, code);
  const env = {
    databaseUrl: pg.url,
    temporalAddress: temporal.address,
    temporalCliPath: temporal.cliPath,
    bundlePath,
    s3: { ...s3.env, local: s3.local, accessLog: s3.accessLog },
  };
  writeFileSync(TEST_ENV_FILE, JSON.stringify(env, null, 2));
  (globalThis as Record<string, unknown>).__vigilStack = { ...stack, dispose };
  log(
    `stack ready in ${Date.now() - started} ms (postgres ${pg.embedded ? 'embedded' : 'external'}, temporal ${temporal.address}, s3 ${s3.endpoint ?? 'S3_BUCKET'})`,
  );
}
