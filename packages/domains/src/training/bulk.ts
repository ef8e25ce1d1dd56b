import type { AuthContext } from '@vigil/kernel/auth';
import { Unprocessable } from '@vigil/kernel/errors';
import { and, eq, inArray } from 'drizzle-orm';
import type { Db } from '../db';
import { members } from '../people/schema';
import { alreadyAssigned, insertAssignments } from './assign';
import { getTraining } from './service';

export const BULK_MAX = 10_000;

export interface BulkInput {
  mandatory_training_id: string;
  developer_ids: string[];
  due_date?: string;
  partial?: boolean;
}

export interface BulkRejection {
  developer_id: string;
  reason: 'NOT_FOUND' | 'INACTIVE' | 'ALREADY_ASSIGNED' | 'DUPLICATE';
}

/**
 * Bulk assignment. Every member is pre-validated (exists in this workspace, active,
 * not already holding the training). All or nothing by default: any rejection
 * answers 422 with the per-member reasons and writes nothing. With partial, the
 * valid members are assigned and the rest reported. Inserts are chunked multi-row
 * statements in one transaction; workflows start after commit with bounded concurrency.
 */
export async function bulkAssign(db: Db, ctx: AuthContext, input: BulkInput) {
  const training = await getTraining(db, ctx.workspaceId, input.mandatory_training_id).catch(() => {
    throw new Unprocessable('body.mandatory_training_id: no such training in this workspace', [
      { field: 'body.mandatory_training_id', message: 'No such training in this workspace' },
    ]);
  });
  if (!training.isActive)
    throw new Unprocessable('body.mandatory_training_id: training is inactive', [
      { field: 'body.mandatory_training_id', message: 'Training is inactive' },
    ]);
  const rejected: BulkRejection[] = [];
  const seen = new Set<string>();
  const unique: string[] = [];
  for (const id of input.developer_ids) {
    if (seen.has(id)) rejected.push({ developer_id: id, reason: 'DUPLICATE' });
    else {
      seen.add(id);
      unique.push(id);
    }
  }
  const status = new Map<string, string>();
  for (let i = 0; i < unique.length; i += 5000) {
    const rows = await db
      .select({ id: members.id, status: members.status })
      .from(members)
      .where(and(eq(members.workspaceId, ctx.workspaceId), inArray(members.id, unique.slice(i, i + 5000))));
    for (const r of rows) status.set(r.id, r.status);
  }
  const have = await alreadyAssigned(db, training.id, unique);
  const valid: string[] = [];
  for (const id of unique) {
    const s = status.get(id);
    if (!s) rejected.push({ developer_id: id, reason: 'NOT_FOUND' });
    else if (s !== 'ACTIVE') rejected.push({ developer_id: id, reason: 'INACTIVE' });
    else if (have.has(id)) rejected.push({ developer_id: id, reason: 'ALREADY_ASSIGNED' });
    else valid.push(id);
  }
  if (rejected.length && !input.partial) {
    throw new Unprocessable(
      `${rejected.length} of ${input.developer_ids.length} members cannot be assigned; nothing was written`,
      rejected
        .slice(0, 1000)
        .map((r) => ({ field: `body.developer_ids[${r.developer_id}]`, message: r.reason })),
      'BULK_REJECTED',
    );
  }
  const created = await db.transaction((tx) =>
    insertAssignments(tx, ctx, training, valid, {
      dueDate: input.due_date ? new Date(input.due_date) : undefined,
      description: `"${training.name}" assigned in bulk`,
    }),
  );
  return {
    assigned: created.length,
    assignment_ids: created.map((a) => a.id),
    rejected,
  };
}
