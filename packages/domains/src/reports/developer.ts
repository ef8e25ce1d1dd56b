/** Read-only compliance reports over the training, certification, reminder, policy and ticket tables. */
import type { AuthContext } from '@vigil/kernel/auth';
import { NotFound } from '@vigil/kernel/errors';
import { sql } from 'drizzle-orm';
import { certComputed, expiringWindowMs } from '../certifications/rules';
import type { Executor } from '../db';
import { assertCanReadMember } from '../people/visibility';
import { daysUntil, developerSummary, isAckOverdue, isAssignmentOverdue, isInstanceOverdue } from './rules';

import { certExpiringDays, date, dateOrNull, jsonRow, OPEN_INSTANCES, rows } from './sql';

/**
 * One member's compliance picture. Admins, approvers and auditors read anyone's; others their own and
 * that of the people they manage or lead (people/visibility.ts); anyone else is a 404, like an unknown id.
 */
export async function developerStatus(db: Executor, ctx: AuthContext, id: string, now = new Date()) {
  await assertCanReadMember(db, ctx, id);
  const ws = ctx.workspaceId;
  const [member] = await rows(
    db,
    sql`SELECT id, name, email, status FROM members WHERE workspace_id = ${ws} AND id = ${id}`,
  );
  if (!member) throw new NotFound('Member', id);
  const windowDays = await certExpiringDays(db, ws);

  const assignmentsRaw = await rows(
    db,
    sql`SELECT a.id, a.mandatory_training_id, t.name AS training_name, a.status, a.due_date, a.completed_at,
        a.acknowledged_at, a.progress_percentage, a.current_escalation_level
        FROM training_assignments a JOIN mandatory_trainings t ON t.id = a.mandatory_training_id
        WHERE a.workspace_id = ${ws} AND a.developer_id = ${id} ORDER BY a.due_date, a.id`,
  );
  const assignments = assignmentsRaw.map((r) => {
    const due = date(r.due_date);
    return {
      ...jsonRow(r),
      days_until_due: daysUntil(due, now),
      is_overdue: isAssignmentOverdue(String(r.status), due, now),
    };
  });
  const certificationsRaw = await rows(
    db,
    sql`SELECT d.id, d.certification_id, c.name AS certification_name, c.is_required, d.status, d.issued_date,
        d.expiry_date, c.expiring_soon_offset FROM developer_certifications d JOIN certifications c ON c.id = d.certification_id
        WHERE d.workspace_id = ${ws} AND d.developer_id = ${id} ORDER BY d.expiry_date NULLS LAST, d.id`,
  );
  const certifications = certificationsRaw.map(({ expiring_soon_offset: offset, ...r }) => ({
    ...jsonRow(r),
    ...certComputed(
      { expiryDate: dateOrNull(r.expiry_date), status: String(r.status) },
      expiringWindowMs(typeof offset === 'string' ? offset : null, windowDays),
      now,
    ),
  }));
  const required = await rows(
    db,
    sql`SELECT id, name FROM certifications WHERE workspace_id = ${ws} AND is_required ORDER BY name, id`,
  );
  const remindersRaw = await rows(
    db,
    sql`SELECT i.id, i.reminder_id, r.title, i.status, i.due_date, i.acknowledged_at, i.current_escalation_level
        FROM reminder_instances i JOIN reminders r ON r.id = i.reminder_id
        WHERE i.workspace_id = ${ws} AND i.assigned_owner_id = ${id} AND i.status IN ${OPEN_INSTANCES}
        ORDER BY i.due_date, i.id`,
  );
  const reminders = remindersRaw.map((r) => {
    const due = date(r.due_date);
    return {
      ...jsonRow(r),
      days_until_due: daysUntil(due, now),
      is_overdue: isInstanceOverdue(String(r.status), due, now),
    };
  });
  const acksRaw = await rows(
    db,
    sql`SELECT a.id, a.policy_id, p.name AS policy_name, a.policy_version_id, a.status, a.due_at, a.acknowledged_at
        FROM acknowledgement_requests a JOIN policies p ON p.id = a.policy_id
        WHERE a.workspace_id = ${ws} AND a.member_id = ${id} AND a.status <> 'CANCELLED'
        ORDER BY a.due_at, a.id`,
  );
  const acks = acksRaw.map((r) => {
    const due = date(r.due_at);
    return {
      ...jsonRow(r),
      days_until_due: daysUntil(due, now),
      is_overdue: isAckOverdue(String(r.status), due, now),
    };
  });

  const summary = developerSummary(
    {
      assignments: assignmentsRaw.map((a) => ({ status: String(a.status), due: date(a.due_date) })),
      certifications: certificationsRaw.map((c) => ({
        certificationId: String(c.certification_id),
        status: String(c.status),
        expiry: dateOrNull(c.expiry_date),
      })),
      required: required.map((r) => ({ id: String(r.id), name: String(r.name) })),
      reminders: remindersRaw.map((r) => ({ status: String(r.status), due: date(r.due_date) })),
      acks: acksRaw.map((a) => ({ status: String(a.status), due: date(a.due_at) })),
    },
    now,
  );
  return {
    developer: jsonRow(member),
    status: summary.status,
    generated_at: now.toISOString(),
    assignments,
    certifications,
    missing_required_certifications: summary.missingRequired,
    open_reminder_instances: reminders,
    policy_acknowledgements: { requests: acks, ...summary.acknowledgements },
  };
}
