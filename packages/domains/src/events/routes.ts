import { READ_ALL } from '@vigil/kernel/auth';
import { NotFound } from '@vigil/kernel/errors';
import { pageQuery, pageSchema } from '@vigil/kernel/pagination';
import { z } from 'zod';
import { isoDate, wsIdParam, wsParam } from '../api-schemas';
import { route } from '../deps';
import { eventSchema } from './api-schemas';
import { EVENT_TYPES } from './rules';
import { eventJson, getEvent, listEvents } from './service';

const T = 'Events';
const typeList = z
  .string()
  .max(2000)
  .transform((v, ctx) => {
    const list = v
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    for (const t of list)
      if (!(EVENT_TYPES as readonly string[]).includes(t)) {
        ctx.addIssue({ code: 'custom', message: `Unknown event type ${t}` });
        return z.NEVER;
      }
    return list;
  })
  .describe(`Comma-separated event types: ${EVENT_TYPES.join(', ')}`);

export const eventRoutes = [
  route({
    method: 'get',
    path: '/workspaces/:ws/events',
    tag: T,
    summary: 'List the workspace’s events (newest first)',
    description:
      'Every event is written in the transaction of the change it reports. Filters: type (one or more, comma-separated), subject, and occurred_at between from and to.',
    roles: READ_ALL,
    params: wsParam,
    query: pageQuery(500).extend({
      type: typeList.optional(),
      subject_type: z.string().max(64).optional(),
      subject_id: z.uuid().optional(),
      from: isoDate.optional(),
      to: isoDate.optional(),
    }),
    response: pageSchema(eventSchema),
    handler: async ({ query, ctx, deps }) => {
      const page = await listEvents(deps.db, ctx.workspaceId, {
        ...query,
        from: query.from ? new Date(query.from) : undefined,
        to: query.to ? new Date(query.to) : undefined,
      });
      return { data: page.data.map(eventJson), next_cursor: page.next_cursor };
    },
  }),
  route({
    method: 'get',
    path: '/workspaces/:ws/events/:id',
    tag: T,
    summary: 'One event',
    roles: READ_ALL,
    params: wsIdParam,
    response: eventSchema,
    handler: async ({ params, ctx, deps }) => {
      const e = await getEvent(deps.db, ctx.workspaceId, params.id);
      if (!e) throw new NotFound('Event', params.id);
      return eventJson(e);
    },
  }),
];
