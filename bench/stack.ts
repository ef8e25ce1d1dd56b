import { randomUUID } from 'node:crypto';
import { resolve } from 'node:path';
import { DefaultLogger, Runtime, type Worker } from '@temporalio/worker';
import type { AppDeps } from '@vigil/domains/deps';
import { bootstrapWorkspace } from '@vigil/domains/people/access';
import { createMember } from '@vigil/domains/people/service';
import { createTeam } from '@vigil/domains/people/teams';
import { registerDomains } from '@vigil/domains/registry';
import * as schema from '@vigil/domains/schema';
import { systemContext } from '@vigil/kernel/auth';
import { loadConfig } from '@vigil/kernel/config';
import { createDatabase, createPool } from '@vigil/kernel/db';
import { Effects } from '@vigil/kernel/effects';
import { createLogger } from '@vigil/kernel/logger';
import { closeTemporal, connectTemporal } from '@vigil/kernel/temporal';
import { startCluster, startIsolatedStack } from '@vigil/stack';
import { buildBundle } from '../apps/worker/src/bundle';
import { createWorker } from '../apps/worker/src/worker';

/** A real stack for a benchmark run: its own database, Temporal, one in-process worker. */
export async function benchStack(
  opts: {
    workflowsPath?: string;
    extraActivities?: Record<string, (...args: never[]) => Promise<unknown>>;
    /** Run on the production topology (packages/stack/src/cluster.ts) instead of the CLI dev server. */
    cluster?: boolean;
    /** Extra configuration for the stack's deps and worker (e.g. S3_* for a storage endpoint). */
    env?: Record<string, string>;
  } = {},
) {
  Runtime.install({ logger: new DefaultLogger('WARN') });
  const dataDir = resolve(__dirname, '../.data');
  const log = (line: string) => console.log(`[stack] ${line}`);
  // The cluster's Postgres server also holds the benchmark's database, as in docker-compose.
  const cluster = opts.cluster
    ? await startCluster({
        dataDir,
        name: `bench-${process.pid}-cluster`,
        databaseUrl: process.env.DATABASE_URL,
        log,
      })
    : null;
  const { pg, temporal, dispose } = await startIsolatedStack({
    dataDir,
    name: `bench-${process.pid}`,
    databaseUrl: cluster ? (process.env.DATABASE_URL ?? cluster.postgresUrl) : undefined,
    temporalAddress: cluster?.address,
  });
  const taskQueue = `bench-${randomUUID()}`;
  const pool = createPool({ url: pg.url, max: 20, taskQueue });
  const db = createDatabase(pool, schema);
  const handle = await connectTemporal({ address: temporal.address, namespace: 'default', taskQueue });
  const config = loadConfig({
    DATABASE_URL: pg.url,
    TEMPORAL_ADDRESS: temporal.address,
    TEMPORAL_TASK_QUEUE: taskQueue,
    LOG_LEVEL: 'warn',
    ...opts.env,
  });
  const deps: AppDeps = { db, pool, temporal: handle, config, log: createLogger('warn', 'bench') };
  registerDomains();
  const { code } = await buildBundle(opts.workflowsPath);
  const workers: Array<{ worker: Worker; run: Promise<void>; close(): Promise<void> }> = [];
  const startWorker = async () => {
    const w = await createWorker(deps, {
      address: temporal.address,
      namespace: 'default',
      taskQueue,
      bundleCode: code,
      extraActivities: opts.extraActivities,
    });
    workers.push({ worker: w.worker, run: w.worker.run(), close: () => w.connection.close() });
  };
  await startWorker();
  const ws = await bootstrapWorkspace(db, { name: 'bench', adminEmail: 'bench@bench.test' });
  return {
    deps,
    taskQueue,
    workspace: ws,
    bundleCode: code,
    async close() {
      for (const w of workers) {
        w.worker.shutdown();
        await w.run;
        await w.close();
      }
      await closeTemporal(handle);
      await pool.end();
      await dispose();
      await cluster?.stop();
    },
  };
}

export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  if (!sorted.length) return Number.NaN;
  const idx = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[idx] as number;
}

/** A team lead, a member who reports to them, and their team, in the bench workspace. */
export async function leadAndOwner(stack: Awaited<ReturnType<typeof benchStack>>) {
  const { deps, workspace } = stack;
  const ws = workspace.workspace.id;
  const ctx = { ...systemContext(ws), memberId: workspace.admin.id, via: 'TOKEN' as const };
  const fx = new Effects();
  const lead = await createMember(deps.db, ctx, fx, { name: 'Lead', email: 'lead@bench.test' });
  const owner = await createMember(deps.db, ctx, fx, {
    name: 'Owner',
    email: 'owner@bench.test',
    manager_id: lead.id,
  });
  const team = await createTeam(deps.db, ctx, fx, {
    name: 'Bench',
    lead_id: lead.id,
    member_ids: [lead.id, owner.id],
  });
  return { ws, ctx, lead, owner, team };
}
