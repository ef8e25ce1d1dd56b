import { and, eq, inArray, sql } from 'drizzle-orm';
import type { AuditEntry } from '../audit/service';
import { type KindAdapter, openIdsOf, ownedBy, type StepMessage } from '../obligations/kinds';
import { loadObligationRow } from '../obligations/row-load';
import { durationToMs, isPastDue, oneOf, resolveLadder } from '../obligations/rules';
import { getSettings } from '../people/access';
import { sqlIn } from '../sql-in';
import { acknowledgeInstance, completeInstance } from './instances';
import { DUE_INSTANCE, TERMINAL_INSTANCE } from './rules';
import { OPEN_INSTANCE_STATUSES, reminderInstances, reminders } from './schema';

const KIND = 'reminder_instance' as const;

/** The configured channels Vigil can deliver on (web_push is not one; nothing left means the log). */
const deliverable = (channels: string[]): Array<'email' | 'slack' | 'log'> =>
  channels.filter((c): c is 'email' | 'slack' | 'log' => c === 'email' || c === 'slack' || c === 'log');

function offsets(list: string[]): number[] {
  const out = new Set<number>([0]);
  for (const o of list) {
    try {
      out.add(durationToMs(o));
    } catch {
      // an invalid setting is ignored
    }
  }
  return [...out];
}

/**
 * Reminder instances as obligations: REMIND at the due date itself and at each
 * settings.reminderOffsets before it, MARK_OVERDUE at the due date, then the copied ladder.
 * Acknowledging the instance does not stop the climb; acknowledging an escalation does.
 */
export const reminderInstanceKind: KindAdapter = {
  kind: KIND,
  async load(db, id, { lock }) {
    const found = await loadObligationRow(
      db,
      KIND,
      reminderInstances,
      reminderInstances.assignedOwnerId,
      id,
      lock,
    );
    if (!found) return null;
    const { row: i, progress, people } = found;
    const [r] = await db.select().from(reminders).where(eq(reminders.id, i.reminderId));
    const settings = await getSettings(db, i.workspaceId);
    const config = r?.notificationConfig ?? {};
    const intervals = Array.isArray(config.intervals) ? (config.intervals as string[]) : null;
    return {
      people,
      title: r?.title ?? 'Reminder',
      ownerTeamId: i.assignedTeamId,
      ...(Array.isArray(config.channels) && { channels: deliverable(config.channels) }),
      details: {
        reminder_id: i.reminderId,
        due_date: i.dueDate.toISOString(),
        priority: r?.priority ?? null,
        routed_via: i.routedVia,
      },
      state: {
        kind: KIND,
        id: i.id,
        workspaceId: i.workspaceId,
        ownerId: i.assignedOwnerId,
        status: i.status,
        terminal: oneOf(TERMINAL_INSTANCE, i.status),
        openedAt: i.createdAt,
        dueAt: i.dueDate,
        // The reminder's own intervals before the due date, else the workspace's offsets.
        preDue: offsets(intervals ?? settings.reminderOffsets).map((offsetMs) => ({
          offsetMs,
          action: 'REMIND' as const,
        })),
        atDue: 'MARK_OVERDUE',
        escalateFrom: 'DUE',
        ladder: resolveLadder(i.ladder),
        done: progress.done,
        escalationAcknowledged: progress.acked,
      },
    };
  },
  async apply(tx, loaded, step, now) {
    const s = loaded.state;
    const auditList: AuditEntry[] = [];
    const messages: StepMessage[] = [];
    const data = { title: loaded.title, kind: KIND, id: s.id, due_at: s.dueAt?.toISOString() ?? null };
    if (step.action === 'REMIND') {
      await tx
        .update(reminderInstances)
        .set({
          status: sql`CASE WHEN ${reminderInstances.status} = 'PENDING' THEN 'NOTIFIED' ELSE ${reminderInstances.status} END`,
          notificationCount: sql`${reminderInstances.notificationCount} + 1`,
          lastNotifiedAt: now,
          updatedAt: now,
        })
        .where(eq(reminderInstances.id, s.id));
      auditList.push({
        action: 'INSTANCE_NOTIFIED',
        targetType: KIND,
        targetId: s.id,
        newValue: { step: step.key, owner_id: s.ownerId },
        description: `${loaded.title}: reminder sent`,
      });
      if (s.ownerId) messages.push({ recipientIds: [s.ownerId], template: 'obligation.reminder', data });
    } else if (step.action === 'MARK_OVERDUE') {
      await tx
        .update(reminderInstances)
        .set({ status: 'OVERDUE', updatedAt: now })
        .where(and(eq(reminderInstances.id, s.id), inArray(reminderInstances.status, [...DUE_INSTANCE])));
      auditList.push({
        action: 'INSTANCE_OVERDUE',
        targetType: KIND,
        targetId: s.id,
        oldValue: { status: s.status },
        newValue: { status: 'OVERDUE' },
        description: `${loaded.title}: overdue`,
      });
      if (s.ownerId) messages.push({ recipientIds: [s.ownerId], template: 'obligation.overdue', data });
    }
    return { audit: auditList, messages };
  },
  escalatedUpdate(tx, loaded, level, now) {
    return tx
      .update(reminderInstances)
      .set({
        currentEscalationLevel: level,
        status: sql`CASE WHEN ${reminderInstances.status} IN ${sqlIn(TERMINAL_INSTANCE)} THEN ${reminderInstances.status} ELSE 'ESCALATED' END`,
        updatedAt: now,
      })
      .where(eq(reminderInstances.id, loaded.state.id));
  },
  async act(deps, ctx, fx, id, action) {
    if (action === 'acknowledge') await acknowledgeInstance(deps, ctx, fx, id, {});
    else await completeInstance(deps, ctx, fx, id, {});
  },
  async openItems(db, workspaceId, owner) {
    const rows = await db
      .select({ i: reminderInstances, title: reminders.title })
      .from(reminderInstances)
      .innerJoin(reminders, eq(reminders.id, reminderInstances.reminderId))
      .where(
        and(
          eq(reminderInstances.workspaceId, workspaceId),
          inArray(reminderInstances.status, OPEN_INSTANCE_STATUSES),
          ownedBy(reminderInstances.assignedOwnerId, owner),
        ),
      );
    const now = new Date();
    return rows.flatMap(({ i, title }) =>
      i.assignedOwnerId
        ? [
            {
              kind: KIND,
              id: i.id,
              ownerId: i.assignedOwnerId,
              title,
              dueAt: i.dueDate,
              status: i.status,
              overdue: isPastDue(i.dueDate, now),
            },
          ]
        : [],
    );
  },
  openIds: openIdsOf(reminderInstances, OPEN_INSTANCE_STATUSES),
};
