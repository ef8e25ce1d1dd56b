import { mkdirSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
// Relative imports: Jest's module mapper does not apply to the global setup.
import { buildBundle } from '../apps/worker/src/bundle';
import { runMigrations } from '../packages/stack/src/migrate';
import { ensurePostgres, recreateDatabase } from '../packages/stack/src/postgres';
import { ensureTemporal } from '../packages/stack/src/temporal';

import { TEST_ENV_FILE } from './env-file';

/**
 * Starts the real stack once for the integration suite: Postgres (DATABASE_URL or
 * embedded) with a fresh `vigil_test` database, and Temporal (TEMPORAL_ADDRESS or
 * the CLI dev server), and prebuilds the workflow bundle that every test worker shares.
 */
export default async function globalSetup(): Promise<void> {
  const dataDir = resolve(__dirname, '../.data');
  mkdirSync(dataDir, { recursive: true });
  const log = (line: string) => process.stderr.write(`[stack] ${line}\n`);
  const started = Date.now();
  let databaseUrl: string | undefined;
  if (process.env.DATABASE_URL) {
    const u = new URL(process.env.DATABASE_URL);
    u.pathname = '/vigil_test';
    databaseUrl = u.toString();
  }
  const pg = await ensurePostgres({ databaseUrl, dataDir, name: 'test-pg', database: 'vigil_test', log });
  await recreateDatabase(pg.url);
  await runMigrations(pg.url);
  const temporal = await ensureTemporal({
    address: process.env.TEMPORAL_ADDRESS,
    dataDir,
    namespace: 'default',
    log,
  });
  const { code } = await buildBundle();
  const bundlePath = resolve(dataDir, 'test-workflow-bundle.js');
  writeFileSync(bundlePath, code);
  const env = {
    databaseUrl: pg.url,
    temporalAddress: temporal.address,
    temporalCliPath: temporal.cliPath,
    bundlePath,
  };
  writeFileSync(TEST_ENV_FILE, JSON.stringify(env, null, 2));
  (globalThis as Record<string, unknown>).__vigilStack = { pg, temporal };
  log(
    `stack ready in ${Date.now() - started} ms (postgres ${pg.embedded ? 'embedded' : 'external'}, temporal ${temporal.address})`,
  );
}
