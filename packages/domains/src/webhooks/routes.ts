import { ADMINS } from '@vigil/kernel/auth';
import { pageQuery, pageSchema } from '@vigil/kernel/pagination';
import { z } from 'zod';
import { okSchema, ts, wsIdParam, wsParam } from '../api-schemas';
import { route } from '../deps';
import { EVENT_TYPES } from '../events/rules';
import { DELIVERY_STATUSES } from './schema';
import {
  createEndpoint,
  deleteEndpoint,
  endpointJson,
  getEndpoint,
  listDeliveries,
  listEndpoints,
  redeliver,
  rotateSecret,
  updateEndpoint,
} from './service';

const T = 'Webhooks';
const base = '/workspaces/:ws/webhooks';

const endpointSchema = z.object({
  id: z.uuid(),
  workspace_id: z.uuid(),
  url: z.string(),
  description: z.string().nullable(),
  event_types: z.array(z.enum(EVENT_TYPES)),
  enabled: z.boolean(),
  disabled_reason: z.string().nullable(),
  failing_since: ts.nullable(),
  previous_secret_expires_at: ts.nullable(),
  created_at: ts,
  updated_at: ts,
});
const withSecret = endpointSchema.extend({
  secret: z
    .string()
    .describe('The Standard Webhooks signing secret (whsec_...). Shown only in this response.'),
});
const fields = {
  url: z
    .string()
    .trim()
    .min(1)
    .max(2000)
    .describe('https only (http with ALLOW_HTTP_WEBHOOKS); no private, loopback or link-local target'),
  description: z.string().max(2000).nullable().optional(),
  event_types: z.array(z.enum(EVENT_TYPES)).max(EVENT_TYPES.length).optional(),
  enabled: z.boolean().optional(),
};
const deliverySchema = z.object({
  id: z.uuid(),
  endpoint_id: z.uuid(),
  event_id: z.uuid().describe('Also the webhook-id header: the receiver’s dedupe key'),
  status: z.enum(DELIVERY_STATUSES),
  attempts: z.number().int(),
  next_attempt_at: ts.nullable(),
  last_status_code: z.number().int().nullable(),
  last_error: z.string().nullable(),
  delivered_at: ts.nullable(),
  created_at: ts,
  attempt_log: z.array(
    z.object({
      attempt: z.number().int(),
      status_code: z.number().int().nullable(),
      error: z.string().nullable(),
      latency_ms: z.number().int(),
      at: ts,
    }),
  ),
});
const GUARANTEE =
  'Deliveries follow Standard Webhooks (webhook-id = the event id, webhook-timestamp, webhook-signature v1 HMAC-SHA256; two signatures for 24 h after a rotation). At least once: receivers dedupe on webhook-id. A failed attempt (non-2xx, redirect, 10 s timeout, network error) is retried with exponential backoff from 30 s up to 24 h; an endpoint failing for 3 days is disabled and the admins notified.';

export const webhookRoutes = [
  route({
    method: 'get',
    path: base,
    tag: T,
    summary: 'List webhook endpoints',
    roles: ADMINS,
    params: wsParam,
    response: z.object({ data: z.array(endpointSchema) }),
    handler: async ({ ctx, deps }) => ({
      data: (await listEndpoints(deps.db, ctx.workspaceId)).map(endpointJson),
    }),
  }),
  route({
    method: 'post',
    path: base,
    tag: T,
    summary: 'Create a webhook endpoint (the secret is shown once)',
    description: GUARANTEE,
    roles: ADMINS,
    params: wsParam,
    body: z.strictObject(fields),
    response: withSecret,
    handler: async ({ body, ctx, deps }) => {
      const { row, secret } = await createEndpoint(deps.db, deps.config, ctx, body);
      return { ...endpointJson(row), secret };
    },
  }),
  route({
    method: 'get',
    path: `${base}/:id`,
    tag: T,
    summary: 'One webhook endpoint',
    roles: ADMINS,
    params: wsIdParam,
    response: endpointSchema,
    handler: async ({ params, ctx, deps }) =>
      endpointJson(await getEndpoint(deps.db, ctx.workspaceId, params.id)),
  }),
  route({
    method: 'patch',
    path: `${base}/:id`,
    tag: T,
    summary: 'Update a webhook endpoint (enabling it again clears its failure record)',
    roles: ADMINS,
    params: wsIdParam,
    body: z.strictObject({ ...fields, url: fields.url.optional() }),
    response: endpointSchema,
    handler: async ({ params, body, ctx, deps }) =>
      endpointJson(await updateEndpoint(deps.db, deps.config, ctx, params.id, body)),
  }),
  route({
    method: 'delete',
    path: `${base}/:id`,
    tag: T,
    summary: 'Delete a webhook endpoint and its delivery log',
    roles: ADMINS,
    params: wsIdParam,
    response: okSchema,
    handler: async ({ params, ctx, deps }) => {
      await deleteEndpoint(deps.db, ctx, params.id);
      return { ok: true };
    },
  }),
  route({
    method: 'post',
    path: `${base}/:id/rotate-secret`,
    tag: T,
    summary: 'Rotate the signing secret (the old one keeps signing for 24 h)',
    roles: ADMINS,
    params: wsIdParam,
    response: withSecret,
    handler: async ({ params, ctx, deps }) => {
      const { row, secret } = await rotateSecret(deps.db, ctx, params.id);
      return { ...endpointJson(row), secret };
    },
  }),
  route({
    method: 'get',
    path: `${base}/:id/deliveries`,
    tag: T,
    summary: 'Deliveries of an endpoint, newest first, with every attempt (status code, latency)',
    roles: ADMINS,
    params: wsIdParam,
    query: pageQuery(200),
    response: pageSchema(deliverySchema),
    handler: ({ params, query, ctx, deps }) => listDeliveries(deps.db, ctx.workspaceId, params.id, query),
  }),
  route({
    method: 'post',
    path: `${base}/:id/deliveries/:delivery_id/redeliver`,
    tag: T,
    summary: 'Send a delivery again now',
    roles: ADMINS,
    params: z.object({ ws: z.uuid(), id: z.uuid(), delivery_id: z.uuid() }),
    status: 202,
    response: okSchema,
    handler: async ({ params, ctx, deps }) => {
      await redeliver(deps.db, ctx, params.id, params.delivery_id);
      return { ok: true };
    },
  }),
];
