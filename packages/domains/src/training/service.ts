import { type AuthContext, requireSelfOr } from '@vigil/kernel/auth';
import { NotFound, Unprocessable } from '@vigil/kernel/errors';
import { toColumns } from '@vigil/kernel/serialize';
import { and, desc, eq } from 'drizzle-orm';
import type { AuditAction } from '../audit/rules';
import { audit } from '../audit/service';
import { type Db, type Executor, findInWorkspace } from '../db';
import { oneOf } from '../obligations/rules';
import { changedConcurrently, stillIn } from '../obligations/transitions';
import { filterEquals, listPage } from '../paging';
import { members } from '../people/schema';
import { assertInWorkspace } from '../people/service';
import { readableBy } from '../people/visibility';
import {
  type AssignmentRow,
  alreadyAssigned,
  assignToScope,
  countByStatus,
  insertAssignments,
  type TrainingRow,
} from './assign';
import { TERMINAL_ASSIGNMENT, trainingStats } from './rules';
import { type AppliesToType, type AssignmentStatus, mandatoryTrainings, trainingAssignments } from './schema';

export interface TrainingInput {
  name?: string;
  description?: string | null;
  applies_to_type?: AppliesToType;
  applies_to_ids?: string[];
  due_days_after_assignment?: number | null;
  recurring_months?: number | null;
  fixed_due_date?: string | null;
  learning_path_id?: string | null;
  is_active?: boolean;
}

const columns = (i: TrainingInput) => ({
  ...toColumns(i, ['name', 'description', 'applies_to_type']),
  ...(i.applies_to_ids !== undefined && { appliesToIds: [...new Set(i.applies_to_ids)] }),
  ...(i.due_days_after_assignment !== undefined && { dueDaysAfterAssignment: i.due_days_after_assignment }),
  ...(i.recurring_months !== undefined && { recurringMonths: i.recurring_months }),
  ...(i.fixed_due_date !== undefined && {
    fixedDueDate: i.fixed_due_date ? new Date(i.fixed_due_date) : null,
  }),
  ...(i.learning_path_id !== undefined && { learningPathId: i.learning_path_id }),
  ...(i.is_active !== undefined && { isActive: i.is_active }),
});

async function validateScope(db: Executor, workspaceId: string, type: string, ids: string[]) {
  if (type === 'TEAM') await assertInWorkspace(db, workspaceId, { teams: { 'body.applies_to_ids': ids } });
  if (type === 'ROLE') await assertInWorkspace(db, workspaceId, { roles: { 'body.applies_to_ids': ids } });
  if (type === 'INDIVIDUAL')
    await assertInWorkspace(db, workspaceId, { members: { 'body.applies_to_ids': ids } });
}

export async function getTraining(db: Executor, workspaceId: string, id: string): Promise<TrainingRow> {
  return findInWorkspace(db, mandatoryTrainings, 'Mandatory training', workspaceId, id);
}

export async function createTraining(db: Db, ctx: AuthContext, input: TrainingInput & { name: string }) {
  const type = input.applies_to_type ?? 'ALL';
  await validateScope(db, ctx.workspaceId, type, input.applies_to_ids ?? []);
  const { training, created } = await db.transaction(async (tx) => {
    const [row] = await tx
      .insert(mandatoryTrainings)
      .values({
        workspaceId: ctx.workspaceId,
        name: input.name,
        createdById: ctx.memberId,
        ...columns(input),
      })
      .returning();
    if (!row) throw new Error('insert returned nothing');
    await audit(tx, ctx, {
      action: 'TRAINING_CREATED',
      targetType: 'mandatory_training',
      targetId: row.id,
      newValue: input,
      description: `Mandatory training "${row.name}" created`,
    });
    return { training: row, created: await assignToScope(tx, ctx, row) };
  });
  return { training, assigned: created.length };
}

