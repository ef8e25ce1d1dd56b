import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { escalations, tickets } from '@vigil/domains/escalation/schema';
import { relayWorkflowCommands } from '@vigil/domains/obligations/commands';
import { bootstrapWorkspace } from '@vigil/domains/people/access';
import { registerDomains } from '@vigil/domains/registry';
import * as schema from '@vigil/domains/schema';
import { loadConfig } from '@vigil/kernel/config';
import { createDatabase, createPool } from '@vigil/kernel/db';
import { newId } from '@vigil/kernel/ids';
import { createLogger } from '@vigil/kernel/logger';
import { closeTemporal, connectTemporal } from '@vigil/kernel/temporal';
import { startIsolatedStack } from '@vigil/stack';
import { and, eq, sql } from 'drizzle-orm';
import { buildBundle } from '../apps/worker/src/bundle';
import { WORKER_NODE_FLAGS } from '../apps/worker/src/node-options';
import { percentile } from './stack';

const ROOT = resolve(__dirname, '..');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Resident memory (MB) and CPU time so far (ms) of a process, from /proc. */
function usage(pid: number): { rssMb: number; cpuMs: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const rssKb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
  const ticks = Number(fields[11] ?? 0) + Number(fields[12] ?? 0);
  return { rssMb: Math.round(rssKb / 1024), cpuMs: (ticks * 1000) / 100 };
}

/** The Temporal dev server listening on this port (its RSS is reported too). */
function serverPid(address: string): number | null {
  const port = address.split(':').pop();
  try {
    const out = execFileSync('pgrep', ['-f', `start-dev.*--port ${port}`], { encoding: 'utf8' });
    return Number(out.trim().split('\n')[0]) || null;
  } catch {
    return null;
  }
}

/**
 * 20,000 obligations sleeping (tickets whose one-level ladder falls due over the next hours),
 * run by a worker in its own process (the production entry point). Reports the worker's and
 * the Temporal server's RSS, the worker's CPU over 60 idle seconds, and the wake-up lag of 200
 * obligations that fall due during the bench, one every 300 ms (deadline to escalation row), against the same
 * figures with no obligations (the baseline, measured first in the same run).
 */
