/**
 * Read scoping by role: whose items (training assignments, held certifications, reminder
 * instances, acknowledgements, report rows) a caller may read.
 *
 * - ADMIN, APPROVER and AUDITOR read everyone's (`READ_EVERYONES_ITEMS`).
 * - Everyone else (MANAGER and MEMBER) reads their own items, those of the people they manage
 *   (direct and indirect reports through `members.manager_id`) and those of the members of the
 *   teams they lead (`teams.lead_id`). A led team's members' own reports are not included: the
 *   scope is exactly the owners whose escalation ladder reaches the caller as team lead (L1) or
 *   manager (L2 and up).
 *
 * The set is one recursive SQL subquery, so a list keeps its paging in SQL:
 * `and(..., readableBy(ctx, table.ownerColumn))`. An item outside the set is treated like an
 * id of another workspace (404); a filter naming someone outside it gives an empty page.
 */
import { type AuthContext, seesEverything } from '@vigil/kernel/auth';
import { NotFound } from '@vigil/kernel/errors';
import { type AnyColumn, inArray, or, type SQL, sql } from 'drizzle-orm';
import type { Executor } from '../db';
import { members, teamMembers, teams } from './schema';

/** Either every member, or a subquery `(SELECT id ...)` of the member ids the caller may read. */
export type Visible = 'all' | SQL;

/** The member ids the caller may read: "all", or a subquery for `inArray(column, …)` or `x IN …`. */
export function visibleMembers(ctx: AuthContext): Visible {
  if (seesEverything(ctx)) return 'all';
  const ws = ctx.workspaceId;
  // UNION (not UNION ALL) drops repeats, so a cycle in manager_id ends the recursion.
  return sql`(WITH RECURSIVE managed(id) AS (
      SELECT ${members.id} FROM ${members}
       WHERE ${members.workspaceId} = ${ws} AND ${members.id} = ${ctx.memberId}
      UNION
      SELECT m.id FROM ${members} m JOIN managed ON m.manager_id = managed.id
       WHERE m.workspace_id = ${ws}
    )
    SELECT id FROM managed
    UNION
    SELECT tm.member_id FROM ${teamMembers} tm JOIN ${teams} t ON t.id = tm.team_id
     WHERE t.workspace_id = ${ws} AND tm.workspace_id = ${ws} AND t.lead_id = ${ctx.memberId})`;
}

/** Teams whose team-assigned items the caller reads: "all", or the teams they belong to or lead. */
export function visibleTeams(ctx: AuthContext): Visible {
  if (seesEverything(ctx)) return 'all';
  const ws = ctx.workspaceId;
  return sql`(SELECT ${teamMembers.teamId} FROM ${teamMembers}
     WHERE ${teamMembers.workspaceId} = ${ws} AND ${teamMembers.memberId} = ${ctx.memberId}
    UNION
    SELECT ${teams.id} FROM ${teams} WHERE ${teams.workspaceId} = ${ws} AND ${teams.leadId} = ${ctx.memberId})`;
}

/** A condition on an owner column: the row belongs to someone the caller may read (undefined: no limit). */
export function readableBy(ctx: AuthContext, owner: AnyColumn): SQL | undefined {
  const visible = visibleMembers(ctx);
  return visible === 'all' ? undefined : inArray(owner, visible);
}

/**
 * For items owned by a member or, failing that, a team (reminder instances): readable when the
 * owner is someone the caller may read, or the team is one they belong to or lead.
 */
export function readableByOwnerOrTeam(ctx: AuthContext, owner: AnyColumn, team: AnyColumn): SQL | undefined {
  const people = visibleMembers(ctx);
  const teamIds = visibleTeams(ctx);
  if (people === 'all' || teamIds === 'all') return undefined;
  return or(inArray(owner, people), inArray(team, teamIds));
}

/** Whether the caller may read this member's items. */
export async function canReadMember(db: Executor, ctx: AuthContext, memberId: string): Promise<boolean> {
  const visible = visibleMembers(ctx);
  if (visible === 'all') return true;
  const res = await db.execute(sql`SELECT ${memberId}::uuid IN ${visible} AS ok`);
  return (res.rows[0] as { ok?: boolean } | undefined)?.ok === true;
}

/** 404, as for an unknown member, when the caller may not read this member's items. */
export async function assertCanReadMember(db: Executor, ctx: AuthContext, memberId: string): Promise<void> {
  if (!(await canReadMember(db, ctx, memberId))) throw new NotFound('Member', memberId);
}

/**
 * The caller's own team, whatever their access role: their direct and indirect reports (through
 * `members.manager_id`) and the members of the teams they lead, never the caller. The same chain
 * as `visibleMembers` for a manager, but an admin's team is their reports too, not everyone.
 */
export function reportsOf(ctx: AuthContext): SQL {
  const ws = ctx.workspaceId;
  return sql`(WITH RECURSIVE managed(id) AS (
      SELECT m.id FROM ${members} m WHERE m.workspace_id = ${ws} AND m.manager_id = ${ctx.memberId}
      UNION
      SELECT m.id FROM ${members} m JOIN managed ON m.manager_id = managed.id
       WHERE m.workspace_id = ${ws}
    )
    SELECT id FROM managed WHERE id <> ${ctx.memberId}
    UNION
    SELECT tm.member_id FROM ${teamMembers} tm JOIN ${teams} t ON t.id = tm.team_id
     WHERE t.workspace_id = ${ws} AND tm.workspace_id = ${ws} AND t.lead_id = ${ctx.memberId}
       AND tm.member_id <> ${ctx.memberId})`;
}

/** Whether the caller has anyone in their team (reports or members of a team they lead). */
export async function hasReports(db: Executor, ctx: AuthContext): Promise<boolean> {
  const res = await db.execute(sql`SELECT EXISTS(${reportsOf(ctx)}) AS ok`);
  return (res.rows[0] as { ok?: boolean } | undefined)?.ok === true;
}
