import { hasReports } from '@vigil/domains/people/visibility';
import type { AuthContext } from '@vigil/kernel/auth';
import { type Harness, startHarness, type TestWorkspace } from '../harness';

/**
 * GET /workspaces/{ws}/me/team/obligations: the open items of the caller's direct and indirect
 * reports and of the members of the teams they lead, with the team's completion per training and
 * per policy; never a non-report's item, never the caller's own.
 */
describe("a manager's team", () => {
  let h: Harness;
  let ws: TestWorkspace;
  const days = (n: number) => new Date(Date.now() + n * 86_400_000).toISOString();
  const path = () => `/workspaces/${ws.id}/me/team/obligations`;

  beforeAll(async () => {
    h = await startHarness();
    ws = await h.workspace();
  });
  afterAll(() => h.close());

  const training = async (name: string) => {
    const t = await h.request('POST', '/compliance/mandatory-training', ws.adminToken, {
      name,
      applies_to_type: 'INDIVIDUAL',
      applies_to_ids: [],
    });
    expect(t.status).toBe(201);
    return t.body.id as string;
  };
  const assign = async (trainingId: string, developerId: string, due: string) => {
    const a = await h.request('POST', '/compliance/assignments', ws.adminToken, {
      mandatory_training_id: trainingId,
      developer_id: developerId,
      due_date: due,
    });
    expect(a.status).toBe(201);
    return a.body.id as string;
  };
  const ids = (body: { data: Array<{ id: string }> }) => body.data.map((i) => i.id);

  it("shows direct and indirect reports' items with their owner, and nobody else's", async () => {
    const manager = await ws.member('MANAGER', { name: 'Team Manager' });
    const direct = await ws.member('MEMBER', { name: 'Direct Report', manager_id: manager.id });
    const indirect = await ws.member('MEMBER', { name: 'Indirect Report', manager_id: direct.id });
    const stranger = await ws.member('MEMBER', { name: 'Not A Report' });
    const t = await training('Team training');
    const directItem = await assign(t, direct.id, days(3));
    const indirectItem = await assign(t, indirect.id, days(1));
    const strangerItem = await assign(t, stranger.id, days(2));
    const ownItem = await assign(t, manager.id, days(4));
    const done = await h.request('POST', `/compliance/assignments/${directItem}/complete`, direct.token, {});
    expect(done.status).toBe(200);

    const team = await h.request('GET', path(), manager.token);
    expect(team.status).toBe(200);
    expect(team.body.members.map((m: { name: string }) => m.name).sort()).toEqual([
      'Direct Report',
      'Indirect Report',
    ]);
    // The completed one is no longer open; the stranger's and the manager's own are never listed.
    expect(ids(team.body)).toEqual([indirectItem]);
    expect(ids(team.body)).not.toContain(strangerItem);
    expect(ids(team.body)).not.toContain(ownItem);
    expect(team.body.data[0]).toMatchObject({
      kind: 'training_assignment',
      title: 'Training: Team training',
      overdue: false,
      owner: { id: indirect.id, name: 'Indirect Report' },
    });
    expect(team.body.data[0].next_step.description).toMatch(/^reminder (now|in \d+ (day|hour|minute)s?)$/);
    expect(team.body.training).toEqual([
      { id: t, name: 'Team training', asked: 2, done: 1, overdue: 0, rate: 50 },
    ]);

    // The direct report's team is the indirect report alone; the stranger has nobody.
    const directTeam = await h.request('GET', path(), direct.token);
    expect(ids(directTeam.body)).toEqual([indirectItem]);
    const none = await h.request('GET', path(), stranger.token);
    expect(none.status).toBe(200);
    expect(none.body).toEqual({ members: [], data: [], training: [], policies: [] });

    const ctx = (memberId: string, role: AuthContext['role']) =>
      ({ workspaceId: ws.id, memberId, role }) as AuthContext;
    expect(await hasReports(h.deps.db, ctx(manager.id, 'MANAGER'))).toBe(true);
    expect(await hasReports(h.deps.db, ctx(stranger.id, 'MEMBER'))).toBe(false);
  });

  it("includes a led team's members; an admin's team is their reports, not everyone", async () => {
    const lead = await ws.member('MEMBER', { name: 'Team Lead' });
    const mate = await ws.member('MEMBER', { name: 'Team Mate' });
    const team = await h.request('POST', `/workspaces/${ws.id}/teams`, ws.adminToken, {
      name: 'Led team',
      lead_id: lead.id,
      member_ids: [lead.id, mate.id],
    });
    expect(team.status).toBe(201);
    const t = await training('Led team training');
    const mateItem = await assign(t, mate.id, days(5));
    const leadItem = await assign(t, lead.id, days(5));

    const led = await h.request('GET', path(), lead.token);
    expect(ids(led.body)).toEqual([mateItem]);
    expect(ids(led.body)).not.toContain(leadItem);
    // A team lead with the MEMBER role may nudge their team's items.
    const nudge = await h.request(
      'POST',
      `/workspaces/${ws.id}/obligations/training_assignment/${mateItem}/nudge`,
      lead.token,
    );
    expect(nudge.status).toBe(202);

    const admin = await h.request('GET', path(), ws.adminToken);
    expect(admin.status).toBe(200);
    expect(ids(admin.body)).not.toContain(mateItem);
  });

  it("answers 404 for another workspace's path", async () => {
    const other = await h.workspace();
    const r = await h.request('GET', `/workspaces/${other.id}/me/team/obligations`, ws.adminToken);
    expect(r.status).toBe(404);
  });
});
