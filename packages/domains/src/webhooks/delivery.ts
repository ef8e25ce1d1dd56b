import { systemContext } from '@vigil/kernel/auth';
import { and, eq, inArray, sql } from 'drizzle-orm';
import { Webhook } from 'standardwebhooks';
import { audit } from '../audit/service';
import type { AppDeps } from '../deps';
import { events } from '../events/schema';
import { eventJson } from '../events/service';
import { enqueueMessages } from '../notifications/service';
import { members } from '../people/schema';
import { isDelivered, retryDelayMs, shouldDisable } from './rules';
import { webhookAttempts, webhookDeliveries, webhookEndpoints } from './schema';
import { type EndpointRow, urlRefusal } from './service';

const BATCH = 20;
/** A SENDING row older than this was cut off by a crash and is claimed again (at least once). */
const LEASE_SECONDS = 60;

type Delivery = typeof webhookDeliveries.$inferSelect;

/** Signs with the current secret and, within 24 h of a rotation, the previous one too. */
export function signatures(e: EndpointRow, msgId: string, at: Date, body: string, now = new Date()): string {
  const secrets = [e.secret];
  if (e.previousSecret && e.previousSecretExpiresAt && e.previousSecretExpiresAt > now)
    secrets.push(e.previousSecret);
  return secrets.map((s) => new Webhook(s).sign(msgId, at, body)).join(' ');
}

interface Outcome {
  statusCode: number | null;
  error: string | null;
  latencyMs: number;
}

async function send(deps: AppDeps, e: EndpointRow, msgId: string, body: string): Promise<Outcome> {
  const started = Date.now();
  const refusal = await urlRefusal(e.url, deps.config);
  if (refusal) return { statusCode: null, error: `Refused: ${refusal}`, latencyMs: 0 };
  const at = new Date();
  try {
    const res = await fetch(e.url, {
      method: 'POST',
      redirect: 'manual',
      signal: AbortSignal.timeout(deps.config.WEBHOOK_TIMEOUT_MS),
      headers: {
        'content-type': 'application/json',
        'user-agent': 'Vigil-Webhooks/1',
        'webhook-id': msgId,
        'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
        'webhook-signature': signatures(e, msgId, at, body),
      },
      body,
    });
    await res.body?.cancel().catch(() => undefined);
    return {
      statusCode: res.status,
      error: isDelivered(res.status) ? null : `HTTP ${res.status}`,
      latencyMs: Date.now() - started,
    };
  } catch (err) {
    const name = (err as Error).name;
    const error =
      name === 'TimeoutError'
        ? `Timed out after ${deps.config.WEBHOOK_TIMEOUT_MS} ms`
        : String((err as Error).message);
    return { statusCode: null, error, latencyMs: Date.now() - started };
  }
}

