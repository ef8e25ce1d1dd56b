import { type AuthContext, seesEverything } from '@vigil/kernel/auth';
import type { Config } from '@vigil/kernel/config';
import { and, eq, inArray } from 'drizzle-orm';
import type { Executor } from '../db';
import { filterEquals, listPage } from '../paging';
import { getSettings } from '../people/access';
import { members } from '../people/schema';
import { renderMessage } from './messages';
import { dedupeKey, deliverAfter, resolveChannels } from './rules';
import { type NotificationChannel, notifications } from './schema';

export interface OutgoingMessage {
  recipientIds: string[];
  template: string;
  data: Record<string, unknown>;
  channels: NotificationChannel[];
  /** What caused it: the dedupe key is (kind, obligation, step, recipient, channel). */
  kind: string;
  obligationId: string;
  stepKey: string;
  level?: string | null;
  /** Secrets the data refers to by `secretPlaceholder(name)`, revealed only to the provider. */
  secrets?: Record<string, string>;
  /** Sent at once, ignoring quiet hours and weekends (a sign-in link someone is waiting for). */
  immediate?: boolean;
}

export const channelsAvailable = (config: Pick<Config, 'SENDGRID_API_KEY' | 'SLACK_BOT_TOKEN'>) => ({
  email: Boolean(config.SENDGRID_API_KEY),
  slack: Boolean(config.SLACK_BOT_TOKEN),
});

/** Outbox rows a call inserted, and those of them that still need a delivery. */
export interface QueuedNotifications {
  ids: string[];
  pending: string[];
}

/** What a message to a member needs of them. */
export type Recipient = Pick<
  typeof members.$inferSelect,
  'id' | 'status' | 'name' | 'email' | 'timezone' | 'slackUserId' | 'notificationPreferences'
>;

/**
 * Writes outbox rows in the caller's transaction: one per recipient and channel,
 * deferred past the recipient's quiet hours, deduplicated by key (a repeat of the
 * same step inserts nothing). A due row on the log channel is recorded as sent: the
 * outbox is that channel, so it needs no delivery.
 */
export async function enqueueMessages(
  ...args: Parameters<typeof notificationRows>
): Promise<QueuedNotifications> {
  const rows = await notificationRows(...args);
  if (!rows.length) return { ids: [], pending: [] };
  return queuedFrom(await notificationInsert(args[0], rows));
}

type NotificationRow = typeof notifications.$inferInsert;

/**
 * The outbox rows enqueueMessages would insert, for a caller that inserts them as part of a
 * statement of its own (notificationInsert, queuedFrom): the engine's step writes its
 * escalation, outbox rows and audit entries in one statement.
 */
export async function notificationRows(
  tx: Executor,
  workspaceId: string,
  config: Pick<Config, 'SENDGRID_API_KEY' | 'SLACK_BOT_TOKEN'>,
  messages: OutgoingMessage[],
  now: Date,
  /** Recipients the caller already read in this transaction (this workspace's members). */
  known?: ReadonlyMap<string, Recipient>,
): Promise<NotificationRow[]> {
  const ids = [...new Set(messages.flatMap((m) => m.recipientIds))];
  if (!ids.length) return [];
  const byId = new Map<string, Recipient>();
  for (const id of ids) {
    const r = known?.get(id);
    if (r) byId.set(id, r);
  }
  const missing = ids.filter((id) => !byId.has(id));
  // Sequential: `tx` may be a single transaction client.
  if (missing.length) {
    const people = await tx
      .select()
      .from(members)
      .where(and(eq(members.workspaceId, workspaceId), inArray(members.id, missing)));
    for (const p of people) byId.set(p.id, p);
  }
  const settings = await getSettings(tx, workspaceId);
  const available = channelsAvailable(config);
  const rows: NotificationRow[] = [];
  for (const m of messages) {
    for (const recipientId of new Set(m.recipientIds)) {
      const person = byId.get(recipientId);
      if (person?.status !== 'ACTIVE') continue;
      const prefs = person.notificationPreferences ?? {};
      const rendered = renderMessage(m.template, {
        ...m.data,
        recipient_name: person.name,
        timezone: person.timezone,
      });
      const at = m.immediate
        ? now
        : deliverAfter(now, {
            timezone: person.timezone,
            quietHours: prefs.quiet_hours ?? settings.quietHours ?? null,
            skipWeekends: prefs.skip_weekends ?? settings.skipWeekends,
          });
      const channels = resolveChannels(
        m.channels,
        { email: person.email, slackUserId: person.slackUserId, preferences: prefs },
        available,
      );
      for (const channel of channels) {
        // The log channel is the outbox itself: a due row is recorded as sent here, with no delivery.
        const recorded = channel === 'log' && at <= now;
        rows.push({
          workspaceId,
          dedupeKey: dedupeKey({
            kind: m.kind,
            obligationId: m.obligationId,
            stepKey: m.stepKey,
            recipientId,
            channel,
          }),
          channel,
          recipientId,
          recipientAddress:
            channel === 'email' ? person.email : channel === 'slack' ? person.slackUserId : null,
          template: m.template,
          subject: rendered.subject,
          body: rendered.text,
          payload: { ...m.data, html: rendered.html },
          kind: m.kind,
          obligationId: m.obligationId,
          stepKey: m.stepKey,
          level: m.level ?? null,
          deliverAfter: at,
          // The log channel reaches nobody: it keeps no secret.
          secrets: channel === 'log' ? null : (m.secrets ?? null),
          ...(recorded
            ? { status: 'SENT' as const, providerMessageId: 'log', sentAt: now, attempts: 1 }
            : {}),
        });
      }
    }
  }
  return rows;
}

/** The outbox insert of `rows` (a repeated dedupe key inserts nothing), returning id and status. */
export const notificationInsert = (tx: Executor, rows: NotificationRow[]) =>
  tx
    .insert(notifications)
    .values(rows)
    .onConflictDoNothing({ target: notifications.dedupeKey })
    .returning({ id: notifications.id, status: notifications.status });

/** What an outbox insert returned, as enqueueMessages reports it. */
export const queuedFrom = (inserted: Array<{ id: string; status: string }>): QueuedNotifications => ({
  ids: inserted.map((r) => r.id),
  pending: inserted.filter((r) => r.status === 'PENDING').map((r) => r.id),
});

/**
 * The outbox, newest first. Admins, approvers and auditors read every row; anyone else only the
 * messages addressed to them (recipient_id), so a ?recipient_id= naming someone else is an empty page.
 */
export async function listNotifications(
  db: Executor,
  ctx: AuthContext,
  f: {
    status?: string;
    channel?: string;
    recipient_id?: string;
    kind?: string;
    obligation_id?: string;
    limit: number;
    cursor?: string;
  },
) {
  const where = [eq(notifications.workspaceId, ctx.workspaceId)];
  if (!seesEverything(ctx)) where.push(eq(notifications.recipientId, ctx.memberId));
  if (f.status) where.push(eq(notifications.status, f.status as never));
  if (f.channel) where.push(eq(notifications.channel, f.channel as never));
  where.push(
    ...filterEquals(f, {
      recipient_id: notifications.recipientId,
      kind: notifications.kind,
      obligation_id: notifications.obligationId,
    }),
  );
  return listPage(db, notifications, where, f);
}
