import { eq, inArray } from 'drizzle-orm';
import type { Executor } from '../db';
import { getSettings } from '../people/access';
import { members, teamMembers, teams } from '../people/schema';
import type { OrgMember, OrgSnapshot, OrgTeam } from './rules';

/** Reads the workspace's org chart for target resolution (pure rules do the rest). */
export async function loadOrg(db: Executor, workspaceId: string): Promise<OrgSnapshot> {
  // Sequential: `db` may be a single transaction client.
  const memberRows = await db
    .select({ id: members.id, status: members.status, managerId: members.managerId })
    .from(members)
    .where(eq(members.workspaceId, workspaceId));
  const teamRows = await db
    .select({ id: teams.id, leadId: teams.leadId })
    .from(teams)
    .where(eq(teams.workspaceId, workspaceId));
  const settings = await getSettings(db, workspaceId);
  const links = teamRows.length
    ? await db
        .select()
        .from(teamMembers)
        .where(
          inArray(
            teamMembers.teamId,
            teamRows.map((t) => t.id),
          ),
        )
    : [];
  const orgMembers = new Map<string, OrgMember>(
    memberRows.map((m) => [
      m.id,
      { id: m.id, active: m.status === 'ACTIVE', managerId: m.managerId, teamIds: [] },
    ]),
  );
  const orgTeams = new Map<string, OrgTeam>(
    teamRows.map((t) => [t.id, { id: t.id, leadId: t.leadId, memberIds: [] }]),
  );
  for (const l of links) {
    orgMembers.get(l.memberId)?.teamIds.push(l.teamId);
    orgTeams.get(l.teamId)?.memberIds.push(l.memberId);
  }
  return {
    members: orgMembers,
    teams: orgTeams,
    contacts: {
      directorId: settings.directorContactId,
      vpExecId: settings.vpExecContactId,
      cxoId: settings.cxoContactId,
    },
  };
}
