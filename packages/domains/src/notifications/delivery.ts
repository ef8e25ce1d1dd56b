import type { Config } from '@vigil/kernel/config';
import type { Logger } from '@vigil/kernel/logger';
import { and, eq, inArray, sql } from 'drizzle-orm';
import pLimit from 'p-limit';
import type { Db } from '../db';
import { members } from '../people/schema';
import { type Channels, createChannels, PermanentDeliveryError, RateLimitedError } from './channels';
import { textToHtml } from './messages';
import { deliveryBackoffMs, MAX_DELIVERY_ATTEMPTS, revealSecrets } from './rules';
import { notifications } from './schema';

type Row = typeof notifications.$inferSelect;

/** What one pass of the delivery relay did. */
export interface DeliveryPass {
  claimed: number;
  sent: number;
  failed: number;
  suppressed: number;
  /** Rows put back to PENDING for a later attempt (5xx, network, rate limit). */
  retried: number;
  /** Rows found SENDING past the sending timeout (their process died mid-send), put back to PENDING. */
  recovered: number;
}

export interface DeliveryOptions {
  /** Rows claimed per pass. */
  batch?: number;
  /** Provider calls in flight at once. */
  concurrency?: number;
  /** A row SENDING for longer than this was interrupted by a crash (must exceed the provider timeout). */
  sendingTimeoutMs?: number;
}

type Outcome = 'sent' | 'failed' | 'suppressed' | 'retried';

/**
 * The one owner of outbox delivery. Whoever queued a row (an engine step, the digest,
 * a manual escalation, a policy decision), a relay pass claims it once it is due:
 * one statement moves due PENDING rows to SENDING (`FOR UPDATE SKIP LOCKED`, so two
 * relays never claim the same row) and counts the attempt, then the provider is
 * called with no transaction open, then the row is recorded SENT with the provider's
 * message id, FAILED, SUPPRESSED, or PENDING again with a later `deliver_after`.
 *
 * Guarantee: at least once. A row is sent twice only if its process died after the
 * provider accepted it and before SENT was committed; such a row is found SENDING
 * after `sendingTimeoutMs`, put back to PENDING with `interrupted` incremented, and
 * sent again, so every possible duplicate is counted on its row.
 */
