import { and, asc, eq, inArray, or, sql } from 'drizzle-orm';
import type { Executor } from '../db';
import type { Target } from '../obligations/rules';
import { getSettings } from '../people/access';
import { compareMemberships } from '../people/rules';
import { members, teamMembers, teams } from '../people/schema';
import type { OrgMember, OrgSnapshot, OrgTeam } from './rules';

/** Longest manager chain followed above an owner; a longer (or cyclic) chain is cut here. */
const MAX_CHAIN = 16;

/**
 * Reads the part of the org chart that one escalation can resolve to, so the cost
 * does not grow with the workspace: the owner's manager chain, the owner's teams
 * (and `ownerTeamId`) with their leads, the target team with its members, the
 * escalation contacts and any members named by the target. Pure rules do the rest.
 */
export async function loadOrgFor(
  db: Executor,
  workspaceId: string,
  scope: { ownerId: string | null; ownerTeamId?: string | null; target: Target },
): Promise<OrgSnapshot> {
  // Sequential: `db` may be a single transaction client.
  const settings = await getSettings(db, workspaceId);
  const { ownerId, target } = scope;
  const teamIds = [scope.ownerTeamId, target.type === 'TEAM' ? target.id : null].filter(
    (id): id is string => typeof id === 'string',
  );
  const found = await db
    .select({ teamId: teamMembers.teamId, memberId: teamMembers.memberId, createdAt: teamMembers.createdAt })
    .from(teamMembers)
    .where(
      and(
        eq(teamMembers.workspaceId, workspaceId),
        or(
          ownerId ? eq(teamMembers.memberId, ownerId) : sql`false`,
          target.type === 'TEAM' ? eq(teamMembers.teamId, target.id) : sql`false`,
        ),
      ),
    )
    .orderBy(asc(teamMembers.createdAt), asc(teamMembers.teamId));
  // Membership order, so each member's teamIds start with their first team (the owner's L1 team lead).
  const links = [...found].sort(compareMemberships);
  const allTeamIds = [...new Set([...teamIds, ...links.map((l) => l.teamId)])];
  const teamRows = allTeamIds.length
    ? await db
        .select({ id: teams.id, leadId: teams.leadId })
        .from(teams)
        .where(and(eq(teams.workspaceId, workspaceId), inArray(teams.id, allTeamIds)))
    : [];
  const named = [
    settings.directorContactId,
    settings.vpExecContactId,
    settings.cxoContactId,
    ...teamRows.map((t) => t.leadId),
    ...links.map((l) => l.memberId),
    ...(target.type === 'MEMBERS' ? target.ids : []),
  ].filter((id): id is string => typeof id === 'string');
  const memberRows = await db.execute<{ id: string; status: string; manager_id: string | null }>(sql`
    WITH RECURSIVE chain(id, manager_id, depth) AS (
      SELECT id, manager_id, 0 FROM ${members}
       WHERE workspace_id = ${workspaceId} AND id = ${ownerId}::uuid
      UNION ALL
      SELECT m.id, m.manager_id, c.depth + 1 FROM ${members} m JOIN chain c ON m.id = c.manager_id
       WHERE m.workspace_id = ${workspaceId} AND c.depth < ${MAX_CHAIN}
    )
    SELECT id, status, manager_id FROM ${members}
     WHERE workspace_id = ${workspaceId}
       AND (id IN (SELECT id FROM chain) OR id = ANY(${`{${[...new Set(named)].join(',')}}`}::uuid[]))`);
  const orgMembers = new Map<string, OrgMember>(
    memberRows.rows.map((m) => [
      m.id,
      { id: m.id, active: m.status === 'ACTIVE', managerId: m.manager_id, teamIds: [] },
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
