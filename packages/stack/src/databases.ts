import { Client } from 'pg';

/** Runs `fn` on the `postgres` maintenance database of the URL's server, with the URL's database name. */
export async function onServer(
  url: string,
  fn: (client: Client, dbName: string) => Promise<void>,
): Promise<void> {
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

/**
 * Creates `name` as a copy of the URL's (migrated, otherwise unused) database and returns
 * its URL: each integration test file gets a database of its own in a fraction of a second,
 * so its relays and sweeps never see another file's rows. Retries while another copy of the
 * same template is being made (SQLSTATE 55006).
 */
export async function cloneDatabase(templateUrl: string, name: string): Promise<string> {
  for (let attempt = 1; ; attempt++) {
    try {
      await onServer(templateUrl, async (client, template) => {
        await client.query(
          `CREATE DATABASE ${client.escapeIdentifier(name)} TEMPLATE ${client.escapeIdentifier(template)}`,
        );
      });
      break;
    } catch (err) {
      if ((err as { code?: string }).code !== '55006' || attempt >= 50) throw err;
      await new Promise((r) => setTimeout(r, 100 + Math.random() * 200));
    }
  }
  const url = new URL(templateUrl);
  url.pathname = `/${name}`;
  return url.toString();
}