export function createDelivery(deps: { db: Db; config: Config; log: Logger }, opts: DeliveryOptions = {}) {
  const batch = opts.batch ?? 50;
  const sendingTimeoutMs = opts.sendingTimeoutMs ?? deps.config.NOTIFICATION_SENDING_TIMEOUT_MS;
  const limit = pLimit(opts.concurrency ?? 8);
  /** Channels a provider asked us to leave alone until the given time (ms). */
  const paused = new Map<string, number>();
  let channels: Channels | null = null;
  const getChannels = (): Channels => {
    channels ??= createChannels(deps.config);
    return channels;
  };

  const finish = (row: Row, set: Partial<typeof notifications.$inferInsert>) =>
    deps.db
      .update(notifications)
      .set({ sendingAt: null, ...(set.status !== 'PENDING' && { secrets: null }), ...set })
      .where(and(eq(notifications.id, row.id), eq(notifications.status, 'SENDING')));

  async function recoverInterrupted(): Promise<number> {
    const res = await deps.db.execute(sql`
      UPDATE notifications
         SET status = 'PENDING', sending_at = NULL, interrupted = interrupted + 1,
             last_error = 'Delivery was interrupted (its process stopped while sending); sending again'
       WHERE status = 'SENDING' AND sending_at < now() - make_interval(secs => ${sendingTimeoutMs / 1000})`);
    return res.rowCount ?? 0;
  }

  async function claim(): Promise<Row[]> {
    const now = Date.now();
    const skip = [...paused].filter(([, until]) => until > now).map(([c]) => c);
    const res = await deps.db.execute(sql`
      UPDATE notifications n
         SET status = 'SENDING', sending_at = now(), attempts = n.attempts + 1
       WHERE n.id IN (
         SELECT id FROM notifications
          WHERE status = 'PENDING' AND deliver_after <= now()
            ${skip.length ? sql`AND channel NOT IN (${sql.join(skip, sql`, `)})` : sql``}
          ORDER BY deliver_after
          LIMIT ${batch}
          FOR UPDATE SKIP LOCKED)
      RETURNING n.id`);
    const ids = (res.rows as Array<{ id: string }>).map((r) => r.id);
    if (!ids.length) return [];
    return deps.db.select().from(notifications).where(inArray(notifications.id, ids));
  }

  async function recipients(rows: Row[]) {
    const ids = [...new Set(rows.flatMap((r) => (r.recipientId ? [r.recipientId] : [])))];
    if (!ids.length) return new Map<string, { email: string; slackUserId: string | null; status: string }>();
    const found = await deps.db
      .select({
        id: members.id,
        email: members.email,
        slackUserId: members.slackUserId,
        status: members.status,
      })
      .from(members)
      .where(inArray(members.id, ids));
    return new Map(found.map((m) => [m.id, m]));
  }

  async function send(row: Row, address: string): Promise<string | null> {
    const c = getChannels();
    const reveal = (text: string) => revealSecrets(text, row.secrets);
    const [subject, text] = [reveal(row.subject), reveal(row.body)];
    if (row.channel === 'email') {
      const html = reveal(typeof row.payload.html === 'string' ? row.payload.html : textToHtml(row.body));
      return c.sendEmail({ id: row.id, to: address, subject, text, html });
    }
    // Obligation messages carry the Acknowledge / Mark complete buttons; a sign-in link does not.
    const action =
      row.kind && row.obligationId && row.template !== 'auth.sign_in_link'
        ? { kind: row.kind, id: row.obligationId }
        : null;
    return c.sendSlack({ channel: address, subject, text, action });
  }

  async function deliverRow(row: Row, people: Awaited<ReturnType<typeof recipients>>): Promise<Outcome> {
    const person = row.recipientId ? people.get(row.recipientId) : undefined;
    if (row.recipientId && person?.status !== 'ACTIVE') {
      await finish(row, { status: 'SUPPRESSED', lastError: 'The recipient is no longer an active member' });
      return 'suppressed';
    }
    if (row.channel === 'log') {
      deps.log.info(
        { notification_id: row.id, workspace_id: row.workspaceId, template: row.template },
        'notification recorded on the log channel',
      );
      await finish(row, { status: 'SENT', providerMessageId: 'log', sentAt: new Date(), lastError: null });
      return 'sent';
    }
    if (row.channel !== 'email' && row.channel !== 'slack') {
      await finish(row, { status: 'FAILED', lastError: `Unknown channel ${String(row.channel)}` });
      return 'failed';
    }
    const fallback = row.channel === 'email' ? person?.email : person?.slackUserId;
    const address = row.recipientAddress ?? fallback ?? null;
    if (!address) {
      const what = row.channel === 'email' ? 'an email address' : 'a Slack user id';
      await finish(row, { status: 'FAILED', lastError: `The recipient has no ${what}` });
      return 'failed';
    }
    try {
      const providerId = await send(row, address);
      await finish(row, {
        status: 'SENT',
        providerMessageId: providerId,
        sentAt: new Date(),
        lastError: null,
      });
      return 'sent';
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      deps.log.warn(
        { notification_id: row.id, channel: row.channel, attempt: row.attempts, error: message },
        'notification delivery failed',
      );
      if (err instanceof PermanentDeliveryError) {
        await finish(row, { status: 'FAILED', lastError: message });
        return 'failed';
      }
      if (row.attempts >= MAX_DELIVERY_ATTEMPTS) {
        await finish(row, {
          status: 'FAILED',
          lastError: `Gave up after ${row.attempts} attempts: ${message}`,
        });
        return 'failed';
      }
      const delayMs =
        err instanceof RateLimitedError ? err.retryAfterMs : deliveryBackoffMs(row.attempts, Math.random());
      if (err instanceof RateLimitedError)
        paused.set(row.channel, Math.max(paused.get(row.channel) ?? 0, Date.now() + delayMs));
      await finish(row, {
        status: 'PENDING',
        lastError: message,
        deliverAfter: new Date(Date.now() + delayMs),
      });
      return 'retried';
    }
  }

  /** One pass: recover interrupted sends, claim due rows, deliver them. */
  async function runOnce(): Promise<DeliveryPass> {
    const pass: DeliveryPass = { claimed: 0, sent: 0, failed: 0, suppressed: 0, retried: 0, recovered: 0 };
    pass.recovered = await recoverInterrupted();
    const rows = await claim();
    pass.claimed = rows.length;
    if (!rows.length) return pass;
    const people = await recipients(rows).catch(() => null);
    const outcomes = await Promise.allSettled(
      rows.map((row) =>
        limit(() =>
          people
            ? deliverRow(row, people)
            : Promise.reject(new Error('Recipients could not be read; the rows stay SENDING')),
        ),
      ),
    );
    for (const o of outcomes) if (o.status === 'fulfilled') pass[o.value]++;
    const failure = outcomes.find((o): o is PromiseRejectedResult => o.status === 'rejected');
    // A row whose outcome could not be recorded (the database went away) stays SENDING and is recovered later.
    if (failure) throw failure.reason;
    return pass;
  }

  return { runOnce, batch };
}

export type Delivery = ReturnType<typeof createDelivery>;
