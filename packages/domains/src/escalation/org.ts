import { type SQL, sql } from 'drizzle-orm';
import { type Executor, preparedStatement } from '../db';
import type { Recipient } from '../notifications/service';
import type { Target } from '../obligations/rules';
import { getSettings, primeSettings, settingsUnread } from '../people/access';
import { compareMemberships } from '../people/rules';
import { members, teamMembers, teams, workspaceSettings } from '../people/schema';
import type { OrgMember, OrgSnapshot, OrgTeam } from './rules';

/** Longest manager chain followed above an owner; a longer (or cyclic) chain is cut here. */
const MAX_CHAIN = 16;

interface OrgRow extends Record<string, unknown> {
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
  led: number | null;
}

const p = (name: string) => sql.placeholder(`org_${name}`);

type OrgValues = {
  org_workspaceId: string;
  org_readHere: boolean;
  org_ownerId: string | null;
  org_targetTeamId: string | null;
  org_teamIds: string;
  org_named: string;
};

/**
 * A write run at the head of the org read, as its first CTE (`led`), so that a transaction's
 * write before the read costs no round trip of its own; the read then returns how many rows the
 * write returned. `build` writes it with placeholders (not named `org_*`), `values` fills them.
 */
export interface LeadingWrite {
  label: string;
  build: () => SQL;
  values: Record<string, unknown>;
}

/**
 * One statement: the owner's and the target team's memberships, those teams (and the
 * obligation's) with their leads, and every member the rules may name: the owner's manager
 * chain, the contacts, the team leads, the memberships' members and the named targets, with
 * what a message to them needs; and the settings when they were not read yet (`readHere`).
 * A prepared statement: it runs in every escalation, and planning it cost more than running it.
 */
const orgStatement = (label: string, lead?: () => SQL) =>
  preparedStatement<OrgValues>(
    label,
    () => sql`
    WITH RECURSIVE ${lead ? sql`led AS (${lead()}), ` : sql``}settings AS (
      SELECT * FROM ${workspaceSettings} WHERE workspace_id = ${p('workspaceId')} AND ${p('readHere')}
    ), links AS (
      SELECT team_id, member_id, created_at FROM ${teamMembers}
       WHERE workspace_id = ${p('workspaceId')}
         AND (member_id = ${p('ownerId')}::uuid OR team_id = ${p('targetTeamId')}::uuid)
    ), team_rows AS (
      SELECT id, lead_id FROM ${teams}
       WHERE workspace_id = ${p('workspaceId')}
         AND (id IN (SELECT team_id FROM links) OR id = ANY(${p('teamIds')}::uuid[]))
    ), chain(id, manager_id, depth) AS (
      SELECT id, manager_id, 0 FROM ${members}
       WHERE workspace_id = ${p('workspaceId')} AND id = ${p('ownerId')}::uuid
      UNION ALL
      SELECT m.id, m.manager_id, c.depth + 1 FROM ${members} m JOIN chain c ON m.id = c.manager_id
       WHERE m.workspace_id = ${p('workspaceId')} AND c.depth < ${MAX_CHAIN}
    ), people AS (
      SELECT id, status, manager_id, name, email, timezone, slack_user_id, notification_preferences
        FROM ${members}
       WHERE workspace_id = ${p('workspaceId')}
         AND (id IN (SELECT id FROM chain) OR id = ANY(${p('named')}::uuid[])
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
      (SELECT row_to_json(s) FROM settings s) AS settings,
      ${lead ? sql`(SELECT count(*)::int FROM led)` : sql`NULL::int`} AS led`,
  );

const readOrg = orgStatement('org_for');
/** The org read of each leading write, by the write's builder (one statement per write). */
const ledReads = new Map<LeadingWrite['build'], ReturnType<typeof orgStatement>>();

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
  lead?: LeadingWrite,
): Promise<OrgSnapshot & { people: Map<string, Recipient>; led: number | null }> {
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
  let read = readOrg;
  if (lead) {
    read = ledReads.get(lead.build) ?? orgStatement(`org_for_${lead.label}`, lead.build);
    ledReads.set(lead.build, read);
  }
  const values: OrgValues = {
    org_workspaceId: workspaceId,
    org_readHere: readHere,
    org_ownerId: ownerId,
    org_targetTeamId: targetTeamId,
    org_teamIds: uuids(teamIds),
    org_named: uuids(named),
  };
  const [row] = await read<OrgRow>(db, lead ? { ...lead.values, ...values } : values);
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
    led: row?.led ?? null,
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
