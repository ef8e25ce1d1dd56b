import { ADMINS, MANAGERS, WRITERS } from '@vigil/kernel/auth';
import { pageQuery, pageSchema } from '@vigil/kernel/pagination';
import { toJson } from '@vigil/kernel/serialize';
import { z } from 'zod';
import { nullableTs, okSchema, ts, wsIdParam, wsParam } from '../api-schemas';
import { route, withEffects } from '../deps';
import { LEVELS, OBLIGATION_KINDS } from '../obligations/rules';
import { ladderLevelSchema, matrixRuleSchema, matrixRulesSchema, targetSchema } from './api-schemas';
import { TICKET_STATUSES } from './schema';
import {
  acknowledgeTicketEscalation,
  createMatrix,
  createTicket,
  deleteMatrix,
  getMatrix,
  getTicket,
  listMatrices,
  listTickets,
  ticketEscalations,
  updateMatrix,
  updateTicket,
} from './service';

const matrixBody = z.strictObject({
  name: z.string().trim().min(1).max(200),
  description: z.string().max(2000).nullable().optional(),
  severity_levels: z.array(z.string().min(1).max(32)).max(20).optional(),
  rules: matrixRulesSchema,
  form_ids: z.array(z.string().min(1).max(100)).max(100).optional(),
  team_ids: z.array(z.uuid()).max(100).optional(),
  priority_order: z.number().int().min(0).max(10000).optional(),
  is_active: z.boolean().optional(),
});
const matrixSchema = z.object({
  id: z.uuid(),
  workspace_id: z.uuid(),
  name: z.string(),
  description: z.string().nullable(),
  severity_levels: z.array(z.string()),
  rules: z.array(matrixRuleSchema),
  form_ids: z.array(z.string()),
  team_ids: z.array(z.uuid()),
  priority_order: z.number().int(),
  is_active: z.boolean(),
  created_at: ts,
  updated_at: ts,
});

const ticketBody = z.strictObject({
  title: z.string().trim().min(1).max(300),
  description: z.string().max(10000).nullable().optional(),
  severity: z.string().min(1).max(32).nullable().optional(),
  team_id: z.uuid().nullable().optional(),
  form_id: z.string().min(1).max(100).nullable().optional(),
  assignee_id: z.uuid().nullable().optional(),
  obligation_kind: z.enum(OBLIGATION_KINDS).nullable().optional(),
  obligation_id: z
    .uuid()
    .nullable()
    .optional()
    .describe('An obligation of obligation_kind in this workspace'),
});
const ticketPatch = ticketBody.partial().extend({ status: z.enum(TICKET_STATUSES).optional() });
const ticketSchema = z.object({
  id: z.uuid(),
  workspace_id: z.uuid(),
  title: z.string(),
  description: z.string().nullable(),
  severity: z.string().nullable(),
  status: z.enum(TICKET_STATUSES),
  team_id: z.uuid().nullable(),
  form_id: z.string().nullable(),
  reporter_id: z.uuid().nullable(),
  assignee_id: z.uuid().nullable(),
  obligation_kind: z.string().nullable(),
  obligation_id: z.uuid().nullable(),
  matrix_id: z.uuid().nullable(),
  ladder_source: z.enum(['OWN', 'MATRIX', 'DEFAULT']),
  ladder: z.array(ladderLevelSchema),
  current_escalation_level: z.enum(LEVELS).nullable(),
  acknowledged_at: nullableTs,
  resolved_at: nullableTs,
  closed_at: nullableTs,
  created_at: ts,
  updated_at: ts,
});
const escalationSchema = z.object({
  id: z.uuid(),
  workspace_id: z.uuid(),
  kind: z.string(),
  obligation_id: z.uuid(),
  level: z.enum(LEVELS),
  target: targetSchema,
  target_member_ids: z.array(z.uuid()),
  channels: z.array(z.string()),
  fired_at: ts,
  acknowledged_at: nullableTs,
  acknowledged_by_id: z.uuid().nullable(),
});
const ticketParams = z.object({ ws: z.uuid(), ticket_id: z.uuid() });

