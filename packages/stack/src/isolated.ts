import { rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { dropDatabase, recreateDatabase } from './databases';
import { runMigrations } from './migrate';
import { ensurePostgres } from './postgres';
import { ensureTemporal } from './temporal';

/**
 * A throwaway stack for tests and benchmarks: a fresh, migrated database (on
 * DATABASE_URL's server, or an embedded one) and Temporal (TEMPORAL_ADDRESS, or
 * the CLI dev server on free ports). Give each concurrent run its own name.
 */
export async function startIsolatedStack(opts: {
  dataDir: string;
  name: string;
  log?: (line: string) => void;
  /** A URL on the Postgres server to use (default DATABASE_URL; none: an embedded server). */
  databaseUrl?: string;
  /** The Temporal frontend to use (default TEMPORAL_ADDRESS; none: the CLI dev server). */
  temporalAddress?: string;
}) {
  const database = `vigil_${opts.name.replace(/\W/g, '_')}`;
  const serverUrl = opts.databaseUrl ?? process.env.DATABASE_URL;
  let databaseUrl: string | undefined;
  if (serverUrl) {
    const u = new URL(serverUrl);
    u.pathname = `/${database}`;
    databaseUrl = u.toString();
  }
  const pg = await ensurePostgres({
    databaseUrl,
    dataDir: opts.dataDir,
    name: `${opts.name}-pg`,
    database,
    log: opts.log,
  });
  await recreateDatabase(pg.url);
  await runMigrations(pg.url);
  const temporal = await ensureTemporal({
    address: opts.temporalAddress ?? process.env.TEMPORAL_ADDRESS,
    dataDir: opts.dataDir,
    namespace: 'default',
    log: opts.log,
  });
  /** Stops both and removes what this run created (the embedded data folder, or the database). */
  const dispose = async () => {
    await temporal.stop().catch(() => undefined);
    if (pg.embedded) {
      await pg.stop().catch(() => undefined);
      rmSync(resolve(opts.dataDir, `${opts.name}-pg`), { recursive: true, force: true });
    } else {
      await dropDatabase(pg.url).catch(() => undefined);
    }
  };
  return { pg, temporal, dispose };
}
