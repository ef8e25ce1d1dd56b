import { type Config, requireResolved } from '@vigil/kernel/config';
import { createDatabase, createPool } from '@vigil/kernel/db';
import { createLogger } from '@vigil/kernel/logger';
import { closeTemporal, connectTemporal } from '@vigil/kernel/temporal';
import type { AppDeps } from './deps';
import * as schema from './schema';

/** Builds the shared dependencies for a process (API, worker or admin CLI). */
export async function createDeps(
  config: Config,
  name: string,
): Promise<AppDeps & { close(): Promise<void> }> {
  const resolved = requireResolved(config);
  const log = createLogger(config.LOG_LEVEL, name);
  const pool = createPool({
    url: resolved.DATABASE_URL,
    max: config.DATABASE_POOL_MAX,
    statementTimeoutMs: config.DATABASE_STATEMENT_TIMEOUT_MS,
    applicationName: `vigil-${name}`,
    taskQueue: config.TEMPORAL_TASK_QUEUE,
  });
  const db = createDatabase(pool, schema);
  const temporal = await connectTemporal({
    address: resolved.TEMPORAL_ADDRESS,
    namespace: config.TEMPORAL_NAMESPACE,
    taskQueue: config.TEMPORAL_TASK_QUEUE,
  });
  return {
    db,
    pool,
    temporal,
    config,
    log,
    close: async () => {
      await closeTemporal(temporal);
      await pool.end().catch(() => undefined);
    },
  };
}
