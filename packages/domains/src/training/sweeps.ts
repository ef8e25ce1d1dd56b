import { systemContext } from '@vigil/kernel/auth';
import { Effects } from '@vigil/kernel/effects';
import { inArray, sql } from 'drizzle-orm';
import type { AuditAction } from '../audit/rules';
import { type AuditEntry, audit } from '../audit/service';
import type { Db, Executor } from '../db';
import type { AppDeps } from '../deps';
import { quietWorkflowCommands } from '../obligations/commands';
import { col, pastDueSql } from '../obligations/due';
import type { Sweep } from '../schedules';
import { sqlIn } from '../sql-in';
import { type AssignmentRow, insertAssignments, matchingMemberIds } from './assign';
import { DEFAULT_DUE_DAYS, DUE_ASSIGNMENT } from './rules';
import { mandatoryTrainings } from './schema';

const DAY_MS = 24 * 60 * 60 * 1000;

interface Corrected {
  id: string;
  workspace_id: string;
  [k: string]: unknown;
}

/** Audits a sweep's corrections, one entry per row, grouped by workspace (system actor). */
export async function auditCorrections(
  tx: Executor,
  rows: Corrected[],
  action: AuditAction,
  targetType: string,
  describe: (r: Corrected) => string,
) {
  const byWs = new Map<string, AuditEntry[]>();
  for (const r of rows) {
    const list = byWs.get(r.workspace_id) ?? [];
    list.push({
      action,
      targetType,
      targetId: r.id,
      newValue: { status: r.status },
      description: describe(r),
    });
    byWs.set(r.workspace_id, list);
  }
  for (const [ws, entries] of byWs) await audit(tx, systemContext(ws), entries);
}

/**
 * Safety net: assignments due within the workspace's first reminder (its largest reminder
 * offset; 7 days when none) emit assignment.approaching_due (deduplicated per day).
 */
export async function checkApproachingDueAssignments(db: Db) {
  const res = await db.execute(sql`
    WITH due AS (
      SELECT a.id, a.workspace_id, a.developer_id, a.due_date
      FROM training_assignments a
      LEFT JOIN workspace_settings s ON s.workspace_id = a.workspace_id
      WHERE a.status IN ${sqlIn(DUE_ASSIGNMENT)} AND NOT ${pastDueSql(col('a.due_date'))}
        AND a.due_date <= now() + coalesce(
          (SELECT max(o::interval) FROM jsonb_array_elements_text(s.reminder_offsets) o),
          interval '7 days')
    )
    INSERT INTO events (id, workspace_id, type, entity_type, entity_id, payload)
    SELECT vigil_uuid_v7(), workspace_id, 'assignment.approaching_due', 'training_assignment', id,
           jsonb_build_object('developer_id', developer_id, 'due_date', due_date)
    FROM due
    ON CONFLICT DO NOTHING
    RETURNING id`);
  return { events: res.rows.length };
}

/** Safety net: one UPDATE marks every open assignment past its due date OVERDUE; emits assignment.overdue. */
export async function checkOverdueAssignments(db: Db, now = new Date()) {
  return db.transaction(async (tx) => {
    await quietWorkflowCommands(tx);
    const res = await tx.execute(sql`
      WITH upd AS (
        UPDATE training_assignments SET status = 'OVERDUE', updated_at = now()
        WHERE status IN ${sqlIn(DUE_ASSIGNMENT)} AND ${pastDueSql(col('due_date'), now)}
        RETURNING id, workspace_id, developer_id, due_date, status
      ), ev AS (
        INSERT INTO events (id, workspace_id, type, entity_type, entity_id, payload)
        SELECT vigil_uuid_v7(), workspace_id, 'assignment.overdue', 'training_assignment', id,
               jsonb_build_object('developer_id', developer_id, 'due_date', due_date)
        FROM upd
        ON CONFLICT DO NOTHING
        RETURNING id
      )
      SELECT upd.*, (SELECT count(*)::int FROM ev) AS events FROM upd`);
    const rows = res.rows as unknown as Array<Corrected & { events: number }>;
    await auditCorrections(
      tx,
      rows,
      'TRAINING_OVERDUE',
      'training_assignment',
      () => 'Overdue (daily check)',
    );
    return { corrected: rows.length, events: rows[0]?.events ?? 0 };
  });
}

