import { type AuthContext, MANAGERS, requireSelfOr } from '@vigil/kernel/auth';
import type { Effects } from '@vigil/kernel/effects';
import { AppError, BadRequest, Conflict, NotFound, Unprocessable } from '@vigil/kernel/errors';
import { and, eq, inArray, ne } from 'drizzle-orm';
import { audit } from '../audit/service';
import { type Executor, findInWorkspace } from '../db';
import type { AppDeps } from '../deps';
import { documents } from '../documents/schema';
import { enqueueMessages } from '../notifications/service';
import { oneOf } from '../obligations/rules';
import { assertInWorkspace } from '../people/service';
import { TERMINAL_INSTANCE } from './rules';
import { type EvidenceLink, reminderInstances, reminders } from './schema';
import type { InstanceRow } from './service';

const KIND = 'reminder_instance' as const;

async function getInstance(db: Executor, workspaceId: string, id: string): Promise<InstanceRow> {
  return findInWorkspace(db, reminderInstances, 'Reminder instance', workspaceId, id);
}

function assertOpen(i: InstanceRow) {
  if (oneOf(TERMINAL_INSTANCE, i.status)) throw new Conflict(`Instance is already ${i.status}`);
}

/** Locks the instance, checks the caller may act on it, runs `fn`, then wakes its workflow. */
async function act(
  deps: AppDeps,
  ctx: AuthContext,
  id: string,
  fn: (tx: Executor, i: InstanceRow, now: Date) => Promise<Partial<typeof reminderInstances.$inferInsert>>,
): Promise<InstanceRow> {
  const before = await getInstance(deps.db, ctx.workspaceId, id);
  requireSelfOr(ctx, before.assignedOwnerId, MANAGERS);
  const row = await deps.db.transaction(async (tx) => {
    const [locked] = await tx
      .select()
      .from(reminderInstances)
      .where(eq(reminderInstances.id, id))
      .for('update');
    if (!locked) throw new NotFound('Reminder instance', id);
    const now = new Date();
    const set = await fn(tx, locked, now);
    const [updated] = await tx
      .update(reminderInstances)
      .set({ ...set, updatedAt: now })
      .where(eq(reminderInstances.id, id))
      .returning();
    return updated ?? locked;
  });
  return row;
}

/** The owner saw it. An instance past its due date stays OVERDUE/ESCALATED (acknowledged is not done). */
export async function acknowledgeInstance(
  deps: AppDeps,
  ctx: AuthContext,
  _fx: Effects,
  id: string,
  input: { notes?: string | null },
) {
  return act(deps, ctx, id, async (tx, i, now) => {
    assertOpen(i);
    const status = i.status === 'PENDING' || i.status === 'NOTIFIED' ? 'ACKNOWLEDGED' : i.status;
    await audit(tx, ctx, {
      action: 'INSTANCE_ACKNOWLEDGED',
      targetType: KIND,
      targetId: id,
      oldValue: { status: i.status },
      newValue: { status, notes: input.notes ?? null },
    });
    return {
      status,
      acknowledgedAt: now,
      acknowledgedById: ctx.memberId,
      acknowledgedNotes: input.notes ?? null,
    };
  });
}

export async function completeInstance(
  deps: AppDeps,
  ctx: AuthContext,
  _fx: Effects,
  id: string,
  input: { notes?: string | null; evidence_links?: EvidenceLink[] },
) {
  return act(deps, ctx, id, async (tx, i, now) => {
    assertOpen(i);
    const [r] = await tx.select().from(reminders).where(eq(reminders.id, i.reminderId));
    const stamped = (input.evidence_links ?? []).map((e) => ({
      ...e,
      added_at: e.added_at ?? now.toISOString(),
    }));
    await assertEvidenceDocuments(tx, i.workspaceId, input.evidence_links ?? []);
    const links = [...i.evidenceLinks, ...stamped];
    if (r?.requiresEvidence && links.length === 0) {
      throw new Unprocessable(
        'This reminder requires evidence: attach at least one evidence link to complete it',
        [
          {
            field: 'body.evidence_links',
            message: 'requires_evidence: at least one evidence link is required',
          },
        ],
        'EVIDENCE_REQUIRED',
      );
    }
    await audit(tx, ctx, {
      action: 'INSTANCE_COMPLETED',
      targetType: KIND,
      targetId: id,
      oldValue: { status: i.status },
      newValue: { status: 'COMPLETED', notes: input.notes ?? null, evidence_links: stamped },
    });
    return {
      status: 'COMPLETED' as const,
      completedAt: now,
      completedById: ctx.memberId,
      completedNotes: input.notes ?? null,
      evidenceLinks: links,
    };
  });
}

