import { systemContext } from '@vigil/kernel/auth';
import { eq, sql } from 'drizzle-orm';
import { audit } from '../audit/service';
import { HELD_CERT } from '../certifications/rules';
import type { Db, Executor } from '../db';
import { emitEvents } from '../events/service';
import { col, pastDueSql } from '../obligations/due';
import { getSettings } from '../people/access';
import { OPEN_ACK } from '../policies/rules';
import { OPEN_INSTANCE } from '../reminders/rules';
import { sqlIn } from '../sql-in';
import { TERMINAL_ASSIGNMENT } from '../training/rules';
import {
  type ComplianceCounts,
  type ComplianceThresholds,
  classifyCompliance,
  complianceTransition,
  DEFAULT_THRESHOLDS,
} from './rules';
import { workspaceCompliance } from './schema';

/** What is late in a workspace now, per category (the same boundaries as the reports). */
export async function complianceCounts(
  db: Executor,
  ws: string,
  now = new Date(),
): Promise<ComplianceCounts> {
  const res = await db.execute(sql`SELECT
    (SELECT count(*)::int FROM training_assignments WHERE workspace_id = ${ws}
      AND status NOT IN ${sqlIn(TERMINAL_ASSIGNMENT)} AND (status = 'OVERDUE' OR ${pastDueSql(col('due_date'), now)})) AS overdue_trainings,
    (SELECT count(*)::int FROM certifications c JOIN members m ON m.workspace_id = c.workspace_id AND m.status = 'ACTIVE'
      WHERE c.workspace_id = ${ws} AND c.is_required AND NOT EXISTS (
        SELECT 1 FROM developer_certifications d WHERE d.certification_id = c.id AND d.developer_id = m.id
          AND d.status IN ${sqlIn(HELD_CERT)} AND (d.expiry_date IS NULL OR NOT ${pastDueSql(col('d.expiry_date'), now)}))) AS missing_required_certifications,
    (SELECT count(*)::int FROM acknowledgement_requests WHERE workspace_id = ${ws}
      AND status IN ${sqlIn(OPEN_ACK)} AND (status = 'OVERDUE' OR ${pastDueSql(col('due_at'), now)})) AS overdue_acknowledgements,
    (SELECT count(*)::int FROM reminder_instances WHERE workspace_id = ${ws} AND status IN ${sqlIn(OPEN_INSTANCE)}
      AND (status IN ('OVERDUE', 'ESCALATED') OR ${pastDueSql(col('due_date'), now)})) AS overdue_controls`);
  const r = (res.rows[0] ?? {}) as Record<string, unknown>;
  return {
    overdue_trainings: Number(r.overdue_trainings ?? 0),
    missing_required_certifications: Number(r.missing_required_certifications ?? 0),
    overdue_acknowledgements: Number(r.overdue_acknowledgements ?? 0),
    overdue_controls: Number(r.overdue_controls ?? 0),
  };
}

/**
 * Computes one workspace's status in one transaction (its status row locked): stores it, and on a
 * change records since when, audits it and emits workspace.compliance_status_changed with before
 * and after. Returns whether it changed.
 */
export async function checkWorkspaceCompliance(db: Db, ws: string, now = new Date()): Promise<boolean> {
  return db.transaction(async (tx) => {
    await tx.execute(sql`SELECT pg_advisory_xact_lock(hashtext('compliance:' || ${ws}))`);
    const [prev] = await tx.select().from(workspaceCompliance).where(eq(workspaceCompliance.workspaceId, ws));
    const settings = await getSettings(tx, ws);
    const thresholds = (settings.complianceThresholds as ComplianceThresholds | null) ?? DEFAULT_THRESHOLDS;
    const counts = await complianceCounts(tx, ws, now);
    const status = classifyCompliance(counts, thresholds);
    const change = complianceTransition(prev?.status ?? null, status);
    const since = change ? now : (prev?.since ?? now);
    await tx
      .insert(workspaceCompliance)
      .values({ workspaceId: ws, status, since, counts, checkedAt: now })
      .onConflictDoUpdate({
        target: workspaceCompliance.workspaceId,
        set: { status, since, counts, checkedAt: now },
      });
    if (!change) return false;
    await emitEvents(tx, [
      {
        workspaceId: ws,
        type: 'workspace.compliance_status_changed',
        subjectType: 'workspace',
        subjectId: ws,
        payload: { ...change, since: now.toISOString(), counts },
        dedupeKey: now.toISOString(),
      },
    ]);
    await audit(tx, systemContext(ws), {
      action: 'COMPLIANCE_STATUS_CHANGED',
      targetType: 'workspace',
      targetId: ws,
      oldValue: { status: change.before },
      newValue: { status: change.after, counts },
      description: `Compliance status ${change.before} → ${change.after}`,
    });
    return true;
  });
}

/** check-bulk-compliance: every workspace's status, one transaction each. */
export async function checkBulkCompliance(db: Db, now = new Date()) {
  const res = await db.execute(sql`SELECT id FROM workspaces ORDER BY id`);
  let changed = 0;
  for (const r of res.rows as Array<{ id: string }>)
    if (await checkWorkspaceCompliance(db, r.id, now)) changed++;
  return { workspaces: res.rows.length, changed };
}

/** The stored status for the overview; null before the first check. */
export async function currentCompliance(db: Executor, ws: string) {
  const [row] = await db.select().from(workspaceCompliance).where(eq(workspaceCompliance.workspaceId, ws));
  return row
    ? {
        status: row.status,
        since: row.since.toISOString(),
        checked_at: row.checkedAt.toISOString(),
        counts: row.counts,
      }
    : null;
}
