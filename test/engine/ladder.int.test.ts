import { eventually, type Harness, startHarness, type TestWorkspace } from '../harness';
import { ladderOrg, secondsLadder } from './org';

/** GET /workspaces/{ws}/obligations/{kind}/{id}/ladder: levels, targets, fired and pending, and the workflow link. */
describe("an obligation's ladder", () => {
  let h: Harness;
  let ws: TestWorkspace;

  beforeAll(async () => {
    h = await startHarness({ worker: true });
    ws = await h.workspace();
  });
  afterAll(() => h.close());

  it('shows fired and pending levels with whom they notify, and the Web UI link of its workflow', async () => {
    const org = await ladderOrg(h, ws);
    await h.request('POST', `/workspaces/${ws.id}/escalation-matrices`, ws.adminToken, {
      name: 'Ladder view',
      team_ids: [org.teamId],
      rules: secondsLadder([1, 3600]),
    });
    const ticket = await h.request('POST', `/workspaces/${ws.id}/tickets`, ws.adminToken, {
      title: 'Renew the TLS certificate',
      team_id: org.teamId,
      assignee_id: org.owner.id,
    });
    expect(ticket.status).toBe(201);
    const path = `/workspaces/${ws.id}/obligations/ticket/${ticket.body.id}/ladder`;
    const ladder = await eventually(async () => {
      const res = await h.request('GET', path, ws.adminToken);
      expect(res.status).toBe(200);
      return res.body.levels[0].state === 'FIRED' ? res.body : null;
    });
    expect(ladder).toMatchObject({
      kind: 'ticket',
      id: ticket.body.id,
      owner_name: 'Owner',
      clock: 'OPENED',
      current_level: 'L1',
      workflow: { id: `ticket/${ticket.body.id}`, namespace: 'default' },
    });
    expect(ladder.workflow.url).toMatch(
      new RegExp(`/namespaces/default/workflows/ticket%2F${ticket.body.id}$`),
    );
    expect(ladder.levels).toEqual([
      expect.objectContaining({
        level: 'L1',
        after: 'PT1S',
        state: 'FIRED',
        notified: ['Lead'],
        acknowledged: false,
      }),
      expect.objectContaining({
        level: 'L2',
        after: 'PT1H',
        state: 'PENDING',
        notified: ['Manager'],
        fired_at: null,
      }),
    ]);
    expect(Date.parse(ladder.levels[1].at) - Date.parse(ladder.levels[0].at)).toBeGreaterThan(3_500_000);
    expect(ladder.next_step).toMatchObject({ action: 'ESCALATE', level: 'L2' });

    // The owner and their manager read it; a stranger, and another workspace, get 404.
    expect((await h.request('GET', path, org.owner.token)).status).toBe(200);
    expect((await h.request('GET', path, org.manager.token)).status).toBe(200);
    const stranger = await ws.member('MEMBER', { name: 'Stranger' });
    expect((await h.request('GET', path, stranger.token)).status).toBe(404);
    const other = await h.workspace();
    const foreign = `/workspaces/${other.id}/obligations/ticket/${ticket.body.id}/ladder`;
    expect((await h.request('GET', foreign, other.adminToken)).status).toBe(404);
    expect((await h.request('GET', `${path.replace('/ticket/', '/nothing/')}`, ws.adminToken)).status).toBe(
      400,
    );
  });
});
