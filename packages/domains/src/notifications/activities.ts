import { ApplicationFailure } from '@temporalio/common';
import type { Config } from '@vigil/kernel/config';
import type { Effects } from '@vigil/kernel/effects';
import type { Logger } from '@vigil/kernel/logger';
import { and, eq, inArray } from 'drizzle-orm';
import pLimit from 'p-limit';
import type { Db, Executor } from '../db';
import { members } from '../people/schema';
import { type Channels, createChannels, PermanentDeliveryError, RateLimitedError } from './channels';
import { textToHtml } from './messages';
import { type NotificationChannel, notifications } from './schema';

type Row = typeof notifications.$inferSelect;

export interface DeliveryResult {
  /** Rows sent by this call. */
  sent: number;
  /** Rows not yet due: call again with these ids at `at` (ISO 8601). */
  deferred: Array<{ id: string; at: string }>;
}

type Outcome =
  | { type: 'sent' }
  | { type: 'done' }
  | { type: 'deferred'; at: Date }
  | { type: 'busy' }
  | { type: 'rate_limited'; delayMs: number }
  | { type: 'transient'; message: string };

/** Rows delivered at the same time by one call. */
const CONCURRENCY = 4;

/**
 * Delivers outbox rows. A row is locked while it is sent, so two deliveries of the
 * same id never both send it; a row that is locked elsewhere makes the call fail and
 * retry, and the retry finds it SENT. Outcomes for the caller's retry policy:
 * a rate limit fails with type RateLimited and the provider's delay as the next retry
 * delay; a 5xx or network error fails plainly (retried with backoff); a permanent
 * refusal marks the row FAILED and does not fail the call.
 */
