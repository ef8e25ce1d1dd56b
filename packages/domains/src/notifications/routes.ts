import { pageQuery, pageSchema } from '@vigil/kernel/pagination';
import { toJson } from '@vigil/kernel/serialize';
import { z } from 'zod';
import { nullableTs, ts, wsParam } from '../api-schemas';
import { route } from '../deps';
import { NOTIFICATION_CHANNELS, NOTIFICATION_STATUSES } from './schema';
import { listNotifications } from './service';

const notificationSchema = z.object({
  id: z.uuid(),
  workspace_id: z.uuid(),
  dedupe_key: z.string(),
  channel: z.enum(NOTIFICATION_CHANNELS),
  recipient_id: z.uuid().nullable(),
  recipient_address: z.string().nullable(),
  template: z.string(),
  subject: z.string(),
  body: z.string(),
  kind: z.string().nullable(),
  obligation_id: z.uuid().nullable(),
  step_key: z.string().nullable(),
  level: z.string().nullable(),
  status: z.enum(NOTIFICATION_STATUSES),
  attempts: z.number().int(),
  provider_message_id: z.string().nullable(),
  last_error: z.string().nullable(),
  deliver_after: ts,
  sent_at: nullableTs,
  created_at: ts,
});

export const notificationRoutes = [
  route({
    method: 'get',
    path: '/workspaces/:ws/notifications',
    tag: 'Notifications',
    summary:
      'The outbox with delivery status: every notification for admins, approvers and auditors; the caller’s own for others',
    description:
      'Admins, approvers and auditors read every row. Managers and members read only the messages addressed to them (recipient_id is the caller), so ?recipient_id= naming someone else gives an empty page. Message secrets (acknowledgement link tokens) are never returned.',
    params: wsParam,
    query: pageQuery(500).extend({
      status: z.enum(NOTIFICATION_STATUSES).optional(),
      channel: z.enum(NOTIFICATION_CHANNELS).optional(),
      recipient_id: z.uuid().optional(),
      kind: z.string().max(64).optional(),
      obligation_id: z.uuid().optional(),
    }),
    response: pageSchema(notificationSchema),
    handler: async ({ query, ctx, deps }) => {
      const page = await listNotifications(deps.db, ctx, query);
      return {
        data: page.data.map(({ payload: _p, secrets: _s, ...n }) => toJson(n)),
        next_cursor: page.next_cursor,
      };
    },
  }),
];
