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

  it("answers 404 for another workspace's path", async () => {
    const other = await h.workspace();
    const r = await h.request('GET', `/workspaces/${other.id}/me/obligations`, ws.adminToken);
    expect(r.status).toBe(404);
  });
});