export async function updateTraining(db: Db, ctx: AuthContext, id: string, input: TrainingInput) {
  const before = await getTraining(db, ctx.workspaceId, id);
  await validateScope(
    db,
    ctx.workspaceId,
    input.applies_to_type ?? before.appliesToType,
    input.applies_to_ids ?? (input.applies_to_type ? [] : before.appliesToIds),
  );
  const { training, created } = await db.transaction(async (tx) => {
    const [row] = await tx
      .update(mandatoryTrainings)
      .set({ ...columns(input), updatedAt: new Date() })
      .where(eq(mandatoryTrainings.id, id))
      .returning();
    if (!row) throw new NotFound('Mandatory training', id);
    await audit(tx, ctx, {
      action: 'TRAINING_UPDATED',
      targetType: 'mandatory_training',
      targetId: id,
      oldValue: {
        applies_to_type: before.appliesToType,
        applies_to_ids: before.appliesToIds,
        name: before.name,
      },
      newValue: input,
      description: 'Open assignments keep their due dates; newly matching members are assigned',
    });
    return { training: row, created: await assignToScope(tx, ctx, row) };
  });
  return { training, assigned: created.length };
}

/** Deactivates: no new assignments; open assignments keep their state and workflows. */
export async function deactivateTraining(db: Db, ctx: AuthContext, id: string) {
  await getTraining(db, ctx.workspaceId, id);
  return db.transaction(async (tx) => {
    const [row] = await tx
      .update(mandatoryTrainings)
      .set({ isActive: false, updatedAt: new Date() })
      .where(eq(mandatoryTrainings.id, id))
      .returning();
    await audit(tx, ctx, {
      action: 'TRAINING_DEACTIVATED',
      targetType: 'mandatory_training',
      targetId: id,
      description: 'Deactivated: no new assignments; open assignments keep their state',
    });
    return row;
  });
}

export async function listTrainings(db: Executor, workspaceId: string) {
  const rows = await db
    .select()
    .from(mandatoryTrainings)
    .where(eq(mandatoryTrainings.workspaceId, workspaceId))
    .orderBy(desc(mandatoryTrainings.id));
  const counts = new Map<string, Record<string, number>>();
  for (const c of await countByStatus(db, workspaceId)) {
    const m = counts.get(c.trainingId) ?? {};
    m[c.status] = c.n;
    counts.set(c.trainingId, m);
  }
  return rows.map((t) => ({ training: t, stats: trainingStats(counts.get(t.id) ?? {}) }));
}

// ---- assignments ----

export async function getAssignment(db: Executor, workspaceId: string, id: string): Promise<AssignmentRow> {
  return findInWorkspace(db, trainingAssignments, 'Training assignment', workspaceId, id);
}

/** One assignment the caller may read; another member's outside their scope is a 404, like an unknown id. */
export async function readAssignment(db: Executor, ctx: AuthContext, id: string): Promise<AssignmentRow> {
  const [row] = await db
    .select()
    .from(trainingAssignments)
    .where(
      and(
        eq(trainingAssignments.workspaceId, ctx.workspaceId),
        eq(trainingAssignments.id, id),
        readableBy(ctx, trainingAssignments.developerId),
      ),
    );
  if (!row) throw new NotFound('Training assignment', id);
  return row;
}

export async function listAssignments(
  db: Executor,
  ctx: AuthContext,
  f: {
    status?: AssignmentStatus;
    developer_id?: string;
    mandatory_training_id?: string;
    limit: number;
    cursor?: string;
  },
) {
  // Own assignments and those of the people the caller manages or leads (all for admins, approvers, auditors).
  const where = [
    eq(trainingAssignments.workspaceId, ctx.workspaceId),
    readableBy(ctx, trainingAssignments.developerId),
  ];
  where.push(
    ...filterEquals(f, { status: trainingAssignments.status, developer_id: trainingAssignments.developerId }),
  );
  if (f.mandatory_training_id)
    where.push(eq(trainingAssignments.mandatoryTrainingId, f.mandatory_training_id));
  return listPage(db, trainingAssignments, where, f);
}