/** Evidence that names a document must name a live one of this workspace (400 naming the link). */
async function assertEvidenceDocuments(tx: Executor, workspaceId: string, links: EvidenceLink[]) {
  const named = links.flatMap((e, index) => (e.document_id ? [{ index, id: e.document_id }] : []));
  if (!named.length) return;
  const found = await tx
    .select({ id: documents.id })
    .from(documents)
    .where(
      and(
        eq(documents.workspaceId, workspaceId),
        inArray(
          documents.id,
          named.map((n) => n.id),
        ),
        ne(documents.status, 'DELETED'),
      ),
    );
  const live = new Set(found.map((d) => d.id));
  const missing = named.filter((n) => !live.has(n.id));
  if (missing.length)
    throw new BadRequest(
      'body.evidence_links: no such document in this workspace',
      missing.map((m) => ({
        field: `body.evidence_links[${m.index}].document_id`,
        message: `No such document in this workspace: ${m.id}`,
      })),
    );
}

export async function skipInstance(
  deps: AppDeps,
  ctx: AuthContext,
  _fx: Effects,
  id: string,
  reason: string,
) {
  return act(deps, ctx, id, async (tx, i, now) => {
    assertOpen(i);
    await audit(tx, ctx, {
      action: 'INSTANCE_SKIPPED',
      targetType: KIND,
      targetId: id,
      oldValue: { status: i.status },
      newValue: { status: 'SKIPPED', skip_reason: reason },
    });
    return { status: 'SKIPPED' as const, skippedAt: now, skippedById: ctx.memberId, skipReason: reason };
  });
}

interface ReassignInput {
  owner_id?: string | null;
  team_id?: string | null;
  reason?: string | null;
}

/** Managers reassign; the new owner is notified. */
export async function reassignInstance(
  deps: AppDeps,
  ctx: AuthContext,
  _fx: Effects,
  id: string,
  input: ReassignInput,
  validated = false,
) {
  if (!validated) await validateAssignee(deps.db, ctx.workspaceId, input);
  let _queued: string[] = [];
  const row = await act(deps, ctx, id, async (tx, i, now) => {
    assertOpen(i);
    const ownerId = input.owner_id !== undefined ? input.owner_id : i.assignedOwnerId;
    const teamId = input.team_id !== undefined ? input.team_id : i.assignedTeamId;
    await audit(tx, ctx, {
      action: 'INSTANCE_REASSIGNED',
      targetType: KIND,
      targetId: id,
      oldValue: { assigned_owner_id: i.assignedOwnerId, assigned_team_id: i.assignedTeamId },
      newValue: { assigned_owner_id: ownerId, assigned_team_id: teamId, reason: input.reason ?? null },
    });
    if (ownerId && ownerId !== i.assignedOwnerId) {
      const [r] = await tx.select().from(reminders).where(eq(reminders.id, i.reminderId));
      ({ pending: _queued } = await enqueueMessages(
        tx,
        i.workspaceId,
        deps.config,
        [
          {
            recipientIds: [ownerId],
            template: 'obligation.reminder',
            data: { title: r?.title ?? 'Reminder', kind: KIND, id, due_at: i.dueDate.toISOString() },
            channels: ['email', 'slack'],
            kind: KIND,
            obligationId: id,
            stepKey: `REASSIGNED:${ownerId}:${now.getTime()}`,
          },
        ],
        now,
      ));
    }
    return { assignedOwnerId: ownerId, assignedTeamId: teamId, routedVia: 'MANUAL' };
  });
  return row;
}

export async function validateAssignee(db: Executor, workspaceId: string, input: ReassignInput) {
  if (input.owner_id === undefined && input.team_id === undefined) {
    throw new BadRequest('body: owner_id or team_id is required', [
      { field: 'body.owner_id', message: 'owner_id or team_id is required' },
    ]);
  }
  await assertInWorkspace(db, workspaceId, {
    members: input.owner_id ? { 'body.owner_id': [input.owner_id] } : {},
    teams: input.team_id ? { 'body.team_id': [input.team_id] } : {},
  });
}

export interface BulkResult {
  id: string;
  ok: boolean;
  status?: number;
  error?: string;
}

/** Applies `fn` to each id independently; one failure does not roll back the others. */
export async function bulk(ids: string[], fn: (id: string) => Promise<unknown>): Promise<BulkResult[]> {
  const out: BulkResult[] = [];
  for (const id of [...new Set(ids)]) {
    try {
      await fn(id);
      out.push({ id, ok: true });
    } catch (err) {
      if (!(err instanceof AppError)) throw err;
      out.push({ id, ok: false, status: err.status, error: err.message });
    }
  }
  return out;
}