export async function soak(args: string[]): Promise<void> {
  registerDomains();
  const n = Number(args[0] ?? 20_000);
  const sampled = Math.min(200, n);
  const stack = await startIsolatedStack({ dataDir: resolve(ROOT, '.data'), name: `soak-${process.pid}` });
  const taskQueue = `soak-${process.pid}`;
  const pool = createPool({ url: stack.pg.url, max: 10, taskQueue });
  const db = createDatabase(pool, schema);
  const temporal = await connectTemporal({
    address: stack.temporal.address,
    namespace: 'default',
    taskQueue,
  });
  const config = loadConfig({
    DATABASE_URL: stack.pg.url,
    TEMPORAL_ADDRESS: stack.temporal.address,
    LOG_LEVEL: 'warn',
  });
  const deps = { db, pool, temporal, config, log: createLogger('warn', 'soak') };
  const bundlePath = resolve(ROOT, '.data', `soak-bundle-${process.pid}.js`);
  writeFileSync(bundlePath, (await buildBundle()).code);
  const worker: ChildProcess = spawn(
    process.execPath,
    [...WORKER_NODE_FLAGS, '--require', 'tsx/cjs', resolve(ROOT, 'apps/worker/src/main.ts')],
    {
      cwd: ROOT,
      env: {
        ...process.env,
        DATABASE_URL: stack.pg.url,
        TEMPORAL_ADDRESS: stack.temporal.address,
        TEMPORAL_TASK_QUEUE: taskQueue,
        VIGIL_WORKFLOW_BUNDLE: bundlePath,
        LOG_LEVEL: 'warn',
      },
      stdio: ['ignore', 'ignore', 'inherit'],
    },
  );
  const pid = worker.pid ?? 0;
  const tpid = serverPid(stack.temporal.address);
  const report = (label: string) => {
    const w = usage(pid);
    const t = tpid ? usage(tpid) : null;
    console.log(
      `soak: ${label}: worker RSS ${w.rssMb} MB, Temporal server RSS ${t ? `${t.rssMb} MB` : 'n/a'}`,
    );
    return { w, t };
  };
  const idleCpu = async (label: string) => {
    const a = usage(pid).cpuMs;
    await sleep(60_000);
    const pct = ((usage(pid).cpuMs - a) / 60_000) * 100;
    console.log(`soak: ${label}: worker CPU over 60 s idle ${pct.toFixed(2)}% of one core`);
    return pct;
  };
  try {
    const boot = await bootstrapWorkspace(db, { name: 'soak', adminEmail: 'soak@bench.test' });
    const ws = boot.workspace.id;
    await sleep(10_000);
    const base = report('baseline (no obligations)');
    const baseCpu = await idleCpu('baseline');

    // The sleepers: due spread over the next 6 hours; the sampled ones fall due during the bench.
    const now = Date.now();
    const wakeAt = (i: number) => now + 3_600_000 + (i * 6 * 3_600_000) / n;
    const t0 = Date.now();
    for (let i = 0; i < n; i += 1000) {
      await db.insert(tickets).values(
        Array.from({ length: Math.min(1000, n - i) }, (_, j) => ({
          id: newId(),
          workspaceId: ws,
          title: `Soak ${i + j}`,
          status: 'OPEN' as const,
          ladderSource: 'OWN',
          ladder: [
            {
              level: 'L1' as const,
              after: 'PT1S',
              target: { type: 'CXO' as const },
              channels: ['log' as const],
            },
          ],
          createdAt: new Date(wakeAt(i + j)),
        })),
      );
    }
    let started = 0;
    for (let pass = await relayWorkflowCommands(deps); pass.claimed; pass = await relayWorkflowCommands(deps))
      started += pass.started + pass.signalled;
    console.log(`soak: ${n} obligations started in ${Date.now() - t0} ms (${started} starts here)`);
    // The worker runs each new workflow's first task (it arms the timer) after its start: idle
    // is measured once that backlog is drained, i.e. its CPU stays under 5% for 10 s.
    const settled = Date.now();
    for (let quiet = 0; quiet < 2 && Date.now() - settled < 15 * 60_000; ) {
      const a = usage(pid).cpuMs;
      await sleep(5000);
      quiet = (usage(pid).cpuMs - a) / 5000 < 0.05 ? quiet + 1 : 0;
    }
    console.log(`soak: the worker settled ${Date.now() - settled} ms after the last start`);
    const loaded = report(`${n} sleeping`);
    const loadedCpu = await idleCpu(`${n} sleeping`);
    const mem = report(`${n} sleeping, after 60 s`);

    // Sampled wake-ups: the first falls due 30 s ahead and the rest follow one every 300 ms
    // (60 s in all, over three times the density of the sleepers' own spread), each signalled now;
    // measured from each one's deadline to its escalation row.
    const first = Date.now() + 30_000;
    const spacingMs = 300;
    await db.execute(sql`
      UPDATE tickets t SET created_at = ${new Date(first - 1000)}::timestamptz + s.rn * make_interval(secs => ${spacingMs / 1000})
        FROM (SELECT id, row_number() OVER (ORDER BY id) - 1 AS rn
                FROM tickets WHERE workspace_id = ${ws} ORDER BY id LIMIT ${sampled}) s
       WHERE t.id = s.id`);
    for (
      let pass = await relayWorkflowCommands(deps);
      pass.claimed;
      pass = await relayWorkflowCommands(deps)
    );
    const deadline = first + sampled * spacingMs + 120_000;
    let fired: Array<{ lag: number }> = [];
    while (Date.now() < deadline) {
      // Each ticket's L1 falls due 1 s after it was opened (ladder PT1S).
      fired = (await db
        .select({
          lag: sql<number>`(extract(epoch from ${escalations.firedAt} - (${tickets.createdAt} + interval '1 second')) * 1000)::float8`,
        })
        .from(escalations)
        .innerJoin(tickets, eq(tickets.id, escalations.obligationId))
        .where(and(eq(escalations.workspaceId, ws), eq(escalations.level, 'L1')))) as Array<{ lag: number }>;
      if (fired.length >= sampled) break;
      await sleep(500);
    }
    const lags = fired.map((r) => Number(r.lag));
    console.log(
      `soak: ${lags.length}/${sampled} sampled wake-ups: lag p50 ${percentile(lags, 50).toFixed(0)} ms, p99 ${percentile(lags, 99).toFixed(0)} ms`,
    );
    console.log(
      JSON.stringify(
        {
          obligations: n,
          worker_rss_mb: { baseline: base.w.rssMb, sleeping: loaded.w.rssMb, after_60s: mem.w.rssMb },
          temporal_rss_mb: { baseline: base.t?.rssMb ?? null, sleeping: mem.t?.rssMb ?? null },
          worker_idle_cpu_pct: {
            baseline: Number(baseCpu.toFixed(2)),
            sleeping: Number(loadedCpu.toFixed(2)),
          },
          wake_lag_ms: { p50: percentile(lags, 50), p99: percentile(lags, 99), sampled: lags.length },
          goals: {
            'worker RSS <= 600 MB': mem.w.rssMb <= 600,
            'worker idle CPU <= 2%': loadedCpu <= 2,
            'wake-up p99 <= 2 s': percentile(lags, 99) <= 2000,
          },
        },
        null,
        2,
      ),
    );
  } finally {
    worker.kill('SIGTERM');
    await new Promise((r) => worker.once('exit', r));
    await closeTemporal(temporal);
    await pool.end();
    await stack.dispose();
  }
}
