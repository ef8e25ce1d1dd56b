import { randomBytes } from 'node:crypto';
import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import type { AuthContext } from '@vigil/kernel/auth';
import type { Config } from '@vigil/kernel/config';
import { BadRequest, NotFound } from '@vigil/kernel/errors';
import { and, asc, eq, inArray } from 'drizzle-orm';
import { audit } from '../audit/service';
import { type Db, type Executor, findInWorkspace } from '../db';
import { listPage, type PageArgs } from '../paging';
import { patchInWorkspace } from '../patch';
import { isPrivateAddress, PREVIOUS_SECRET_MS, urlProblem } from './rules';
import { webhookAttempts, webhookDeliveries, webhookEndpoints } from './schema';

export type EndpointRow = typeof webhookEndpoints.$inferSelect;
type Flags = Pick<Config, 'ALLOW_HTTP_WEBHOOKS' | 'ALLOW_PRIVATE_WEBHOOKS'>;

/** A Standard Webhooks secret: `whsec_` and 32 random bytes in base64. */
export const newSecret = () => `whsec_${randomBytes(32).toString('base64')}`;

const policyOf = (c: Flags) => ({ allowHttp: c.ALLOW_HTTP_WEBHOOKS, allowPrivate: c.ALLOW_PRIVATE_WEBHOOKS });

/**
 * The URL problem, if any, including its name resolving to a private address (SSRF).
 * The delivery checks again before each attempt, so a name that later resolves there is refused too.
 */
export async function urlRefusal(url: string, config: Flags): Promise<string | null> {
  const problem = urlProblem(url, policyOf(config));
  if (problem || config.ALLOW_PRIVATE_WEBHOOKS) return problem;
  const host = new URL(url).hostname.replace(/^\[|\]$/g, '');
  if (isIP(host)) return null;
  try {
    const addrs = await lookup(host, { all: true, verbatim: true });
    if (addrs.some((a) => isPrivateAddress(a.address)))
      return 'Resolves to a private, loopback or link-local address';
    return null;
  } catch {
    return 'Host name does not resolve';
  }
}

async function assertUrl(url: string, config: Flags) {
  const problem = await urlRefusal(url, config);
  if (problem) throw new BadRequest(`body.url: ${problem}`, [{ field: 'body.url', message: problem }]);
}

export const endpointJson = (e: EndpointRow) => ({
  id: e.id,
  workspace_id: e.workspaceId,
  url: e.url,
  description: e.description,
  event_types: e.eventTypes,
  enabled: e.enabled,
  disabled_reason: e.disabledReason,
  failing_since: e.failingSince?.toISOString() ?? null,
  previous_secret_expires_at: e.previousSecretExpiresAt?.toISOString() ?? null,
  created_at: e.createdAt.toISOString(),
  updated_at: e.updatedAt.toISOString(),
});
const audited = (e: EndpointRow) => ({
  url: e.url,
  event_types: e.eventTypes,
  enabled: e.enabled,
  description: e.description,
});

export interface EndpointInput {
  url?: string;
  description?: string | null;
  event_types?: string[];
  enabled?: boolean;
}

export async function getEndpoint(db: Executor, ws: string, id: string): Promise<EndpointRow> {
  return findInWorkspace(db, webhookEndpoints, 'Webhook', ws, id);
}

export const listEndpoints = (db: Executor, ws: string) =>
  db
    .select()
    .from(webhookEndpoints)
    .where(eq(webhookEndpoints.workspaceId, ws))
    .orderBy(asc(webhookEndpoints.id));

/** Creates an endpoint; the secret is returned this once. */
export async function createEndpoint(
  db: Db,
  config: Flags,
  ctx: AuthContext,
  input: EndpointInput & { url: string },
) {
  await assertUrl(input.url, config);
  const secret = newSecret();
  return db.transaction(async (tx) => {
    const [row] = await tx
      .insert(webhookEndpoints)
      .values({
        workspaceId: ctx.workspaceId,
        url: input.url,
        description: input.description ?? null,
        eventTypes: input.event_types ?? [],
        enabled: input.enabled ?? true,
        secret,
      })
      .returning();
    if (!row) throw new Error('insert returned nothing');
    await audit(tx, ctx, {
      action: 'WEBHOOK_CREATED',
      targetType: 'webhook_endpoint',
      targetId: row.id,
      newValue: audited(row),
      description: `Webhook ${row.url} created`,
    });
    return { row, secret };
  });
}

/** Updates an endpoint; enabling it again clears its failure record. */
export async function updateEndpoint(
  db: Db,
  config: Flags,
  ctx: AuthContext,
  id: string,
  input: EndpointInput,
) {
  return patchInWorkspace(
    db,
    ctx,
    { table: webhookEndpoints, what: 'Webhook', id },
    {
      check: async () => {
        if (input.url !== undefined) await assertUrl(input.url, config);
      },
      set: (before) => ({
        ...(input.url !== undefined ? { url: input.url } : {}),
        ...(input.description !== undefined ? { description: input.description } : {}),
        ...(input.event_types !== undefined ? { eventTypes: input.event_types } : {}),
        ...(input.enabled !== undefined ? { enabled: input.enabled } : {}),
        ...(input.enabled === true && !before.enabled ? { failingSince: null, disabledReason: null } : {}),
      }),
      audit: (before, row) => ({
        action: 'WEBHOOK_UPDATED',
        targetType: 'webhook_endpoint',
        targetId: id,
        oldValue: audited(before),
        newValue: audited(row),
        description: `Webhook ${row.url} updated`,
      }),
    },
  );
}

