import type { AuthContext } from '@vigil/kernel/auth';
import { AppError, NotFound } from '@vigil/kernel/errors';
import { and, eq } from 'drizzle-orm';
import { audit } from '../audit/service';
import type { Db } from '../db';
import type { AppDeps } from '../deps';
import { notifications } from '../notifications/schema';
import { enqueueMessages } from '../notifications/service';
import { canReadMember } from '../people/visibility';
import { registeredKinds } from './kinds';
import { loadObligation } from './service';

/** One nudge per obligation per UTC day: its step key, so the outbox's dedupe key enforces it. */
export const nudgeStepKey = (now: Date) => `NUDGE:${now.toISOString().slice(0, 10)}`;

export class TooManyNudges extends AppError {
  constructor(retryAfter: Date) {
    super(
      429,
      'Too Many Requests',
      `This item was already nudged today; the next nudge is possible after ${retryAfter.toISOString()}`,
      [],
      'NUDGE_LIMIT',
    );
  }
}

/**
 * A manager, team lead or admin sends the owner of an open obligation one reminder now, by the
 * owner's channels through the outbox; audited. One per obligation per UTC day (429 after).
 * The caller must read the owner's items (their own reports or team, or everyone for admins);
 * another workspace's obligation, or one outside the caller's scope, is 404.
 */
export async function nudgeObligation(
  deps: Pick<AppDeps, 'db' | 'config'>,
  ctx: AuthContext,
  kind: string,
  id: string,
  now = new Date(),
): Promise<{ notification_ids: string[]; step_key: string }> {
  const db: Db = deps.db;
  if (!registeredKinds().some((k) => k.kind === kind)) throw new NotFound('Obligation kind', kind);
  const loaded = await loadObligation(db, kind, id, false);
  const s = loaded?.state;
  if (!s || s.workspaceId !== ctx.workspaceId || !s.ownerId || !(await canReadMember(db, ctx, s.ownerId)))
    throw new NotFound('Obligation', id);
  if (s.terminal)
    throw new AppError(409, 'Conflict', `This ${kind} is ${s.status}: there is nothing to nudge`);
  const stepKey = nudgeStepKey(now);
  const ownerId = s.ownerId;
  return db.transaction(async (tx) => {
    const [already] = await tx
      .select({ id: notifications.id })
      .from(notifications)
      .where(
        and(
          eq(notifications.kind, kind),
          eq(notifications.obligationId, id),
          eq(notifications.stepKey, stepKey),
        ),
      )
      .limit(1);
    const tomorrow = new Date(`${stepKey.slice(6)}T00:00:00Z`);
    tomorrow.setUTCDate(tomorrow.getUTCDate() + 1);
    if (already) throw new TooManyNudges(tomorrow);
    const overdue = s.dueAt !== null && s.dueAt.getTime() <= now.getTime();
    const queued = await enqueueMessages(
      tx,
      ctx.workspaceId,
      deps.config,
      [
        {
          recipientIds: [ownerId],
          template: overdue ? 'obligation.overdue' : 'obligation.reminder',
          data: { title: loaded.title, kind, due_at: s.dueAt?.toISOString() ?? null },
          channels: loaded.channels ?? ['email', 'slack'],
          kind,
          obligationId: id,
          stepKey,
        },
      ],
      now,
    );
    if (!queued.ids.length) throw new TooManyNudges(tomorrow);
    await audit(tx, ctx, {
      action: 'OBLIGATION_NUDGED',
      targetType: kind,
      targetId: id,
      newValue: { owner_id: ownerId, notification_ids: queued.ids },
      description: `${loaded.title}: reminder sent now to its owner`,
    });
    return { notification_ids: queued.ids, step_key: stepKey };
  });
}
