/** The bounded report lists: overdue items across kinds and soon-expiring certifications. */
import type { AuthContext } from '@vigil/kernel/auth';
import { type SQL, sql } from 'drizzle-orm';
import { HELD_CERT } from '../certifications/rules';
import type { Executor } from '../db';
import { col, pastDueSql } from '../obligations/due';
import { visibleMembers, visibleTeams } from '../people/visibility';
import { sqlIn } from '../sql-in';
import { TERMINAL_ASSIGNMENT } from '../training/rules';
import { DAY_MS, daysOverdue, daysUntil, type OverdueKind } from './rules';
import { date, OPEN_INSTANCES, rows, str } from './sql';

export interface OverdueFilter {
  kind?: OverdueKind;
  owner_id?: string;
  team_id?: string;
  limit: number;
}

/**
 * Every overdue item across kinds, most overdue first, bounded by `limit` (no cursor). Only items the
 * caller may read (people/visibility.ts): owned by them or someone they manage or lead, or (reminder
 * instances) assigned to a team they belong to or lead; every item for admins, approvers and auditors.
 */
export async function overdueReport(db: Executor, ctx: AuthContext, f: OverdueFilter, now = new Date()) {
  const ws = ctx.workspaceId;
  const parts: SQL[] = [];
  const want = (k: OverdueKind) => !f.kind || f.kind === k;
  if (want('training_assignment'))
    parts.push(sql`SELECT 'training_assignment' AS kind, a.id, t.name AS title, a.developer_id AS owner_id, NULL::uuid AS team_id,
      a.due_date AS due_at, a.current_escalation_level AS level
      FROM training_assignments a JOIN mandatory_trainings t ON t.id = a.mandatory_training_id
      WHERE a.workspace_id = ${ws} AND a.status NOT IN ${sqlIn(TERMINAL_ASSIGNMENT)}
        AND (a.status = 'OVERDUE' OR ${pastDueSql(col('a.due_date'), now)})`);
  if (want('member_certification'))
    parts.push(sql`SELECT 'member_certification' AS kind, d.id, c.name AS title, d.developer_id AS owner_id, NULL::uuid AS team_id,
      d.expiry_date AS due_at, d.current_escalation_level AS level
      FROM developer_certifications d JOIN certifications c ON c.id = d.certification_id
      WHERE d.workspace_id = ${ws} AND c.is_required AND d.status <> 'REVOKED'
        AND (d.status = 'EXPIRED' OR ${pastDueSql(col('d.expiry_date'), now)}) AND d.expiry_date IS NOT NULL
        AND NOT EXISTS (SELECT 1 FROM developer_certifications v WHERE v.developer_id = d.developer_id
          AND v.certification_id = d.certification_id AND v.status IN ${sqlIn(HELD_CERT)}
          AND (v.expiry_date IS NULL OR NOT ${pastDueSql(col('v.expiry_date'), now)}))`);
  if (want('reminder_instance'))
    parts.push(sql`SELECT 'reminder_instance' AS kind, i.id, r.title, i.assigned_owner_id AS owner_id, i.assigned_team_id AS team_id,
      i.due_date AS due_at, i.current_escalation_level AS level
      FROM reminder_instances i JOIN reminders r ON r.id = i.reminder_id
      WHERE i.workspace_id = ${ws} AND i.status IN ${OPEN_INSTANCES}
        AND (i.status IN ('OVERDUE', 'ESCALATED') OR ${pastDueSql(col('i.due_date'), now)})`);
  if (want('acknowledgement_request'))
    parts.push(sql`SELECT 'acknowledgement_request' AS kind, q.id, p.name AS title, q.member_id AS owner_id, NULL::uuid AS team_id,
      q.due_at, o.current_escalation_level AS level
      FROM acknowledgement_requests q JOIN policies p ON p.id = q.policy_id
      LEFT JOIN acknowledgement_obligations o ON o.id = q.obligation_id
      WHERE q.workspace_id = ${ws} AND (q.status = 'OVERDUE' OR (q.status = 'PENDING' AND ${pastDueSql(col('q.due_at'), now)}))`);
  const where: SQL[] = [sql`TRUE`];
  const people = visibleMembers(ctx);
  const teams = visibleTeams(ctx);
  if (people !== 'all' && teams !== 'all')
    where.push(sql`(x.owner_id IN ${people} OR x.team_id IN ${teams})`);
  if (f.owner_id) where.push(sql`x.owner_id = ${f.owner_id}`);
  if (f.team_id)
    where.push(
      sql`x.owner_id IN (SELECT member_id FROM team_members WHERE workspace_id = ${ws} AND team_id = ${f.team_id})`,
    );
  const union = sql.join(parts, sql` UNION ALL `);
  const found = await rows(
    db,
    sql`SELECT x.*, m.name AS owner_name FROM (${union}) x LEFT JOIN members m ON m.id = x.owner_id
      WHERE ${sql.join(where, sql` AND `)} ORDER BY x.due_at ASC, x.kind, x.id LIMIT ${f.limit + 1}`,
  );
  const truncated = found.length > f.limit;
  const data = found.slice(0, f.limit).map((r) => {
    const due = date(r.due_at);
    return {
      kind: String(r.kind) as OverdueKind,
      id: String(r.id),
      title: String(r.title),
      owner_id: str(r.owner_id),
      owner_name: str(r.owner_name),
      due_at: due.toISOString(),
      days_overdue: daysOverdue(due, now),
      escalation_level: str(r.level),
    };
  });
  return { generated_at: now.toISOString(), count: data.length, truncated, data };
}

/** Valid certifications whose expiry falls within the next `daysAhead` days, soonest first (read scope as above). */
export async function expiringCertifications(
  db: Executor,
  ctx: AuthContext,
  daysAhead: number,
  limit: number,
  now = new Date(),
) {
  const until = new Date(now.getTime() + daysAhead * DAY_MS);
  const people = visibleMembers(ctx);
  const readable = people === 'all' ? sql`TRUE` : sql`d.developer_id IN ${people}`;
  const found = await rows(
    db,
    sql`SELECT d.id, d.certification_id, c.name, c.is_required, d.developer_id, m.name AS developer_name,
      d.status, d.expiry_date
      FROM developer_certifications d JOIN certifications c ON c.id = d.certification_id
      LEFT JOIN members m ON m.id = d.developer_id
      WHERE d.workspace_id = ${ctx.workspaceId} AND ${readable} AND d.status IN ${sqlIn(HELD_CERT)}
        AND NOT ${pastDueSql(col('d.expiry_date'), now)} AND d.expiry_date <= ${until}
      ORDER BY d.expiry_date, d.id LIMIT ${limit + 1}`,
  );
  const data = found.slice(0, limit).map((r) => {
    const expiry = date(r.expiry_date);
    return {
      id: String(r.id),
      certification_id: String(r.certification_id),
      certification_name: String(r.name),
      is_required: Boolean(r.is_required),
      developer_id: String(r.developer_id),
      developer_name: str(r.developer_name),
      status: String(r.status),
      expiry_date: expiry.toISOString(),
      days_until_expiry: daysUntil(expiry, now) ?? 0,
    };
  });
  return {
    generated_at: now.toISOString(),
    days_ahead: daysAhead,
    count: data.length,
    truncated: found.length > limit,
    data,
  };
}
