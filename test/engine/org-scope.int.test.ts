import { loadOrgFor } from '@vigil/domains/escalation/org';
import { resolveTargets } from '@vigil/domains/escalation/rules';
import { members } from '@vigil/domains/people/schema';
import { eq } from 'drizzle-orm';
import { type Harness, startHarness, type TestWorkspace } from '../harness';
import { ladderOrg } from './org';

let h: Harness;
let ws: TestWorkspace;
let org: Awaited<ReturnType<typeof ladderOrg>>;

beforeAll(async () => {
  h = await startHarness();
  ws = await h.workspace();
  org = await ladderOrg(h, ws);
  // Bystanders an escalation for `owner` must not read.
  for (let i = 0; i < 5; i++)
    await ws.member('MEMBER', { name: `Bystander ${i}`, manager_id: org.manager.id });
});

afterAll(async () => {
  await h?.close();
});

describe('the org snapshot read for one escalation', () => {
  it('holds only the owner, their chain, their team and the contacts, and resolves every level', async () => {
    const targets = [
      { type: 'TEAM_LEAD' as const },
      { type: 'MANAGER' as const },
      { type: 'DIRECTOR' as const },
      { type: 'VP_EXEC' as const },
    ];
    const expected = [org.lead.id, org.manager.id, org.director.id, org.vp.id];
    for (const [i, target] of targets.entries()) {
      const snap = await loadOrgFor(h.deps.db, ws.id, { ownerId: org.owner.id, target });
      expect(resolveTargets(target, org.owner.id, snap)).toEqual([expected[i]]);
      expect([...snap.members.keys()].sort()).toEqual(
        [org.owner.id, org.lead.id, org.manager.id, org.director.id, org.vp.id].sort(),
      );
    }
  });

  it('reads a named team with its lead and members', async () => {
    const target = { type: 'TEAM' as const, id: org.teamId };
    const snap = await loadOrgFor(h.deps.db, ws.id, { ownerId: org.manager.id, target });
    expect(resolveTargets(target, org.manager.id, snap)).toEqual([org.lead.id, org.owner.id].sort());
  });

  it('ends a manager chain that loops, and skips inactive members to the next fallback', async () => {
    const a = await ws.member('MEMBER', { name: 'Loop A' });
    const b = await ws.member('MEMBER', { name: 'Loop B', manager_id: a.id });
    await h.deps.db.update(members).set({ managerId: b.id }).where(eq(members.id, a.id));
    const snap = await loadOrgFor(h.deps.db, ws.id, { ownerId: a.id, target: { type: 'DIRECTOR' } });
    // The director contact is configured, so it wins; the chain a -> b -> a stops without error.
    expect(resolveTargets({ type: 'DIRECTOR' }, a.id, snap)).toEqual([org.director.id]);
    expect(resolveTargets({ type: 'MANAGER' }, a.id, snap)).toEqual([b.id]);

    await h.deps.db.update(members).set({ status: 'INACTIVE' }).where(eq(members.id, org.manager.id));
    try {
      const s2 = await loadOrgFor(h.deps.db, ws.id, { ownerId: org.owner.id, target: { type: 'MANAGER' } });
      expect(resolveTargets({ type: 'MANAGER' }, org.owner.id, s2)).toEqual([org.director.id]);
    } finally {
      await h.deps.db.update(members).set({ status: 'ACTIVE' }).where(eq(members.id, org.manager.id));
    }
  });

  it('reads nothing from another workspace', async () => {
    const other = await h.workspace();
    const stranger = await other.member('MEMBER', { name: 'Stranger' });
    const snap = await loadOrgFor(h.deps.db, ws.id, {
      ownerId: org.owner.id,
      target: { type: 'MEMBERS', ids: [stranger.id, org.lead.id] },
    });
    expect(snap.members.has(stranger.id)).toBe(false);
    expect(resolveTargets({ type: 'MEMBERS', ids: [stranger.id, org.lead.id] }, org.owner.id, snap)).toEqual([
      org.lead.id,
    ]);
  });
});
