import type { AuthContext } from '@vigil/kernel/auth';
import { and, eq, isNull, sql } from 'drizzle-orm';
import type { Db } from '../db';
import { escalations } from '../escalation/schema';
import { describeNext, type InboxEntry, inboxOrder } from './inbox-rules';
import { type Owners, registeredKinds } from './kinds';
import type { Action } from './rules';
import { loadViews } from './service';

export interface InboxItem extends InboxEntry {
  nextStep: string | null;
}

export interface EscalationToMe {
  id: string;
  kind: string;
  obligationId: string;
  level: string;
  firedAt: Date;
}

/**
 * The open obligations of one owner, or of a set of owners (a subquery of member ids), across
 * every kind, each with its next step as the engine plans it; overdue first, then by due date.
 */
export async function openItemsOf(
  db: Db,
  workspaceId: string,
  owner: Owners,
  now = new Date(),
): Promise<Array<InboxItem & { ownerId: string }>> {
  const items: Array<InboxItem & { ownerId: string }> = [];
  for (const adapter of registeredKinds()) {
    if (!adapter.openItems) continue;
    const open = await adapter.openItems(db, workspaceId, owner);
    if (!open.length) continue;
    const views = await loadViews(
      db,
      adapter.kind,
      open.map((o) => o.id),
      now,
    );
    for (const o of open) {
      const v = views.get(o.id);
      const next =
        v?.next.type === 'STEP' && v.next.action && v.next.at !== undefined
          ? { action: v.next.action as Action, level: v.next.level, at: new Date(v.next.at) }
          : null;
      const entry: InboxEntry = {
        kind: o.kind,
        id: o.id,
        title: o.title,
        status: o.status,
        dueAt: o.dueAt,
        overdue: o.overdue,
        escalationLevel: v?.escalationLevel ?? null,
        next,
      };
      items.push({ ...entry, ownerId: o.ownerId, nextStep: describeNext(next, now) });
    }
  }
  return items.sort(inboxOrder);
}

/**
 * The caller's open obligations across every kind (training assignments, reminder instances,
 * policy acknowledgements, certifications expiring or expired, tickets), overdue first and then
 * by due date, each with its next step as the engine plans it; and the escalations addressed to
 * the caller that nobody has acknowledged yet.
 */
export async function myInbox(
  db: Db,
  ctx: AuthContext,
  now = new Date(),
): Promise<{ items: InboxItem[]; escalations: EscalationToMe[] }> {
  const items = await openItemsOf(db, ctx.workspaceId, ctx.memberId, now);
  const toMe = await db
    .select({
      id: escalations.id,
      kind: escalations.kind,
      obligationId: escalations.obligationId,
      level: escalations.level,
      firedAt: escalations.firedAt,
    })
    .from(escalations)
    .where(
      and(
        eq(escalations.workspaceId, ctx.workspaceId),
        isNull(escalations.acknowledgedAt),
        sql`${escalations.targetMemberIds} @> ${JSON.stringify([ctx.memberId])}::jsonb`,
      ),
    )
    .orderBy(sql`${escalations.firedAt} DESC`)
    .limit(100);
  // Only those whose obligation is still open: a finished one needs nobody's attention.
  const open = new Set<string>();
  for (const kind of new Set(toMe.map((e) => e.kind))) {
    const ids = toMe.filter((e) => e.kind === kind).map((e) => e.obligationId);
    for (const [id, v] of await loadViews(db, kind, [...new Set(ids)], now))
      if (v.found && !v.terminal) open.add(`${kind}/${id}`);
  }
  return { items, escalations: toMe.filter((e) => open.has(`${e.kind}/${e.obligationId}`)) };
}
