import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
// Relative imports: Jest's module mapper does not apply to the global setup.
import { startCluster } from '../../packages/stack/src/cluster';
import { TEST_ENV_FILE } from '../env-file';
import globalSetup from '../global-setup';

/**
 * Starts the production-topology Temporal (server binary, Postgres persistence and SQL
 * visibility, schemas and search attributes set up as docker-compose does) on DATABASE_URL's
 * server or an embedded one, then the usual integration setup against it: Vigil's test
 * database on the same Postgres server, TEMPORAL_ADDRESS pointing at the cluster.
 */
export default async function clusterSetup(): Promise<void> {
  const log = (line: string) => process.stderr.write(`[cluster] ${line}\n`);
  const cluster = await startCluster({
    dataDir: resolve(__dirname, '../../.data'),
    name: `cluster-${process.pid}`,
    databaseUrl: process.env.DATABASE_URL,
    log,
  });
  (globalThis as Record<string, unknown>).__vigilCluster = cluster;
  process.env.TEMPORAL_ADDRESS = cluster.address;
  process.env.DATABASE_URL ??= cluster.postgresUrl;
  await globalSetup();
  // Tests that query through the CLI (as an operator would) use the one that registered the attributes.
  const env = JSON.parse(readFileSync(TEST_ENV_FILE, 'utf8')) as Record<string, unknown>;
  writeFileSync(TEST_ENV_FILE, JSON.stringify({ ...env, temporalCliPath: cluster.cliPath }, null, 2));
}
