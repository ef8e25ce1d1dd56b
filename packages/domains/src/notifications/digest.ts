import { inArray } from 'drizzle-orm';
import type { AppDeps } from '../deps';
import { type OpenItem, registeredKinds } from '../obligations/kinds';
import { members, workspaces } from '../people/schema';
import { enqueueMessages, type OutgoingMessage, type QueuedNotifications } from './service';

function groupBy<T>(list: T[], key: (t: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const item of list) {
    const k = key(item);
    out.set(k, [...(out.get(k) ?? []), item]);
  }
  return out;
}

const itemData = (i: OpenItem, ownerName?: string) => ({
  title: i.title,
  due_at: i.dueAt?.toISOString() ?? null,
  status: i.status,
  overdue: i.overdue,
  owner_name: ownerName ?? null,
});

/**
 * The daily digest: one message per member listing their open items, and one per
 * manager listing direct reports' overdue items. Keyed by day, so a re-run the
 * same day sends nothing twice. Returns the outbox rows it queued.
 */
export async function queueDailyDigests(deps: Pick<AppDeps, 'db' | 'config'>, now = new Date()) {
  const day = now.toISOString().slice(0, 10);
  const queued: QueuedNotifications = { ids: [], pending: [] };
  const wsRows = await deps.db.select({ id: workspaces.id }).from(workspaces);
  for (const { id: workspaceId } of wsRows) {
    const items: OpenItem[] = [];
    for (const adapter of registeredKinds())
      if (adapter.openItems) items.push(...(await adapter.openItems(deps.db, workspaceId)));
    if (!items.length) continue;
    const ownerIds = [...new Set(items.map((i) => i.ownerId))];
    const people = await deps.db
      .select({ id: members.id, name: members.name, managerId: members.managerId, status: members.status })
      .from(members)
      .where(inArray(members.id, ownerIds));
    const byId = new Map(people.map((p) => [p.id, p]));
    const messages: OutgoingMessage[] = [];
    const byOwner = groupBy(items, (i) => i.ownerId);
    for (const [ownerId, list] of byOwner) {
      messages.push({
        recipientIds: [ownerId],
        template: 'digest.member',
        data: { items: list.map((i) => itemData(i)) },
        channels: ['email', 'slack'],
        kind: 'digest',
        obligationId: ownerId,
        stepKey: `digest:${day}`,
      });
    }
    const overdueByManager = groupBy(
      items.filter((i) => i.overdue && byId.get(i.ownerId)?.managerId),
      (i) => byId.get(i.ownerId)?.managerId as string,
    );
    for (const [managerId, list] of overdueByManager) {
      messages.push({
        recipientIds: [managerId],
        template: 'digest.manager',
        data: { items: list.map((i) => itemData(i, byId.get(i.ownerId)?.name)) },
        channels: ['email', 'slack'],
        kind: 'digest',
        obligationId: managerId,
        stepKey: `digest-manager:${day}`,
      });
    }
    // A member who turned the digest off (notification_preferences.daily_digest = false) gets none.
    const recipients = [...new Set(messages.flatMap((m) => m.recipientIds))];
    const optedOut = new Set(
      (
        await deps.db
          .select({ id: members.id, prefs: members.notificationPreferences })
          .from(members)
          .where(inArray(members.id, recipients))
      )
        .filter((m) => m.prefs?.daily_digest === false)
        .map((m) => m.id),
    );
    const wanted = messages.filter((m) => !m.recipientIds.some((r) => optedOut.has(r)));
    const q = await enqueueMessages(deps.db, workspaceId, deps.config, wanted, now);
    queued.ids.push(...q.ids);
    queued.pending.push(...q.pending);
  }
  return queued;
}