const T = 'Escalation';
export const escalationRoutes = [
  route({
    method: 'get',
    path: '/workspaces/:ws/escalation-matrices',
    tag: T,
    summary: 'List escalation matrices',
    params: wsParam,
    response: z.object({ data: z.array(matrixSchema) }),
    handler: async ({ ctx, deps }) => ({ data: (await listMatrices(deps.db, ctx.workspaceId)).map(toJson) }),
  }),
  route({
    method: 'post',
    path: '/workspaces/:ws/escalation-matrices',
    tag: T,
    summary: 'Create an escalation matrix',
    description:
      'Rules are the ladder: e.g. OPEN for PT24H → L1 TEAM_LEAD; PT48H → L2 MANAGER; ... up to L4. A ticket matches on form, team and severity (empty lists match anything); the most specific match wins, then the lowest priority_order.',
    roles: ADMINS,
    params: wsParam,
    body: matrixBody,
    response: matrixSchema,
    handler: async ({ body, ctx, deps }) => toJson(await createMatrix(deps.db, ctx, body)),
  }),
  route({
    method: 'get',
    path: '/workspaces/:ws/escalation-matrices/:id',
    tag: T,
    summary: 'Get an escalation matrix',
    params: wsIdParam,
    response: matrixSchema,
    handler: async ({ params, ctx, deps }) => toJson(await getMatrix(deps.db, ctx.workspaceId, params.id)),
  }),
  route({
    method: 'patch',
    path: '/workspaces/:ws/escalation-matrices/:id',
    tag: T,
    summary: 'Update an escalation matrix (obligations already open keep their copied ladder)',
    roles: ADMINS,
    params: wsIdParam,
    body: matrixBody.partial(),
    response: matrixSchema,
    handler: async ({ params, body, ctx, deps }) => toJson(await updateMatrix(deps.db, ctx, params.id, body)),
  }),
  route({
    method: 'delete',
    path: '/workspaces/:ws/escalation-matrices/:id',
    tag: T,
    summary: 'Delete an escalation matrix',
    roles: ADMINS,
    params: wsIdParam,
    response: okSchema,
    handler: async ({ params, ctx, deps }) => {
      await deleteMatrix(deps.db, ctx, params.id);
      return { ok: true };
    },
  }),
  route({
    method: 'post',
    path: '/workspaces/:ws/tickets',
    tag: T,
    summary: 'Open a ticket (it escalates along the best matching matrix while OPEN)',
    roles: WRITERS,
    params: wsParam,
    body: ticketBody,
    response: ticketSchema,
    handler: async ({ body, ctx, deps }) =>
      toJson(await withEffects(deps, () => createTicket(deps.db, ctx, body))),
  }),
  route({
    method: 'get',
    path: '/workspaces/:ws/tickets',
    tag: T,
    summary: 'List tickets',
    params: wsParam,
    query: pageQuery().extend({ status: z.enum(TICKET_STATUSES).optional(), team_id: z.uuid().optional() }),
    response: pageSchema(ticketSchema),
    handler: async ({ query, ctx, deps }) => {
      const page = await listTickets(deps.db, ctx.workspaceId, query);
      return { data: page.data.map(toJson), next_cursor: page.next_cursor };
    },
  }),
  route({
    method: 'get',
    path: '/workspaces/:ws/tickets/:ticket_id',
    tag: T,
    summary: 'Get a ticket',
    params: ticketParams,
    response: ticketSchema,
    handler: async ({ params, ctx, deps }) =>
      toJson(await getTicket(deps.db, ctx.workspaceId, params.ticket_id)),
  }),
  route({
    method: 'patch',
    path: '/workspaces/:ws/tickets/:ticket_id',
    tag: T,
    summary: 'Update a ticket (ACKNOWLEDGED stops the climb; RESOLVED and CLOSED end it)',
    roles: WRITERS,
    params: ticketParams,
    body: ticketPatch,
    response: ticketSchema,
    handler: async ({ params, body, ctx, deps }) =>
      toJson(await withEffects(deps, () => updateTicket(deps.db, ctx, params.ticket_id, body))),
  }),
  route({
    method: 'get',
    path: '/workspaces/:ws/tickets/:ticket_id/escalations',
    tag: T,
    summary: 'The escalations a ticket has fired, with resolved targets',
    params: ticketParams,
    response: z.object({ data: z.array(escalationSchema) }),
    handler: async ({ params, ctx, deps }) => ({
      data: (await ticketEscalations(deps.db, ctx.workspaceId, params.ticket_id)).map(toJson),
    }),
  }),
  route({
    method: 'post',
    path: '/workspaces/:ws/tickets/:ticket_id/escalations/:id/acknowledge',
    tag: T,
    summary: 'Acknowledge an escalation: the ladder stops climbing',
    roles: [...MANAGERS, 'MEMBER', 'APPROVER'],
    status: 200,
    params: ticketParams.extend({ id: z.uuid() }),
    response: escalationSchema,
    handler: async ({ params, ctx, deps }) =>
      toJson(
        await withEffects(deps, () => acknowledgeTicketEscalation(deps.db, ctx, params.ticket_id, params.id)),
      ),
  }),
];