export function notificationActivities(deps: { db: Db; config: Config; log: Logger }) {
  let channels: Channels | null = null;
  const getChannels = (): Channels => {
    channels ??= createChannels(deps.config);
    return channels;
  };

  const finish = (tx: Executor, row: Row, set: Partial<typeof notifications.$inferInsert>) =>
    tx
      .update(notifications)
      .set({ attempts: row.attempts + 1, ...set })
      .where(eq(notifications.id, row.id));

  async function recipientAddress(
    tx: Executor,
    row: Row,
  ): Promise<{ address: string | null; active: boolean }> {
    if (!row.recipientId) return { address: row.recipientAddress, active: true };
    const [m] = await tx
      .select({ email: members.email, slackUserId: members.slackUserId, status: members.status })
      .from(members)
      .where(and(eq(members.workspaceId, row.workspaceId), eq(members.id, row.recipientId)));
    if (m?.status !== 'ACTIVE') return { address: null, active: false };
    const fallback = row.channel === 'email' ? m.email : row.channel === 'slack' ? m.slackUserId : null;
    return { address: row.recipientAddress ?? fallback, active: true };
  }

  async function send(row: Row, address: string, channel: NotificationChannel): Promise<string | null> {
    const c = getChannels();
    if (channel === 'email') {
      const html = typeof row.payload.html === 'string' ? row.payload.html : textToHtml(row.body);
      return c.sendEmail({ to: address, subject: row.subject, text: row.body, html });
    }
    const action = row.kind && row.obligationId ? { kind: row.kind, id: row.obligationId } : null;
    return c.sendSlack({ channel: address, subject: row.subject, text: row.body, action });
  }

  async function deliverOne(id: string, limited: Map<string, number>): Promise<Outcome> {
    return deps.db.transaction(async (tx) => {
      const [row] = await tx
        .select()
        .from(notifications)
        .where(eq(notifications.id, id))
        .for('update', { skipLocked: true });
      if (!row) return { type: 'busy' };
      if (row.status !== 'PENDING') return { type: 'done' };
      const now = new Date();
      if (row.deliverAfter > now) return { type: 'deferred', at: row.deliverAfter };

      const { address, active } = await recipientAddress(tx, row);
      if (!active) {
        await finish(tx, row, {
          status: 'SUPPRESSED',
          lastError: 'The recipient is no longer an active member',
        });
        return { type: 'done' };
      }
      if (row.channel === 'log') {
        deps.log.info(
          {
            notification_id: row.id,
            workspace_id: row.workspaceId,
            recipient_id: row.recipientId,
            template: row.template,
            subject: row.subject,
          },
          'notification recorded on the log channel',
        );
        await finish(tx, row, { status: 'SENT', providerMessageId: 'log', sentAt: now, lastError: null });
        return { type: 'sent' };
      }
      if (row.channel !== 'email' && row.channel !== 'slack') {
        await finish(tx, row, { status: 'FAILED', lastError: `Unknown channel ${String(row.channel)}` });
        return { type: 'done' };
      }
      if (!address) {
        const what = row.channel === 'email' ? 'an email address' : 'a Slack user id';
        await finish(tx, row, { status: 'FAILED', lastError: `The recipient has no ${what}` });
        return { type: 'done' };
      }
      const waiting = limited.get(row.channel);
      if (waiting !== undefined) return { type: 'rate_limited', delayMs: waiting };

      try {
        const providerId = await send(row, address, row.channel);
        await finish(tx, row, {
          status: 'SENT',
          providerMessageId: providerId,
          sentAt: new Date(),
          lastError: null,
        });
        return { type: 'sent' };
      } catch (err) {
        const message = err instanceof Error ? err.message : String(err);
        deps.log.warn(
          { notification_id: row.id, channel: row.channel, error: message },
          'notification delivery failed',
        );
        if (err instanceof RateLimitedError) {
          limited.set(row.channel, Math.max(limited.get(row.channel) ?? 0, err.retryAfterMs));
          await finish(tx, row, { lastError: message });
          return { type: 'rate_limited', delayMs: err.retryAfterMs };
        }
        if (err instanceof PermanentDeliveryError) {
          await finish(tx, row, { status: 'FAILED', lastError: message });
          return { type: 'done' };
        }
        await finish(tx, row, { lastError: message });
        return { type: 'transient', message };
      }
    });
  }

  return {
    /**
     * Sends the given outbox rows that are due. Rows already SENT, SUPPRESSED or FAILED
     * are left alone; rows whose deliver_after is later are returned in `deferred`.
     */
    async deliverNotifications(ids: string[]): Promise<DeliveryResult> {
      const unique = [...new Set(ids)];
      if (!unique.length) return { sent: 0, deferred: [] };
      const existing = await deps.db
        .select({ id: notifications.id })
        .from(notifications)
        .where(inArray(notifications.id, unique));
      const limited = new Map<string, number>();
      const limit = pLimit(CONCURRENCY);
      const settled = await Promise.allSettled(existing.map((r) => limit(() => deliverOne(r.id, limited))));

      const failure = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
      if (failure) throw failure.reason;
      const outcomes = settled.map((s, i) => ({
        id: existing[i]?.id ?? '',
        outcome: (s as PromiseFulfilledResult<Outcome>).value,
      }));

      const delays = outcomes.flatMap(({ outcome: o }) => (o.type === 'rate_limited' ? [o.delayMs] : []));
      if (delays.length) {
        const delay = Math.max(...delays);
        throw ApplicationFailure.create({
          type: 'RateLimited',
          message: `${delays.length} notification(s) hit a provider rate limit; retrying in ${delay} ms`,
          nextRetryDelay: delay,
        });
      }
      const transient = outcomes.flatMap(({ outcome: o }) => (o.type === 'transient' ? [o.message] : []));
      if (transient.length)
        throw new Error(`Notification delivery failed, will retry: ${transient.join('; ')}`);
      if (outcomes.some(({ outcome: o }) => o.type === 'busy'))
        throw new Error('A notification is being delivered by another worker; will retry');

      return {
        sent: outcomes.filter(({ outcome: o }) => o.type === 'sent').length,
        deferred: outcomes.flatMap(({ id, outcome: o }) =>
          o.type === 'deferred' ? [{ id, at: o.at.toISOString() }] : [],
        ),
      };
    },
  };
}

export type NotificationActivities = ReturnType<typeof notificationActivities>;

/**
 * Delivers outbox rows a transaction queued, once it has committed (a post-commit effect:
 * a failure is logged and the rows stay in the outbox for operators and retries).
 */
export function deliverAfterCommit(
  fx: Effects,
  deps: { db: Db; config: Config; log: Logger },
  what: string,
  ids: string[],
): void {
  if (ids.length) fx.add(`deliver ${what}`, () => notificationActivities(deps).deliverNotifications(ids));
}
