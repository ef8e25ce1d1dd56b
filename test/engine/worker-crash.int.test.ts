import { type ChildProcess, spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { eventually, type Harness, startHarness, type TestWorkspace, testEnv } from '../harness';
import { ladderOrg, secondsLadder } from './org';

/**
 * A worker in its own process (the production entry point), so the test can SIGKILL it.
 * tsx is loaded as a hook in the same process (not its CLI, which would fork a child).
 */
function spawnWorker(databaseUrl: string, taskQueue: string): ChildProcess {
  const env = testEnv();
  return spawn(
    process.execPath,
    ['--require', 'tsx/cjs', resolve(__dirname, '../../apps/worker/src/main.ts')],
    {
      cwd: resolve(__dirname, '../..'),
      env: {
        ...process.env,
        DATABASE_URL: databaseUrl,
        TEMPORAL_ADDRESS: env.temporalAddress,
        TEMPORAL_TASK_QUEUE: taskQueue,
        VIGIL_WORKFLOW_BUNDLE: env.bundlePath,
        LOG_LEVEL: 'warn',
      },
      stdio: ['ignore', 'ignore', 'inherit'],
    },
  );
}

describe('a worker killed in the middle of a ladder', () => {
  let h: Harness;
  let ws: TestWorkspace;
  const workers: ChildProcess[] = [];

  beforeAll(async () => {
    h = await startHarness({ worker: false });
    ws = await h.workspace();
  });
  afterAll(async () => {
    for (const w of workers) if (w.exitCode === null) w.kill('SIGKILL');
    await h.close();
  });

  it('loses and duplicates no level in the outbox', async () => {
    const org = await ladderOrg(h, ws);
    await h.request('POST', `/workspaces/${ws.id}/escalation-matrices`, ws.adminToken, {
      name: 'Crash test',
      team_ids: [org.teamId],
      rules: secondsLadder([2, 5, 8, 11]),
    });
    const first = spawnWorker(h.databaseUrl, h.taskQueue);
    workers.push(first);
    const ticket = await h.request('POST', `/workspaces/${ws.id}/tickets`, ws.adminToken, {
      title: 'Crash me',
      team_id: org.teamId,
      assignee_id: org.owner.id,
    });
    const id = ticket.body.id as string;
    const levels = async () =>
      (
        (await h.request('GET', `/workspaces/${ws.id}/tickets/${id}/escalations`, ws.adminToken)).body
          .data as Array<{
          level: string;
        }>
      ).map((e) => e.level);
    await eventually(async () => (await levels()).includes('L1'), 30000);
    first.kill('SIGKILL');
    await eventually(async () => first.exitCode !== null || first.signalCode !== null);
    const second = spawnWorker(h.databaseUrl, h.taskQueue);
    workers.push(second);
    await eventually(async () => (await levels()).length === 4, 60000);
    const outbox = (
      await h.request(
        'GET',
        `/workspaces/${ws.id}/notifications?obligation_id=${id}&limit=500`,
        ws.adminToken,
      )
    ).body.data as Array<{ level: string; recipient_id: string }>;
    const byLevel = outbox.map((n) => `${n.level}:${n.recipient_id}`).sort();
    expect(byLevel).toEqual(
      [`L1:${org.lead.id}`, `L2:${org.manager.id}`, `L3:${org.director.id}`, `L4:${org.vp.id}`].sort(),
    );
    expect(await levels()).toEqual(['L1', 'L2', 'L3', 'L4']);
  });
});
