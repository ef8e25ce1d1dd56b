import { sql } from 'drizzle-orm';
import { HELD_CERT } from '../certifications/rules';
import { currentCompliance } from '../compliance/service';
import type { Executor } from '../db';
import { OPEN_TICKET } from '../escalation/rules';
import { col, pastDueSql } from '../obligations/due';
import { percent as rate } from '../percent';
import { OPEN_ACK } from '../policies/rules';
import { sqlIn } from '../sql-in';
import { TERMINAL_ASSIGNMENT } from '../training/rules';
import { byStatus, complianceScore, DAY_MS, OVERVIEW_EXPIRING_DAYS } from './rules';

import { ACK, ASSIGNMENT, CERT, counts, INSTANCE, num, OPEN_INSTANCES, rows, TICKET } from './sql';

/** Workspace-wide statistics and the overall compliance score. */
export async function overview(db: Executor, workspaceId: string, now = new Date()) {
  const ws = workspaceId;
  const in30 = new Date(now.getTime() + OVERVIEW_EXPIRING_DAYS * DAY_MS);
  const [memberRow] = await rows(
    db,
    sql`SELECT count(*)::int AS n FROM members WHERE workspace_id = ${ws} AND status = 'ACTIVE'`,
  );
  const activeMembers = num(memberRow?.n);

  const training = counts(
    await rows(
      db,
      sql`SELECT status, count(*)::int AS n FROM training_assignments
      WHERE workspace_id = ${ws} GROUP BY status`,
    ),
  );
  const [tx] = await rows(
    db,
    sql`SELECT
      count(*) FILTER (WHERE status NOT IN ${sqlIn(TERMINAL_ASSIGNMENT)} AND (status = 'OVERDUE' OR ${pastDueSql(col('due_date'), now)}))::int AS overdue,
      count(*) FILTER (WHERE status = 'COMPLETED' AND completed_at IS NOT NULL)::int AS completed,
      count(*) FILTER (WHERE status <> 'WAIVED')::int AS counted
      FROM training_assignments WHERE workspace_id = ${ws}`,
  );

  const certs = counts(
    await rows(
      db,
      sql`SELECT status, count(*)::int AS n FROM developer_certifications
      WHERE workspace_id = ${ws} GROUP BY status`,
    ),
  );
  const [cx] = await rows(
    db,
    sql`SELECT
      (SELECT count(*)::int FROM developer_certifications WHERE workspace_id = ${ws}
        AND status IN ${sqlIn(HELD_CERT)} AND NOT ${pastDueSql(col('expiry_date'), now)} AND expiry_date <= ${in30}) AS expiring,
      (SELECT count(*)::int FROM certifications WHERE workspace_id = ${ws} AND is_required) AS required,
      (SELECT count(*)::int FROM certifications c JOIN members m ON m.workspace_id = c.workspace_id AND m.status = 'ACTIVE'
        WHERE c.workspace_id = ${ws} AND c.is_required AND NOT EXISTS (
          SELECT 1 FROM developer_certifications d WHERE d.certification_id = c.id AND d.developer_id = m.id
            AND d.status IN ${sqlIn(HELD_CERT)} AND (d.expiry_date IS NULL OR NOT ${pastDueSql(col('d.expiry_date'), now)}))) AS missing_pairs,
      (SELECT count(DISTINCT m.id)::int FROM certifications c JOIN members m ON m.workspace_id = c.workspace_id AND m.status = 'ACTIVE'
        WHERE c.workspace_id = ${ws} AND c.is_required AND NOT EXISTS (
          SELECT 1 FROM developer_certifications d WHERE d.certification_id = c.id AND d.developer_id = m.id
            AND d.status IN ${sqlIn(HELD_CERT)} AND (d.expiry_date IS NULL OR NOT ${pastDueSql(col('d.expiry_date'), now)}))) AS missing_members`,
  );

  const instances = counts(
    await rows(
      db,
      sql`SELECT status, count(*)::int AS n FROM reminder_instances
      WHERE workspace_id = ${ws} GROUP BY status`,
    ),
  );
  const [rx] = await rows(
    db,
    sql`SELECT
      count(*) FILTER (WHERE status IN ${OPEN_INSTANCES} AND (status IN ('OVERDUE', 'ESCALATED') OR ${pastDueSql(col('due_date'), now)}))::int AS overdue,
      count(*) FILTER (WHERE status = 'COMPLETED' AND completed_at IS NOT NULL)::int AS completed,
      count(*) FILTER (WHERE status <> 'SKIPPED' AND (status = 'COMPLETED' OR ${pastDueSql(col('due_date'), now)}))::int AS counted
      FROM reminder_instances WHERE workspace_id = ${ws}`,
  );

  const acks = counts(
    await rows(
      db,
      sql`SELECT status, count(*)::int AS n FROM acknowledgement_requests
      WHERE workspace_id = ${ws} GROUP BY status`,
    ),
  );
  const [px] = await rows(
    db,
    sql`SELECT
      (SELECT count(*)::int FROM policy_versions WHERE workspace_id = ${ws} AND status = 'PENDING_APPROVAL') AS pending_approval,
      (SELECT count(DISTINCT r.member_id)::int FROM acknowledgement_requests r JOIN members m ON m.id = r.member_id AND m.status = 'ACTIVE'
        WHERE r.workspace_id = ${ws} AND r.status <> 'CANCELLED') AS requested_members,
      (SELECT count(DISTINCT r.member_id)::int FROM acknowledgement_requests r JOIN members m ON m.id = r.member_id AND m.status = 'ACTIVE'
        WHERE r.workspace_id = ${ws} AND r.status <> 'CANCELLED' AND NOT EXISTS (
          SELECT 1 FROM acknowledgement_requests o WHERE o.workspace_id = r.workspace_id AND o.member_id = r.member_id
            AND o.status IN ${sqlIn(OPEN_ACK)})) AS full_members,
      (SELECT count(*)::int FROM acknowledgement_requests WHERE workspace_id = ${ws}
        AND (status = 'OVERDUE' OR (status = 'PENDING' AND ${pastDueSql(col('due_at'), now)}))) AS overdue`,
  );

  const tickets = counts(
    await rows(
      db,
      sql`SELECT status, count(*)::int AS n FROM tickets WHERE workspace_id = ${ws} GROUP BY status`,
    ),
  );
  const [kx] = await rows(
    db,
    sql`SELECT count(*)::int AS open,
      count(*) FILTER (WHERE current_escalation_level IS NOT NULL)::int AS escalated
      FROM tickets WHERE workspace_id = ${ws} AND status IN ${sqlIn(OPEN_TICKET)}`,
  );

  const ackByStatus = byStatus(ACK, acks);
  const trainingRate = rate(num(tx?.completed), num(tx?.counted));
  const requiredPairs = num(cx?.required) * activeMembers;
  const certRate = rate(requiredPairs - num(cx?.missing_pairs), requiredPairs);
  const reminderRate = rate(num(rx?.completed), num(rx?.counted));
  const ackRate = rate(
    ackByStatus.ACKNOWLEDGED,
    ackByStatus.PENDING + ackByStatus.ACKNOWLEDGED + ackByStatus.OVERDUE,
  );
  return {
    generated_at: now.toISOString(),
    members: { active: activeMembers },
    training: {
      by_status: byStatus(ASSIGNMENT, training),
      total: training.reduce((s, r) => s + r.n, 0),
      overdue: num(tx?.overdue),
      completion_rate: trainingRate,
    },
    certifications: {
      by_status: byStatus(CERT, certs),
      total: certs.reduce((s, r) => s + r.n, 0),
      expiring_in_30_days: num(cx?.expiring),
      required_certifications: num(cx?.required),
      members_missing_required: num(cx?.missing_members),
      required_coverage_rate: certRate,
    },
    reminders: {
      by_status: byStatus(INSTANCE, instances),
      total: instances.reduce((s, r) => s + r.n, 0),
      overdue: num(rx?.overdue),
      completion_rate: reminderRate,
    },
    policies: {
      requests_by_status: ackByStatus,
      overdue_requests: num(px?.overdue),
      members_requested: num(px?.requested_members),
      members_fully_acknowledged: num(px?.full_members),
      members_fully_acknowledged_rate: rate(num(px?.full_members), num(px?.requested_members)),
      acknowledgement_rate: ackRate,
      policies_pending_approval: num(px?.pending_approval),
    },
    tickets: { by_status: byStatus(TICKET, tickets), open: num(kx?.open), escalated: num(kx?.escalated) },
    compliance_score: complianceScore([trainingRate, certRate, reminderRate, ackRate]),
    compliance_status: await currentCompliance(db, ws),
  };
}