/**
 * Recurring trainings: when a member's latest cycle is recurring_months old, the next
 * cycle's assignment is created (idempotent on (training, member, cycle)) if the member
 * is still active and, for a TEAM, ROLE or ALL training, still in its scope; earlier
 * cycles stay as history.
 */
export async function regenerateRecurring(deps: AppDeps, now = new Date()) {
  const due = await deps.db.execute(sql`
    SELECT t.id AS training_id, last.developer_id, last.cycle
    FROM mandatory_trainings t
    JOIN LATERAL (
      SELECT DISTINCT ON (a.developer_id) a.developer_id, a.cycle, a.created_at
      FROM training_assignments a WHERE a.mandatory_training_id = t.id
      ORDER BY a.developer_id, a.cycle DESC
    ) last ON true
    JOIN members m ON m.id = last.developer_id AND m.status = 'ACTIVE'
    WHERE t.is_active AND t.recurring_months IS NOT NULL
      AND last.created_at + make_interval(months => t.recurring_months) <= ${now.toISOString()}::timestamptz`);
  const groups = new Map<string, string[]>();
  for (const r of due.rows as Array<{ training_id: string; developer_id: string; cycle: number }>) {
    const key = `${r.training_id}:${r.cycle + 1}`;
    groups.set(key, [...(groups.get(key) ?? []), r.developer_id]);
  }
  const ids = [...new Set([...groups.keys()].map((k) => k.split(':')[0] ?? ''))];
  const trainings = ids.length
    ? await deps.db.select().from(mandatoryTrainings).where(inArray(mandatoryTrainings.id, ids))
    : [];
  const fx = new Effects();
  const created: AssignmentRow[] = [];
  for (const [key, memberIds] of groups) {
    const [trainingId, cycle] = key.split(':');
    const t = trainings.find((x) => x.id === trainingId);
    if (!t) continue;
    // A team, role or workspace-wide training recurs only for members still in its scope;
    // an individual one for whoever held it (named or assigned by hand).
    const inScope =
      t.appliesToType === 'INDIVIDUAL'
        ? memberIds
        : await matchingMemberIds(deps.db, t.workspaceId, {
            type: t.appliesToType,
            ids: t.appliesToIds ?? [],
          });
    const next = memberIds.filter((id) => inScope.includes(id));
    if (!next.length) continue;
    const dueDate =
      t.fixedDueDate && t.fixedDueDate > now
        ? t.fixedDueDate
        : new Date(now.getTime() + (t.dueDaysAfterAssignment ?? DEFAULT_DUE_DAYS) * DAY_MS);
    created.push(
      ...(await deps.db.transaction((tx) =>
        insertAssignments(tx, systemContext(t.workspaceId), t, next, {
          cycle: Number(cycle),
          dueDate,
          now,
          description: `"${t.name}" cycle ${cycle} assigned (every ${t.recurringMonths} months)`,
        }),
      )),
    );
  }
  await fx.run((name, err) =>
    deps.log.warn({ err, effect: name }, 'workflow start failed; reconcile will repair'),
  );
  return { created: created.length };
}

export const trainingSweeps: Sweep[] = [
  {
    id: 'check-approaching-due-assignments',
    description:
      "Training assignments due within the workspace's first reminder offset emit assignment.approaching_due",
    spec: { cronExpressions: ['0 6 * * *'] },
    run: async (deps) => {
      return checkApproachingDueAssignments(deps.db);
    },
  },
  {
    id: 'check-overdue-assignments',
    description: 'Safety net: open assignments past due become OVERDUE; emits assignment.overdue',
    spec: { cronExpressions: ['5 6 * * *'] },
    run: async (deps) => checkOverdueAssignments(deps.db),
  },
  {
    id: 'regenerate-recurring-trainings',
    description: 'Creates the next cycle of recurring trainings whose cycle has elapsed',
    spec: { cronExpressions: ['10 6 * * *'] },
    run: async (deps) => regenerateRecurring(deps),
  },
];