/** Assigns one training to one member (an explicit due_date overrides the training's rule). */
export async function createAssignment(
  db: Db,
  ctx: AuthContext,
  input: { mandatory_training_id: string; developer_id: string; due_date?: string },
) {
  const training = await getTraining(db, ctx.workspaceId, input.mandatory_training_id).catch(() => {
    throw new Unprocessable('body.mandatory_training_id: no such training in this workspace', [
      { field: 'body.mandatory_training_id', message: 'No such training in this workspace' },
    ]);
  });
  await assertInWorkspace(db, ctx.workspaceId, { members: { 'body.developer_id': [input.developer_id] } });
  const [m] = await db
    .select({ status: members.status })
    .from(members)
    .where(eq(members.id, input.developer_id));
  const problems = [];
  if (m?.status !== 'ACTIVE') problems.push({ field: 'body.developer_id', message: 'Member is not active' });
  if (!training.isActive)
    problems.push({ field: 'body.mandatory_training_id', message: 'Training is inactive' });
  if ((await alreadyAssigned(db, training.id, [input.developer_id])).size)
    problems.push({ field: 'body.developer_id', message: 'Member already holds this training' });
  if (problems.length)
    throw new Unprocessable(problems.map((p) => `${p.field}: ${p.message}`).join('; '), problems);
  const [row] = await db.transaction((tx) =>
    insertAssignments(tx, ctx, training, [input.developer_id], {
      dueDate: input.due_date ? new Date(input.due_date) : undefined,
    }),
  );
  if (!row) throw new Unprocessable('Member already holds this training');
  return row;
}

type Change = 'acknowledge' | 'start' | 'progress' | 'complete' | 'waive';

/**
 * One member action on an assignment, in one transaction with its audit entry.
 * Acknowledging records acknowledged_at and never clears OVERDUE; completing and
 * waiving are terminal (a waiver grants no certification).
 */
export async function changeAssignment(
  db: Db,
  ctx: AuthContext,
  id: string,
  change: Change,
  input: { progress_percentage?: number; reason?: string } = {},
) {
  const before = await getAssignment(db, ctx.workspaceId, id);
  if (change === 'waive') requireSelfOr(ctx, null, ['ADMIN', 'MANAGER']);
  else requireSelfOr(ctx, before.developerId, ['ADMIN']);
  if (oneOf(TERMINAL_ASSIGNMENT, before.status))
    throw new Unprocessable(`Assignment is ${before.status}; it can no longer change`, [
      { field: 'status', message: `Already ${before.status}` },
    ]);
  const now = new Date();
  const active = before.status === 'OVERDUE' ? 'OVERDUE' : 'IN_PROGRESS';
  const set: Partial<AssignmentRow> = { updatedAt: now };
  let action: AuditAction;
  switch (change) {
    case 'acknowledge':
      action = 'TRAINING_ACKNOWLEDGED';
      set.acknowledgedAt = before.acknowledgedAt ?? now;
      break;
    case 'start':
      action = 'TRAINING_STARTED';
      set.status = active;
      set.startedAt = before.startedAt ?? now;
      break;
    case 'progress':
      action = 'TRAINING_PROGRESS_UPDATED';
      set.progressPercentage = input.progress_percentage ?? before.progressPercentage;
      set.status = active;
      set.startedAt = before.startedAt ?? now;
      break;
    case 'complete':
      action = 'TRAINING_COMPLETED';
      set.status = 'COMPLETED';
      set.completedAt = now;
      set.progressPercentage = 100;
      set.startedAt = before.startedAt ?? now;
      break;
    case 'waive':
      action = 'TRAINING_WAIVED';
      set.status = 'WAIVED';
      set.waivedAt = now;
      set.waivedById = ctx.memberId;
      set.waiverReason = input.reason ?? null;
      break;
  }
  const row = await db.transaction(async (tx) => {
    const [r] = await tx
      .update(trainingAssignments)
      .set(set)
      .where(stillIn(trainingAssignments, id, before.status))
      .returning();
    if (!r) throw changedConcurrently('Assignment', id);
    await audit(tx, ctx, {
      action,
      targetType: 'training_assignment',
      targetId: id,
      oldValue: { status: before.status, progress_percentage: before.progressPercentage },
      newValue: { status: r.status, progress_percentage: r.progressPercentage, ...input },
    });
    return r;
  });
  return row;
}
