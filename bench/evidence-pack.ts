import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { requestPack } from '@vigil/domains/evidence/service';
import { contentSha256 } from '@vigil/domains/policies/rules';
import * as schema from '@vigil/domains/schema';
import { systemContext } from '@vigil/kernel/auth';
import { createDatabase, createPool } from '@vigil/kernel/db';
import { newId } from '@vigil/kernel/ids';
import { WORKER_NODE_FLAGS } from '../apps/worker/src/node-options';
import { benchStack } from './stack';

const ROOT = resolve(__dirname, '..');

/** RSS of a process in MB, from /proc. */
const rssMb = (pid: number) => {
  let status: string;
  try {
    status = readFileSync(`/proc/${pid}/status`, 'utf8');
  } catch {
    throw new Error(`the worker process ${pid} exited`);
  }
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
};

/** The S3 endpoint, in its own process so the objects it holds never count against the worker. */
async function startS3(): Promise<{ env: Record<string, string>; child: ChildProcess }> {
  const child = spawn(
    process.execPath,
    [
      '--require',
      'tsx/cjs',
      '-e',
      "require('./test/fakes/s3.ts').startFakeS3().then((s) => console.log(JSON.stringify(s.env)))",
    ],
    { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const line = await new Promise<string>((res, rej) => {
    child.once('exit', (code) => rej(new Error(`S3 server exited (${code})`)));
    createInterface({ input: child.stdout as NodeJS.ReadableStream }).once('line', res);
  });
  return { env: JSON.parse(line) as Record<string, string>, child };
}

/**
 * An evidence pack for N members (default 5,000) x P policies (default 12) of acknowledgements
 * (plus their audit entries): the worker runs in its own process (apps/worker/src/main.ts, as in
 * production), the pack is requested through the service (row + workflow command), and the
 * worker's RSS is sampled every 100 ms from the request until the pack is READY.
 */
export async function evidencePack(args: string[]): Promise<void> {
  const n = Number(args[0] ?? 5000);
  const p = Number(args[1] ?? 12);
  // Optional: another V8 heap limit in MB for the worker (default: the production worker's flags).
  const heapMb = args[2] ? Number(args[2]) : null;
  const s3 = await startS3();
  const stack = await benchStack({ env: s3.env });
  let worker: ChildProcess | null = null;
  try {
    const { deps, workspace } = stack;
    const ws = workspace.workspace.id;
    const t0 = Date.now();
    await deps.pool.query(
      `INSERT INTO members (id, workspace_id, name, email)
       SELECT gen_random_uuid(), $1, 'Member ' || i, 'm' || i || '@bench.test' FROM generate_series(1, $2) i`,
      [ws, n],
    );
    for (let j = 0; j < p; j++) {
      const policyId = newId();
      const versionId = newId();
      const content = `# Policy ${j}\n\n${'Every change is reviewed and approved. '.repeat(40)}\n`;
      await deps.pool.query(
        `INSERT INTO policies (id, workspace_id, name, active_version_id) VALUES ($1, $2, $3, $4)`,
        [policyId, ws, `Policy ${j}`, versionId],
      );
      await deps.pool.query(
        `INSERT INTO policy_versions (id, workspace_id, policy_id, number, content, content_sha256, status, decided_at, decided_by_id)
         VALUES ($1, $2, $3, 1, $4, $5, 'APPROVED', now() - interval '60 days', $6)`,
        [versionId, ws, policyId, content, contentSha256(content), workspace.admin.id],
      );
    }
    // Every member acknowledged every policy in the last 30 days, each with its audit entry.
    await deps.pool.query(
      `INSERT INTO acknowledgement_requests (id, workspace_id, member_id, policy_id, policy_version_id, due_at,
              status, acknowledged_at, ip_address, user_agent, content_sha256, acknowledgement_type)
       SELECT gen_random_uuid(), $1, m.id, pv.policy_id, pv.id, now(), 'ACKNOWLEDGED',
              now() - random() * interval '30 days', '203.0.113.' || (random() * 250)::int,
              'Mozilla/5.0 (bench)', pv.content_sha256, 'PERIODIC'
         FROM members m CROSS JOIN policy_versions pv WHERE m.workspace_id = $1 AND pv.workspace_id = $1`,
      [ws],
    );
    // The audit entries, in chunks (each entry takes the chain's next seq in its row trigger).
    const seed = await deps.pool.connect();
    try {
      await seed.query('SET statement_timeout = 0');
      const ids = (
        await seed.query<{ id: string }>(
          'SELECT id FROM acknowledgement_requests WHERE workspace_id = $1 ORDER BY acknowledged_at',
          [ws],
        )
      ).rows.map((r) => r.id);
      for (let i = 0; i < ids.length; i += 5000)
        await seed.query(
          `INSERT INTO audit_logs (id, workspace_id, actor_id, action_type, target_type, target_id, new_value,
                  description, ip_address, user_agent)
           SELECT gen_random_uuid(), $1, ar.member_id, 'POLICY_ACKNOWLEDGED', 'policy', ar.policy_id::text,
                  jsonb_build_object('employee_id', ar.member_id, 'request_id', ar.id, 'via', 'TOKEN',
                                     'content_sha256', ar.content_sha256),
                  'Policy acknowledged', ar.ip_address, ar.user_agent
             FROM acknowledgement_requests ar WHERE ar.id = ANY($2::uuid[]) ORDER BY ar.acknowledged_at`,
          [ws, ids.slice(i, i + 5000)],
        );
    } finally {
      seed.release();
    }
    console.log(
      `evidence-pack: seeded ${n} members x ${p} policies = ${n * p} acknowledgements in ${Date.now() - t0} ms`,
    );

    // The worker process, on its own task queue; the pack's command names that queue.
    const taskQueue = `bench-evidence-${process.pid}`;
    const bundlePath = resolve(ROOT, '.data', `evidence-bundle-${process.pid}.js`);
    writeFileSync(bundlePath, stack.bundleCode);
    const heap = heapMb ? [`--max-old-space-size=${heapMb}`] : WORKER_NODE_FLAGS;
    worker = spawn(
      process.execPath,
      [...heap, '--require', 'tsx/cjs', resolve(ROOT, 'apps/worker/src/main.ts')],
      {
        cwd: ROOT,
        env: {
          ...process.env,
          ...s3.env,
          DATABASE_URL: deps.config.DATABASE_URL,
          TEMPORAL_ADDRESS: deps.config.TEMPORAL_ADDRESS,
          TEMPORAL_TASK_QUEUE: taskQueue,
          VIGIL_WORKFLOW_BUNDLE: bundlePath,
          LOG_LEVEL: 'warn',
        },
        stdio: ['ignore', 'ignore', 'inherit'],
      },
    );
    const pid = worker.pid ?? 0;
    // Let the worker finish starting (it creates its schedules) before the baseline.
    await waitFor(async () => {
      const r = await deps.pool.query(
        `SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = 'vigil-worker'`,
      );
      return (r.rows[0]?.n ?? 0) > 0;
    }, 60_000);
    await new Promise((r) => setTimeout(r, 3000));
    const baseline = rssMb(pid);

    const pool = createPool({ url: String(deps.config.DATABASE_URL), max: 2, taskQueue });
    const db = createDatabase(pool, schema);
    const ctx = { ...systemContext(ws), memberId: workspace.admin.id, via: 'TOKEN' as const };
    const t1 = Date.now();
    const pack = await requestPack(db, deps.config, ctx, {
      from: new Date(Date.now() - 31 * 86_400_000).toISOString(),
      to: new Date(Date.now() + 60_000).toISOString(),
    });
    let peak = baseline;
    let row: { status: string; size_bytes: string | null; items_total: number | null } | undefined;
    for (;;) {
      peak = Math.max(peak, rssMb(pid));
      row = (
        await deps.pool.query('SELECT status, size_bytes, items_total FROM evidence_packs WHERE id = $1', [
          pack.id,
        ])
      ).rows[0];
      if (row?.status === 'READY' || row?.status === 'FAILED') break;
      if (Date.now() - t1 > 30 * 60_000) throw new Error('the pack did not finish within 30 minutes');
      await new Promise((r) => setTimeout(r, 100));
    }
    const elapsed = Date.now() - t1;
    await pool.end();
    const growth = peak - baseline;
    console.log(
      `  pack ${row?.status}: ${row?.items_total} items, ${Number(row?.size_bytes ?? 0)} bytes in ${elapsed} ms`,
    );
    console.log(
      `  worker RSS: baseline ${baseline.toFixed(0)} MB, peak ${peak.toFixed(0)} MB, growth ${growth.toFixed(1)} MB (goal < 100 MB: ${growth < 100 ? 'met' : 'NOT met'})`,
    );
    if (row?.status !== 'READY') process.exitCode = 1;
  } finally {
    worker?.kill('SIGTERM');
    await stack.close();
    s3.child.kill('SIGTERM');
  }
}

async function waitFor(check: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('the worker did not connect');
    await new Promise((r) => setTimeout(r, 200));
  }
}
