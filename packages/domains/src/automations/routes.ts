import { ADMINS } from '@vigil/kernel/auth';
import { pageQuery, pageSchema } from '@vigil/kernel/pagination';
import { z } from 'zod';
import { okSchema, ts, wsIdParam, wsParam } from '../api-schemas';
import { route } from '../deps';
import { EVENT_TYPES } from '../events/rules';
import { CONDITION_FIELDS, NOTIFY_RECIPIENTS, templateProblem } from './rules';
import { RUN_STATUSES } from './schema';
import {
  automationJson,
  createAutomation,
  deleteAutomation,
  getAutomation,
  listAutomations,
  listRuns,
  updateAutomation,
} from './service';

const T = 'Automations';
const base = '/workspaces/:ws/automations';

const template = (max: number) =>
  z
    .string()
    .max(max)
    .superRefine((v, ctx) => {
      const problem = templateProblem(v);
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    })
    .describe(
      'Text with {{event.type}}, {{event.occurred_at}}, {{subject.type}}, {{subject.id}}, {{subject.title}} or {{payload.<field>}}',
    );

const conditionsSchema = z
  .strictObject(
    Object.fromEntries(
      CONDITION_FIELDS.map((f) => [f, z.array(z.string().min(1).max(200)).min(1).max(50).optional()]),
    ) as Record<(typeof CONDITION_FIELDS)[number], z.ZodOptional<z.ZodArray<z.ZodString>>>,
  )
  .describe(
    'Each field lists the values it accepts; an event matches when every listed field holds one of them: category, priority, domain, level from the payload; severity from the payload or the subject ticket; team (a team id) from the payload or the subject’s team; status from the payload (a compliance change: its after).',
  );

const actionSchema = z.discriminatedUnion('type', [
  z.strictObject({
    type: z.literal('notify'),
    recipients: z.array(z.enum(NOTIFY_RECIPIENTS)).max(4).default([]),
    member_ids: z.array(z.uuid()).max(100).optional(),
    channels: z
      .array(z.enum(['email', 'slack']))
      .min(1)
      .max(2),
    subject: template(200).optional(),
    message: template(4000).optional(),
  }),
  z.strictObject({
    type: z.literal('create_ticket'),
    title: template(300).pipe(z.string().trim().min(1)),
    description: template(4000).optional(),
    severity: z.string().trim().min(1).max(64).optional(),
    team_id: z.uuid().optional(),
  }),
  z.strictObject({ type: z.literal('webhook'), endpoint_id: z.uuid() }),
]);
const triggerSchema = z.strictObject({
  event_type: z.enum(EVENT_TYPES),
  conditions: conditionsSchema.optional(),
});
const actionsSchema = z
  .array(actionSchema)
  .min(1)
  .max(10)
  .superRefine((list, ctx) => {
    list.forEach((a, i) => {
      if (a.type === 'notify' && !a.recipients.length && !a.member_ids?.length)
        ctx.addIssue({ code: 'custom', path: [i, 'recipients'], message: 'Name recipients or member_ids' });
    });
  });

const automationSchema = z.object({
  id: z.uuid(),
  workspace_id: z.uuid(),
  name: z.string(),
  enabled: z.boolean(),
  trigger: z.object({
    event_type: z.enum(EVENT_TYPES),
    conditions: z.record(z.string(), z.array(z.string())),
  }),
  actions: z.array(z.record(z.string(), z.unknown())),
  created_at: ts,
  updated_at: ts,
});
const runSchema = z.object({
  id: z.uuid(),
  automation_id: z.uuid(),
  event_id: z.uuid(),
  replay: z.number().int().describe('0 for the dispatcher’s run, 1, 2, ... for replays'),
  status: z.enum(RUN_STATUSES),
  results: z
    .array(z.record(z.string(), z.unknown()))
    .describe('One per action: notification ids, ticket id, webhook delivery id'),
  error: z.string().nullable(),
  created_at: ts,
});
const DESCRIPTION =
  'Each event is handled by every enabled automation whose trigger and conditions match, exactly once: its run row (unique per automation and event) commits with the rows its actions write (notifications in the outbox, a ticket that walks its escalation matrix, a webhook delivery). A disabled automation runs nothing.';

export const automationRoutes = [
  route({
    method: 'get',
    path: base,
    tag: T,
    summary: 'List automations',
    roles: ADMINS,
    params: wsParam,
    response: z.object({ data: z.array(automationSchema) }),
    handler: async ({ ctx, deps }) => ({
      data: (await listAutomations(deps.db, ctx.workspaceId)).map(automationJson),
    }),
  }),
  route({
    method: 'post',
    path: base,
    tag: T,
    summary: 'Create an automation',
    description: DESCRIPTION,
    roles: ADMINS,
    params: wsParam,
    body: z.strictObject({
      name: z.string().trim().min(1).max(200),
      enabled: z.boolean().optional(),
      trigger: triggerSchema,
      actions: actionsSchema,
    }),
    response: automationSchema,
    handler: async ({ body, ctx, deps }) => automationJson(await createAutomation(deps.db, ctx, body)),
  }),
  route({
    method: 'get',
    path: `${base}/:id`,
    tag: T,
    summary: 'One automation',
    roles: ADMINS,
    params: wsIdParam,
    response: automationSchema,
    handler: async ({ params, ctx, deps }) =>
      automationJson(await getAutomation(deps.db, ctx.workspaceId, params.id)),
  }),
  route({
    method: 'patch',
    path: `${base}/:id`,
    tag: T,
    summary: 'Update an automation',
    roles: ADMINS,
    params: wsIdParam,
    body: z.strictObject({
      name: z.string().trim().min(1).max(200).optional(),
      enabled: z.boolean().optional(),
      trigger: triggerSchema.optional(),
      actions: actionsSchema.optional(),
    }),
    response: automationSchema,
    handler: async ({ params, body, ctx, deps }) =>
      automationJson(await updateAutomation(deps.db, ctx, params.id, body)),
  }),
  route({
    method: 'delete',
    path: `${base}/:id`,
    tag: T,
    summary: 'Delete an automation (its runs stay)',
    roles: ADMINS,
    params: wsIdParam,
    response: okSchema,
    handler: async ({ params, ctx, deps }) => {
      await deleteAutomation(deps.db, ctx, params.id);
      return { ok: true };
    },
  }),
  route({
    method: 'get',
    path: `${base}/:id/runs`,
    tag: T,
    summary: 'Runs of an automation, newest first, with each action’s result or the error',
    roles: ADMINS,
    params: wsIdParam,
    query: pageQuery(200),
    response: pageSchema(runSchema),
    handler: ({ params, query, ctx, deps }) => listRuns(deps.db, ctx.workspaceId, params.id, query),
  }),
];
