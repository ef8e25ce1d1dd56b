import { type ChildProcess, spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { freePort } from '@vigil/stack/ports';
import { ladderOrg, secondsLadder } from '../engine/org';
import { eventually, type Harness, startHarness, type TestWorkspace, testEnv } from '../harness';

const ROOT = resolve(__dirname, '../..');
const TICKETS = 40;

/** The production entry point of an app (tsx as a hook in the same process), on the harness's database and task queue. */
function spawnApp(app: 'api' | 'worker', h: Harness, extra: Record<string, string> = {}): ChildProcess {
  const env = testEnv();
  return spawn(process.execPath, ['--require', 'tsx/cjs', resolve(ROOT, `apps/${app}/src/main.ts`)], {
    cwd: ROOT,
    env: {
      ...process.env,
      DATABASE_URL: h.databaseUrl,
      DATABASE_POOL_MAX: '5',
      TEMPORAL_ADDRESS: env.temporalAddress,
      TEMPORAL_TASK_QUEUE: h.taskQueue,
      VIGIL_WORKFLOW_BUNDLE: env.bundlePath,
      LOG_LEVEL: 'warn',
      ...extra,
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
}

describe('two worker processes and two API processes on one task queue of the cluster', () => {
  let h: Harness;
  let ws: TestWorkspace;
  const procs: ChildProcess[] = [];
  const apis: string[] = [];

  beforeAll(async () => {
    // The harness's own API only sets the workspace up; its relays stay off, so every
    // workflow command goes through the API and worker processes.
    h = await startHarness({ worker: false, relays: false });
    ws = await h.workspace();
    for (let i = 0; i < 2; i++) procs.push(spawnApp('worker', h));
    for (let i = 0; i < 2; i++) {
      const port = await freePort();
      procs.push(spawnApp('api', h, { PORT: String(port), HOST: '127.0.0.1' }));
      apis.push(`http://127.0.0.1:${port}`);
    }
    for (const url of apis)
      await eventually(async () => (await fetch(`${url}/readyz`)).status === 200, 60_000, 250);
    // Both workers poll the task queue before the first ticket opens.
    await eventually(
      async () => {
        const res = await h.deps.temporal.connection.workflowService.describeTaskQueue({
          namespace: 'default',
          taskQueue: { name: h.taskQueue },
          taskQueueType: 1, // TASK_QUEUE_TYPE_WORKFLOW
        });
        return (res.pollers?.length ?? 0) >= 2;
      },
      60_000,
      250,
    );
  });

  afterAll(async () => {
    await Promise.all(
      procs.map(
        (p) =>
          new Promise<void>((res) => {
            if (p.exitCode !== null || p.signalCode !== null) return res();
            p.once('exit', () => res());
            p.kill('SIGTERM');
            setTimeout(() => p.kill('SIGKILL'), 8000).unref();
          }),
      ),
    );
    await h.close();
  });

  it('walks every ticket opened round-robin through both APIs up its ladder exactly once, on both workers', async () => {
    const org = await ladderOrg(h, ws);
    const matrix = await h.request('POST', `/workspaces/${ws.id}/escalation-matrices`, ws.adminToken, {
      name: 'Cluster',
      team_ids: [org.teamId],
      rules: secondsLadder([1, 2, 3, 4]),
    });
    expect(matrix.status).toBe(201);
    const ids = await Promise.all(
      Array.from({ length: TICKETS }, async (_, i) => {
        const res = await fetch(`${apis[i % 2]}/workspaces/${ws.id}/tickets`, {
          method: 'POST',
          headers: { authorization: `Bearer ${ws.adminToken}`, 'content-type': 'application/json' },
          body: JSON.stringify({ title: `Cluster ${i}`, team_id: org.teamId, assignee_id: org.owner.id }),
        });
        expect(res.status).toBe(201);
        return ((await res.json()) as { id: string }).id;
      }),
    );

    const q = (text: string, values: unknown[] = []) => h.deps.pool.query(text, values);
    await eventually(
      async () => {
        const { rows } = await q(
          `SELECT count(*)::int AS n FROM notifications
            WHERE workspace_id = $1 AND template = 'obligation.escalation' AND status = 'SENT'`,
          [ws.id],
        );
        return rows[0].n >= TICKETS * 4;
      },
      90_000,
      250,
    );
    // Nothing waits in the relayed command table: both APIs' relays handed every start to Temporal.
    const pending = await q('SELECT count(*)::int AS n FROM workflow_commands');
    expect(pending.rows[0].n).toBe(0);

    const escalations = await q(
      `SELECT obligation_id, level, target_member_ids FROM escalations WHERE workspace_id = $1`,
      [ws.id],
    );
    const outbox = await q(
      `SELECT obligation_id, level, recipient_id FROM notifications
        WHERE workspace_id = $1 AND template = 'obligation.escalation'`,
      [ws.id],
    );
    const expected = [
      `L1:${org.lead.id}`,
      `L2:${org.manager.id}`,
      `L3:${org.director.id}`,
      `L4:${org.vp.id}`,
    ];
    for (const id of ids) {
      const mine = (rows: Array<Record<string, unknown>>) => rows.filter((r) => r.obligation_id === id);
      expect([
        id,
        mine(escalations.rows)
          .map((e) => `${e.level}:${(e.target_member_ids as string[]).join(',')}`)
          .sort(),
      ]).toEqual([id, expected]);
      expect([
        id,
        mine(outbox.rows)
          .map((n) => `${n.level}:${n.recipient_id}`)
          .sort(),
      ]).toEqual([id, expected]);
    }

    // Workflow tasks were completed by both worker processes (identity `<pid>@<host>`).
    const workerPids = new Set(procs.slice(0, 2).map((p) => String(p.pid)));
    const identities = new Set<string>();
    for (const id of ids) {
      const history = await h.deps.temporal.client.workflow.getHandle(`ticket/${id}`).fetchHistory();
      for (const e of history.events ?? []) {
        const identity = e.workflowTaskCompletedEventAttributes?.identity;
        if (identity) identities.add(identity.split('@')[0] as string);
      }
    }
    expect([...identities].every((pid) => workerPids.has(pid))).toBe(true);
    expect(identities.size).toBe(2);
  });
});
