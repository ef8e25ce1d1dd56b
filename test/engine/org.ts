import type { Harness, TestWorkspace } from '../harness';

/** A small org for ladder tests: owner in a team with a lead, a manager chain, and settings contacts. */
export async function ladderOrg(h: Harness, ws: TestWorkspace) {
  const vp = await ws.member('MANAGER', { name: 'VP' });
  const director = await ws.member('MANAGER', { name: 'Director', manager_id: vp.id });
  const manager = await ws.member('MANAGER', { name: 'Manager', manager_id: director.id });
  const lead = await ws.member('MEMBER', { name: 'Lead', manager_id: manager.id });
  const owner = await ws.member('MEMBER', { name: 'Owner', manager_id: manager.id });
  const team = await h.request('POST', `/workspaces/${ws.id}/teams`, ws.adminToken, {
    name: 'Platform',
    lead_id: lead.id,
    member_ids: [lead.id, owner.id],
  });
  await h.request('PATCH', `/workspaces/${ws.id}/settings`, ws.adminToken, {
    director_contact_id: director.id,
    vp_exec_contact_id: vp.id,
    cxo_contact_id: vp.id,
  });
  return { vp, director, manager, lead, owner, teamId: team.body.id as string };
}

export const secondsLadder = (seconds: number[]) =>
  (['L1', 'L2', 'L3', 'L4'] as const).slice(0, seconds.length).map((level, i) => ({
    level,
    after: `PT${seconds[i]}S`,
    target: { type: (['TEAM_LEAD', 'MANAGER', 'DIRECTOR', 'VP_EXEC'] as const)[i] },
    channels: ['email'],
  }));