/** A new secret, returned this once; the previous one keeps signing (both signatures sent) for 24 h. */
export async function rotateSecret(db: Db, ctx: AuthContext, id: string, now = new Date()) {
  return db.transaction(async (tx) => {
    const before = await getEndpoint(tx, ctx.workspaceId, id);
    const secret = newSecret();
    const expires = new Date(now.getTime() + PREVIOUS_SECRET_MS);
    const [row] = await tx
      .update(webhookEndpoints)
      .set({ secret, previousSecret: before.secret, previousSecretExpiresAt: expires, updatedAt: now })
      .where(eq(webhookEndpoints.id, id))
      .returning();
    if (!row) throw new NotFound('Webhook', id);
    await audit(tx, ctx, {
      action: 'WEBHOOK_SECRET_ROTATED',
      targetType: 'webhook_endpoint',
      targetId: id,
      newValue: { previous_secret_expires_at: expires.toISOString() },
      description: `Webhook ${row.url}: secret rotated`,
    });
    return { row, secret };
  });
}

export async function deleteEndpoint(db: Db, ctx: AuthContext, id: string) {
  return db.transaction(async (tx) => {
    const before = await getEndpoint(tx, ctx.workspaceId, id);
    await tx.delete(webhookEndpoints).where(eq(webhookEndpoints.id, id));
    await audit(tx, ctx, {
      action: 'WEBHOOK_DELETED',
      targetType: 'webhook_endpoint',
      targetId: id,
      oldValue: audited(before),
      description: `Webhook ${before.url} deleted`,
    });
  });
}

/** Queues one delivery of an event to an endpoint; a repeat of (endpoint, event) is a no-op. */
export async function queueDeliveries(tx: Executor, ws: string, eventId: string, endpointIds: string[]) {
  if (!endpointIds.length) return [];
  return tx
    .insert(webhookDeliveries)
    .values(endpointIds.map((endpointId) => ({ workspaceId: ws, endpointId, eventId })))
    .onConflictDoNothing()
    .returning({ id: webhookDeliveries.id, endpointId: webhookDeliveries.endpointId });
}

/** An endpoint's deliveries, newest first, each with its attempts. */
export async function listDeliveries(db: Executor, ws: string, endpointId: string, f: PageArgs) {
  await getEndpoint(db, ws, endpointId);
  const page = await listPage(
    db,
    webhookDeliveries,
    [eq(webhookDeliveries.workspaceId, ws), eq(webhookDeliveries.endpointId, endpointId)],
    f,
  );
  const ids = page.data.map((d) => d.id);
  const attempts = ids.length
    ? await db
        .select()
        .from(webhookAttempts)
        .where(inArray(webhookAttempts.deliveryId, ids))
        .orderBy(asc(webhookAttempts.attempt))
    : [];
  return {
    data: page.data.map((d) => ({
      id: d.id,
      endpoint_id: d.endpointId,
      event_id: d.eventId,
      status: d.status,
      attempts: d.attempts,
      next_attempt_at: d.status === 'PENDING' ? d.nextAttemptAt.toISOString() : null,
      last_status_code: d.lastStatusCode,
      last_error: d.lastError,
      delivered_at: d.deliveredAt?.toISOString() ?? null,
      created_at: d.createdAt.toISOString(),
      attempt_log: attempts
        .filter((a) => a.deliveryId === d.id)
        .map((a) => ({
          attempt: a.attempt,
          status_code: a.statusCode,
          error: a.error,
          latency_ms: a.latencyMs,
          at: a.createdAt.toISOString(),
        })),
    })),
    next_cursor: page.next_cursor,
  };
}

/** Sends a delivery again now (whatever its state); its attempts continue counting. */
export async function redeliver(db: Db, ctx: AuthContext, endpointId: string, deliveryId: string) {
  return db.transaction(async (tx) => {
    const endpoint = await getEndpoint(tx, ctx.workspaceId, endpointId);
    const [row] = await tx
      .update(webhookDeliveries)
      .set({ status: 'PENDING', nextAttemptAt: new Date(), lockedUntil: null, updatedAt: new Date() })
      .where(
        and(
          eq(webhookDeliveries.workspaceId, ctx.workspaceId),
          eq(webhookDeliveries.endpointId, endpointId),
          eq(webhookDeliveries.id, deliveryId),
        ),
      )
      .returning();
    if (!row) throw new NotFound('Delivery', deliveryId);
    await audit(tx, ctx, {
      action: 'WEBHOOK_REDELIVERED',
      targetType: 'webhook_endpoint',
      targetId: endpointId,
      newValue: { delivery_id: deliveryId, event_id: row.eventId },
      description: `Webhook ${endpoint.url}: event ${row.eventId} redelivered`,
    });
    return row;
  });
}