/** Records an attempt, schedules the retry, and disables an endpoint that failed for 3 days (admins told). */
async function record(deps: AppDeps, d: Delivery, e: EndpointRow | undefined, o: Outcome) {
  const now = new Date();
  await deps.db.transaction(async (tx) => {
    await tx.insert(webhookAttempts).values({
      workspaceId: d.workspaceId,
      deliveryId: d.id,
      attempt: d.attempts,
      statusCode: o.statusCode,
      error: o.error,
      latencyMs: o.latencyMs,
    });
    const ok = o.error === null;
    const guard = and(
      eq(webhookDeliveries.id, d.id),
      eq(webhookDeliveries.status, 'SENDING'),
      eq(webhookDeliveries.attempts, d.attempts),
    );
    const next = new Date(now.getTime() + retryDelayMs(d.attempts, deps.config.WEBHOOK_RETRY_BASE_MS));
    await tx
      .update(webhookDeliveries)
      .set(
        ok
          ? {
              status: 'SUCCEEDED',
              deliveredAt: now,
              lastStatusCode: o.statusCode,
              lastError: null,
              lockedUntil: null,
              updatedAt: now,
            }
          : !e?.enabled
            ? {
                status: 'FAILED',
                lastStatusCode: o.statusCode,
                lastError: o.error,
                lockedUntil: null,
                updatedAt: now,
              }
            : {
                status: 'PENDING',
                nextAttemptAt: next,
                lastStatusCode: o.statusCode,
                lastError: o.error,
                lockedUntil: null,
                updatedAt: now,
              },
      )
      .where(guard);
    if (!e) return;
    if (ok) {
      if (e.failingSince)
        await tx.update(webhookEndpoints).set({ failingSince: null }).where(eq(webhookEndpoints.id, e.id));
      return;
    }
    const [ep] = await tx
      .update(webhookEndpoints)
      .set({
        failingSince: sql`coalesce(${webhookEndpoints.failingSince}, ${now.toISOString()}::timestamptz)`,
      })
      .where(eq(webhookEndpoints.id, e.id))
      .returning();
    if (!ep?.enabled || !shouldDisable(ep.failingSince, now)) return;
    await tx
      .update(webhookEndpoints)
      .set({ enabled: false, disabledReason: 'Every delivery failed for 3 days', updatedAt: now })
      .where(eq(webhookEndpoints.id, e.id));
    await tx
      .update(webhookDeliveries)
      .set({ status: 'FAILED', lastError: 'Endpoint disabled', updatedAt: now })
      .where(and(eq(webhookDeliveries.endpointId, e.id), eq(webhookDeliveries.status, 'PENDING')));
    const admins = await tx
      .select({ id: members.id })
      .from(members)
      .where(
        and(
          eq(members.workspaceId, e.workspaceId),
          eq(members.accessRole, 'ADMIN'),
          eq(members.status, 'ACTIVE'),
        ),
      );
    await enqueueMessages(
      tx,
      e.workspaceId,
      deps.config,
      [
        {
          recipientIds: admins.map((a) => a.id),
          template: 'webhook.disabled',
          data: { url: e.url, title: e.url },
          channels: ['email', 'slack'],
          kind: 'webhook_endpoint',
          obligationId: e.id,
          stepKey: `disabled:${now.toISOString()}`,
        },
      ],
      now,
    );
    await audit(tx, systemContext(e.workspaceId), {
      action: 'WEBHOOK_DISABLED',
      targetType: 'webhook_endpoint',
      targetId: e.id,
      newValue: { enabled: false, failing_since: ep.failingSince?.toISOString() ?? null },
      description: `Webhook ${e.url} disabled after 3 days of failed deliveries`,
    });
  });
}

/**
 * One pass of the webhook relay: claims due deliveries (SKIP LOCKED, a 60 s lease), POSTs each
 * signed event with no transaction open, and records the attempt. At least once: a process that
 * dies after the receiver took a delivery and before SUCCEEDED committed sends it again after the
 * lease, with the same webhook-id, which receivers use as the dedupe key.
 */
export async function relayWebhooks(deps: AppDeps): Promise<{ claimed: number }> {
  const claimed = await deps.db.execute(sql`
    UPDATE webhook_deliveries SET status = 'SENDING', attempts = attempts + 1,
      locked_until = now() + make_interval(secs => ${LEASE_SECONDS}), updated_at = now()
    WHERE id IN (
      SELECT id FROM webhook_deliveries
      WHERE (status = 'PENDING' AND next_attempt_at <= now()) OR (status = 'SENDING' AND locked_until < now())
      ORDER BY next_attempt_at LIMIT ${BATCH} FOR UPDATE SKIP LOCKED)
    RETURNING id`);
  const ids = (claimed.rows as Array<{ id: string }>).map((r) => r.id);
  if (!ids.length) return { claimed: 0 };
  const rows = await deps.db.select().from(webhookDeliveries).where(inArray(webhookDeliveries.id, ids));
  const endpoints = await deps.db
    .select()
    .from(webhookEndpoints)
    .where(inArray(webhookEndpoints.id, [...new Set(rows.map((r) => r.endpointId))]));
  const evs = await deps.db
    .select()
    .from(events)
    .where(inArray(events.id, [...new Set(rows.map((r) => r.eventId))]));
  await Promise.all(
    rows.map(async (d) => {
      const e = endpoints.find((x) => x.id === d.endpointId);
      const ev = evs.find((x) => x.id === d.eventId);
      if (e?.enabled && ev) {
        await record(deps, d, e, await send(deps, e, ev.id, JSON.stringify(eventJson(ev))));
        return;
      }
      // A disabled or deleted endpoint, or a vanished event: the delivery fails with no request.
      const error = e?.enabled === false ? 'Endpoint disabled' : 'Gone';
      await record(deps, d, e ? { ...e, enabled: false } : undefined, {
        statusCode: null,
        error,
        latencyMs: 0,
      });
    }),
  );
  return { claimed: ids.length };
}
