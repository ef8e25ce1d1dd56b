import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { stateQuery } from '@vigil/domains/obligations/signals';
import { eventually, type Harness, startHarness, type TestWorkspace, testEnv } from '../harness';
import { ladderOrg, secondsLadder } from './org';

const run = promisify(execFile);

describe('a ticket under a matrix walks the ladder on the real server', () => {
  let h: Harness;
  let ws: TestWorkspace;
  let org: Awaited<ReturnType<typeof ladderOrg>>;

  beforeAll(async () => {
    h = await startHarness({ worker: true });
    ws = await h.workspace();
    org = await ladderOrg(h, ws);
  });
  afterAll(() => h.close());

  const escalationsOf = async (ticketId: string) =>
    (await h.request('GET', `/workspaces/${ws.id}/tickets/${ticketId}/escalations`, ws.adminToken)).body
      .data as Array<{
      id: string;
      level: string;
      target_member_ids: string[];
    }>;
  const outboxOf = async (ticketId: string) =>
    (
      await h.request(
        'GET',
        `/workspaces/${ws.id}/notifications?obligation_id=${ticketId}&limit=500`,
        ws.adminToken,
      )
    ).body.data as Array<{ level: string; recipient_id: string; status: string; template: string }>;

  it('notifies each level’s resolved targets exactly once, L1 to L4, and is findable by EscalationLevel', async () => {
    const matrix = await h.request('POST', `/workspaces/${ws.id}/escalation-matrices`, ws.adminToken, {
      name: 'Security incidents',
      severity_levels: ['HIGH'],
      team_ids: [org.teamId],
      rules: secondsLadder([1, 3, 5, 7]),
    });
    expect(matrix.status).toBe(201);
    const ticket = await h.request('POST', `/workspaces/${ws.id}/tickets`, ws.adminToken, {
      title: 'Leaked credential',
      severity: 'HIGH',
      team_id: org.teamId,
      assignee_id: org.owner.id,
    });
    expect(ticket.status).toBe(201);
    expect(ticket.body).toMatchObject({ ladder_source: 'MATRIX', matrix_id: matrix.body.id });
    const id = ticket.body.id as string;

    // While it sits at L2, an operator can find it by search attribute.
    await eventually(async () => (await escalationsOf(id)).some((e) => e.level === 'L2'));
    const query = `WorkspaceId='${ws.id}' AND EscalationLevel='L2'`;
    const found = await eventually(async () => {
      const cli = testEnv().temporalCliPath;
      if (cli) {
        const { stdout } = await run(cli, [
          'workflow',
          'list',
          '--address',
          testEnv().temporalAddress,
          '--query',
          query,
          '-o',
          'json',
        ]);
        return stdout.includes(`ticket/${id}`) ? stdout : null;
      }
      for await (const wf of h.deps.temporal.client.workflow.list({ query }))
        if (wf.workflowId === `ticket/${id}`) return wf.workflowId;
      return null;
    }, 10000);
    expect(found).toBeTruthy();

    const all = await eventually(async () => {
      const e = await escalationsOf(id);
      return e.length === 4 ? e : null;
    });
    expect(all.map((e) => [e.level, e.target_member_ids])).toEqual([
      ['L1', [org.lead.id]],
      ['L2', [org.manager.id]],
      ['L3', [org.director.id]],
      ['L4', [org.vp.id]],
    ]);
    const outbox = await eventually(async () => {
      const rows = (await outboxOf(id)).filter((n) => n.template === 'obligation.escalation');
      return rows.length >= 4 && rows.every((r) => r.status === 'SENT') ? rows : null;
    });
    expect(outbox.map((n) => [n.level, n.recipient_id]).sort()).toEqual([
      ['L1', org.lead.id],
      ['L2', org.manager.id],
      ['L3', org.director.id],
      ['L4', org.vp.id],
    ]);
    const t = await h.request('GET', `/workspaces/${ws.id}/tickets/${id}`, ws.adminToken);
    expect(t.body.current_escalation_level).toBe('L4');
  });

  it('stops climbing once the current escalation is acknowledged', async () => {
    const ticket = await h.request('POST', `/workspaces/${ws.id}/tickets`, ws.adminToken, {
      title: 'Suspicious login',
      severity: 'HIGH',
      team_id: org.teamId,
      assignee_id: org.owner.id,
    });
    const id = ticket.body.id as string;
    const l1 = await eventually(async () => (await escalationsOf(id)).find((e) => e.level === 'L1'));
    const ack = await h.request(
      'POST',
      `/workspaces/${ws.id}/tickets/${id}/escalations/${l1.id}/acknowledge`,
      org.lead.token,
    );
    expect(ack.status).toBe(200);
    expect(ack.body.acknowledged_by_id).toBe(org.lead.id);
    // The workflow re-plans: nothing left but to wait for the ticket to be resolved.
    const handle = h.deps.temporal.client.workflow.getHandle(`ticket/${id}`);
    await eventually(async () => {
      const state = (await handle.query(stateQuery)) as { next: { type: string } } | null;
      return state?.next.type === 'WAIT';
    });
    // Past the time L2 would have fired (3 s after opening), still only L1.
    const opened = new Date(ticket.body.created_at).getTime();
    await eventually(async () => Date.now() > opened + 4000, 10000);
    expect((await escalationsOf(id)).map((e) => e.level)).toEqual(['L1']);
    // Resolving ends the workflow.
    await h.request('PATCH', `/workspaces/${ws.id}/tickets/${id}`, ws.adminToken, { status: 'RESOLVED' });
    expect(await handle.result()).toBe('DONE');
  });
});
