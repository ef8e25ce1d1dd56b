import { developerCertifications } from '@vigil/domains/certifications/schema';
import { loadOrgFor } from '@vigil/domains/escalation/org';
import { resolveTargets } from '@vigil/domains/escalation/rules';
import { trainingAssignments } from '@vigil/domains/training/schema';
import { eq } from 'drizzle-orm';
import { type Harness, startHarness, type TestWorkspace } from '../harness';

/**
 * A member's "first team" is their earliest membership (created_at, then team id). It alone
 * picks the escalation matrix copied onto their training assignments and certifications, and
 * its lead is their L1 (TEAM_LEAD); editing a team's member list keeps the memberships that stay.
 */
describe('the first team decides the ladder and the L1 team lead', () => {
  let h: Harness;
  let ws: TestWorkspace;
  const api = async (method: string, path: string, body?: unknown) => {
    const r = await h.request(method, path, ws.adminToken, body);
    if (r.status >= 300) throw new Error(`${method} ${path} → ${r.status} ${JSON.stringify(r.body)}`);
    return r.body;
  };
  const matrix = (teamId: string, after: string) =>
    api('POST', `/workspaces/${ws.id}/escalation-matrices`, {
      name: `For ${teamId}`,
      team_ids: [teamId],
      rules: [{ level: 'L1', after, target: { type: 'TEAM_LEAD' }, channels: ['email'] }],
    });

  beforeAll(async () => {
    h = await startHarness();
    ws = await h.workspace();
  });
  afterAll(() => h.close());

  it('picks the same team for the matrix and the team lead, and keeps it when a team is edited', async () => {
    const leadX = await ws.member('MEMBER', { name: 'Lead X' });
    const leadY = await ws.member('MEMBER', { name: 'Lead Y' });
    const owner = await ws.member('MEMBER', { name: 'Owner' });
    // X is created first, so its (time-ordered) id is the lower one
    const x = await api('POST', `/workspaces/${ws.id}/teams`, { name: 'X', lead_id: leadX.id });
    const y = await api('POST', `/workspaces/${ws.id}/teams`, { name: 'Y', lead_id: leadY.id });
    await matrix(x.id, 'PT1H');
    await matrix(y.id, 'PT2H');
    // joins both in one statement (one created_at), Y listed first: the tie goes to the lower team id, X
    await api('PATCH', `/workspaces/${ws.id}/members/${owner.id}`, { team_ids: [y.id, x.id] });

    const assign = async (name: string) =>
      (
        await api('POST', '/compliance/assignments', {
          mandatory_training_id: (
            await api('POST', '/compliance/mandatory-training', {
              name,
              applies_to_type: 'INDIVIDUAL',
              applies_to_ids: [],
            })
          ).id,
          developer_id: owner.id,
          due_date: new Date(Date.now() + 30 * 86_400_000).toISOString(),
        })
      ).id as string;
    const ladderOfAssignment = async (id: string) =>
      (await h.deps.db.select().from(trainingAssignments).where(eq(trainingAssignments.id, id)))[0]?.ladder;
    expect(await ladderOfAssignment(await assign('Secure coding'))).toEqual([
      expect.objectContaining({ after: 'PT1H' }),
    ]);

    const cert = await api('POST', '/compliance/certifications', { name: 'OSCP', validity_months: 12 });
    const held = await api('POST', '/compliance/developer-certifications', {
      developer_id: owner.id,
      certification_id: cert.id,
    });
    const [row] = await h.deps.db
      .select()
      .from(developerCertifications)
      .where(eq(developerCertifications.id, held.id));
    expect(row?.ladder).toEqual([expect.objectContaining({ after: 'PT1H' })]);

    const l1 = async () => {
      const org = await loadOrgFor(h.deps.db, ws.id, { ownerId: owner.id, target: { type: 'TEAM_LEAD' } });
      return resolveTargets({ type: 'TEAM_LEAD' }, owner.id, org);
    };
    expect(await l1()).toEqual([leadX.id]);

    // X's member list is edited later: the owner's membership of X stays the earlier one
    const newcomer = await ws.member('MEMBER', { name: 'Newcomer' });
    await api('PATCH', `/workspaces/${ws.id}/teams/${x.id}`, { member_ids: [owner.id, newcomer.id] });
    expect(await ladderOfAssignment(await assign('Threat modelling'))).toEqual([
      expect.objectContaining({ after: 'PT1H' }),
    ]);
    expect(await l1()).toEqual([leadX.id]);
  });
});
