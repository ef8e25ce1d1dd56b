import { sql } from 'drizzle-orm';
import type { Executor } from '../db';
import type { Recipient } from '../notifications/service';
import type { Target } from '../obligations/rules';
import { getSettings, primeSettings, settingsUnread } from '../people/access';
import { compareMemberships } from '../people/rules';
import { members, teamMembers, teams, workspaceSettings } from '../people/schema';
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
): Promise<OrgSnapshot & { people: Map<string, Recipient> }> {
  // Sequential: `db` may be a single transaction client. The settings are read once per
  // transaction: by this statement when nothing before it in the transaction read them.
  const readHere = settingsUnread(db, workspaceId);
  const known = readHere ? null : await getSettings(db, workspaceId);
  const { ownerId, target } = scope;
  const targetTeamId = target.type === 'TEAM' ? target.id : null;
  const teamIds = [scope.ownerTeamId, targetTeamId].filter((id): id is string => typeof id === 'string');
  const named = [
    known?.directorContactId,
    known?.vpExecContactId,
    known?.cxoContactId,
    ...(target.type === 'MEMBERS' ? target.ids : []),
  ].filter((id): id is string => typeof id === 'string');
  const uuids = (ids: string[]) => `{${[...new Set(ids)].join(',')}}`;
  // One statement: the owner's and the target team's memberships, those teams (and the
  // obligation's) with their leads, and every member the rules may name: the owner's manager
  // chain, the contacts, the team leads, the memberships' members and the named targets, with
  // what a message to them needs; and the settings when they were not read yet.
  const res = await db.execute<{
    links: Array<{ team_id: string; member_id: string; created_at: string }>;
    teams: Array<{ id: string; lead_id: string | null }>;
    members: Array<{
      id: string;
      status: string;
      manager_id: string | null;
      name: string;
      email: string;
      timezone: string;
      slack_user_id: string | null;
      notification_preferences: Recipient['notificationPreferences'];
    }>;
    settings: Record<string, unknown> | null;
  }>(sql`
    WITH RECURSIVE settings AS (
      SELECT * FROM ${workspaceSettings} WHERE workspace_id = ${workspaceId} AND ${readHere}
    ), links AS (
      SELECT team_id, member_id, created_at FROM ${teamMembers}
       WHERE workspace_id = ${workspaceId}
         AND (member_id = ${ownerId}::uuid OR team_id = ${targetTeamId}::uuid)
    ), team_rows AS (
      SELECT id, lead_id FROM ${teams}
       WHERE workspace_id = ${workspaceId}
         AND (id IN (SELECT team_id FROM links) OR id = ANY(${uuids(teamIds)}::uuid[]))
    ), chain(id, manager_id, depth) AS (
      SELECT id, manager_id, 0 FROM ${members}
       WHERE workspace_id = ${workspaceId} AND id = ${ownerId}::uuid
      UNION ALL
      SELECT m.id, m.manager_id, c.depth + 1 FROM ${members} m JOIN chain c ON m.id = c.manager_id
       WHERE m.workspace_id = ${workspaceId} AND c.depth < ${MAX_CHAIN}
    ), people AS (
      SELECT id, status, manager_id, name, email, timezone, slack_user_id, notification_preferences
        FROM ${members}
       WHERE workspace_id = ${workspaceId}
         AND (id IN (SELECT id FROM chain) OR id = ANY(${uuids(named)}::uuid[])
              OR id IN (SELECT unnest(ARRAY[director_contact_id, vp_exec_contact_id, cxo_contact_id]) FROM settings)
              OR id IN (SELECT lead_id FROM team_rows) OR id IN (SELECT member_id FROM links))
    )
    SELECT
      (SELECT coalesce(json_agg(json_build_object('team_id', team_id, 'member_id', member_id,
                'created_at', created_at) ORDER BY created_at, team_id), '[]') FROM links) AS links,
      (SELECT coalesce(json_agg(json_build_object('id', id, 'lead_id', lead_id)), '[]') FROM team_rows) AS teams,
      (SELECT coalesce(json_agg(json_build_object('id', id, 'status', status, 'manager_id', manager_id,
                'name', name, 'email', email, 'timezone', timezone, 'slack_user_id', slack_user_id,
                'notification_preferences', notification_preferences)), '[]')
         FROM people) AS members,
      (SELECT row_to_json(s) FROM settings s) AS settings`);
  const row = res.rows[0];
  if (readHere) primeSettings(db, workspaceId, row?.settings ?? null);
  const settings = known ?? (await getSettings(db, workspaceId));
  const people = new Map<string, Recipient>(
    (row?.members ?? []).map((m) => [
      m.id,
      {
        id: m.id,
        status: m.status,
        name: m.name,
        email: m.email,
        timezone: m.timezone,
        slackUserId: m.slack_user_id,
        notificationPreferences: m.notification_preferences,
      },
    ]),
  );
  // Membership order, so each member's teamIds start with their first team (the owner's L1 team lead).
  const links = (row?.links ?? [])
    .map((l) => ({ teamId: l.team_id, memberId: l.member_id, createdAt: new Date(l.created_at) }))
    .sort(compareMemberships);
  const orgMembers = new Map<string, OrgMember>(
    (row?.members ?? []).map((m) => [
      m.id,
      { id: m.id, active: m.status === 'ACTIVE', managerId: m.manager_id, teamIds: [] },
    ]),
  );
  const orgTeams = new Map<string, OrgTeam>(
    (row?.teams ?? []).map((t) => [t.id, { id: t.id, leadId: t.lead_id, memberIds: [] }]),
  );
  for (const l of links) {
    orgMembers.get(l.memberId)?.teamIds.push(l.teamId);
    orgTeams.get(l.teamId)?.memberIds.push(l.memberId);
  }
  return {
    people,
    members: orgMembers,
    teams: orgTeams,
    contacts: {
      directorId: settings.directorContactId,
      vpExecId: settings.vpExecContactId,
      cxoId: settings.cxoContactId,
    },
  };
}
