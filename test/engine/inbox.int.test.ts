import { escalations } from '@vigil/domains/escalation/schema';
import { type Harness, startHarness, type TestWorkspace } from '../harness';

/**
 * GET /workspaces/{ws}/me/obligations: the caller's own open items across kinds, overdue first
 * then by due date, each with the engine's next step; never another member's item.
 */
describe("a member's inbox", () => {
  let h: Harness;
  let ws: TestWorkspace;
  const days = (n: number) => new Date(Date.now() + n * 86_400_000).toISOString();

  beforeAll(async () => {
    h = await startHarness();
    ws = await h.workspace();
  });
  afterAll(() => h.close());

  const assign = async (name: string, developerId: string, due: string) => {
    const t = await h.request('POST', '/compliance/mandatory-training', ws.adminToken, {
      name,
      applies_to_type: 'INDIVIDUAL',
      applies_to_ids: [],
    });
    expect(t.status).toBe(201);
    const a = await h.request('POST', '/compliance/assignments', ws.adminToken, {
      mandatory_training_id: t.body.id,
      developer_id: developerId,
      due_date: due,
    });
    expect(a.status).toBe(201);
    return a.body.id as string;
  };

  it('lists only the caller’s open items, sorted, with the next step in words', async () => {
    const me = await ws.member('MEMBER', { name: 'Inbox Owner' });
    const other = await ws.member('MEMBER', { name: 'Someone Else' });
    const later = await assign('Later training', me.id, days(20));
    const sooner = await assign('Sooner training', me.id, days(3));
    const theirs = await assign('Their training', other.id, days(1));
    const ticket = await h.request('POST', `/workspaces/${ws.id}/tickets`, ws.adminToken, {
      title: 'Rotate the deploy key',
      severity: 'HIGH',
      assignee_id: me.id,
    });
    expect(ticket.status).toBe(201);

    const inbox = await h.request('GET', `/workspaces/${ws.id}/me/obligations`, me.token);
    expect(inbox.status).toBe(200);
    const ids = (inbox.body.data as Array<{ id: string }>).map((i) => i.id);
    expect(ids).not.toContain(theirs);
    expect(ids).toEqual(expect.arrayContaining([later, sooner, ticket.body.id]));
    // Due soonest first; the ticket, with no deadline, after both trainings.
    expect(ids.indexOf(sooner)).toBeLessThan(ids.indexOf(later));
    expect(ids.indexOf(later)).toBeLessThan(ids.indexOf(ticket.body.id));
    const first = inbox.body.data.find((i: { id: string }) => i.id === sooner);
    expect(first).toMatchObject({
      kind: 'training_assignment',
      title: 'Training: Sooner training',
      overdue: false,
    });
    expect(first.next_step).toMatchObject({ action: 'REMIND' });
    expect(first.next_step.description).toMatch(/^reminder (now|in \d+ (day|hour|minute)s?)$/);

    // The other member's inbox holds theirs only; an auditor's own inbox is empty.
    const otherInbox = await h.request('GET', `/workspaces/${ws.id}/me/obligations`, other.token);
    expect((otherInbox.body.data as Array<{ id: string }>).map((i) => i.id)).toEqual([theirs]);
    const auditor = await ws.member('AUDITOR', { name: 'Auditor' });
    const auditorInbox = await h.request('GET', `/workspaces/${ws.id}/me/obligations`, auditor.token);
    expect(auditorInbox.status).toBe(200);
    expect(auditorInbox.body).toEqual({ data: [], escalations: [] });
  });

  it('lets a manager nudge a report once a day; others get 404, auditors 403', async () => {
    const manager = await ws.member('MANAGER', { name: 'Manager' });
    const report = await ws.member('MEMBER', { name: 'Report', manager_id: manager.id });
    const stranger = await ws.member('MEMBER', { name: 'Stranger' });
    const auditor = await ws.member('AUDITOR', { name: 'Auditor 2' });
    const id = await assign('Nudged training', report.id, days(10));
    const path = `/workspaces/${ws.id}/obligations/training_assignment/${id}/nudge`;

    expect((await h.request('POST', path, stranger.token)).status).toBe(404);
    expect((await h.request('POST', path, auditor.token)).status).toBe(403);
    const first = await h.request('POST', path, manager.token);
    expect(first.status).toBe(202);
    expect(first.body.notification_ids.length).toBeGreaterThan(0);
    const again = await h.request('POST', path, manager.token);
    expect(again.status).toBe(429);
    expect(again.headers.get('content-type')).toMatch(/problem\+json/);

    const outbox = await h.request(
      'GET',
      `/workspaces/${ws.id}/notifications?obligation_id=${id}&limit=50`,
      ws.adminToken,
    );
    const nudges = (outbox.body.data as Array<{ step_key: string; recipient_id: string }>).filter((n) =>
      n.step_key.startsWith('NUDGE:'),
    );
    expect(nudges.length).toBe(first.body.notification_ids.length);
    expect(nudges.every((n) => n.recipient_id === report.id)).toBe(true);
    const log = await h.request(
      'GET',
      `/compliance/audit-logs?action_type=OBLIGATION_NUDGED&target_id=${id}`,
      ws.adminToken,
    );
    expect(log.body.data).toHaveLength(1);
  });

  it('lets the target of an escalation acknowledge it from the inbox; nobody else', async () => {
    const manager = await ws.member('MANAGER', { name: 'Escalated Manager' });
    const report = await ws.member('MEMBER', { name: 'Late Report', manager_id: manager.id });
    const id = await assign('Escalated training', report.id, days(1));
    const [row] = await h.deps.db
      .insert(escalations)
      .values({
        workspaceId: ws.id,
        kind: 'training_assignment',
        obligationId: id,
        level: 'L1',
        target: { type: 'MANAGER' },
        targetMemberIds: [manager.id],
        channels: ['email'],
      })
      .returning();
    const escalationId = row?.id as string;
    const inbox = await h.request('GET', `/workspaces/${ws.id}/me/obligations`, manager.token);
    expect(inbox.body.escalations).toEqual([
      expect.objectContaining({ id: escalationId, obligation_id: id }),
    ]);
    const path = `/workspaces/${ws.id}/me/escalations/${escalationId}/acknowledge`;
    // The report, an admin and another workspace are not its target: 404.
    expect((await h.request('POST', path, report.token, {})).status).toBe(404);
    expect((await h.request('POST', path, ws.adminToken, {})).status).toBe(404);
    const ok = await h.request('POST', path, manager.token, {});
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ id: escalationId, kind: 'training_assignment', level: 'L1' });
    expect((await h.request('POST', path, manager.token, {})).status).toBe(404);
    const after = await h.request('GET', `/workspaces/${ws.id}/me/obligations`, manager.token);
    expect(after.body.escalations).toEqual([]);
    const log = await h.request(
      'GET',
      `/compliance/audit-logs?action_type=ESCALATION_ACKNOWLEDGED&target_id=${id}`,
      ws.adminToken,
    );
    expect(log.body.data).toHaveLength(1);
  });

  it("answers 404 for another workspace's path", async () => {
    const other = await h.workspace();
    const r = await h.request('GET', `/workspaces/${other.id}/me/obligations`, ws.adminToken);
    expect(r.status).toBe(404);
  });
});
