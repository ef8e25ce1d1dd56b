import { MANAGERS, WRITERS } from '@vigil/kernel/auth';
import { pageQuery, pageSchema } from '@vigil/kernel/pagination';
import { toJson } from '@vigil/kernel/serialize';
import { z } from 'zod';
import { isoDate, okSchema, percentSchema, qbool, READ_SCOPE_TEXT, wsIdParam, wsParam } from '../api-schemas';
import { route, withEffects } from '../deps';
import { PERCENT_DESCRIPTION } from '../percent';
import {
  evidenceLinkSchema,
  instanceSchema,
  instanceWithReminderSchema,
  reminderBody,
  reminderPatch,
  reminderSchema,
} from './api-schemas';
import { configRoutes } from './config-routes';
import {
  acknowledgeInstance,
  type BulkResult,
  bulk,
  completeInstance,
  reassignInstance,
  skipInstance,
  validateAssignee,
} from './instances';
import { previewRoute } from './preview';
import { FREQUENCIES, isValidTimezone } from './rules';
import { INSTANCE_STATUSES, REMINDER_CATEGORIES, REMINDER_PRIORITIES, REMINDER_STATUSES } from './schema';
import {
  createReminder,
  deleteReminder,
  getReminder,
  listInstances,
  listReminders,
  recentInstances,
  updateReminder,
} from './service';
import { calendar, dashboardStats, myReminders, viewerTimezone } from './views';

const T = 'Reminders';
/** Who reads which reminder instances (people/visibility.ts). */
const INSTANCE_SCOPE = `${READ_SCOPE_TEXT} An instance assigned to a team is also read by that team’s members and lead.`;
const base = '/workspaces/:ws/reminders';
const notes = z.string().max(5000).nullable().optional();
const bulkIds = z.array(z.uuid()).min(1).max(1000);
const bulkResultSchema = z.object({
  results: z.array(
    z.object({ id: z.uuid(), ok: z.boolean(), status: z.number().optional(), error: z.string().optional() }),
  ),
});
const withReminder = (r: {
  instance: Parameters<typeof toJson>[0];
  title: string;
  category: string;
  priority: string;
  requires_evidence: boolean;
}) => ({
  ...toJson(r.instance),
  title: r.title,
  category: r.category,
  priority: r.priority,
  requires_evidence: r.requires_evidence,
});
const summarize = (results: BulkResult[]) => ({
  results,
  succeeded: results.filter((r) => r.ok).length,
  failed: results.filter((r) => !r.ok).length,
});

const instanceRoutes = [
  route({
    method: 'post',
    path: `${base}/instances/:id/acknowledge`,
    tag: T,
    summary: 'Acknowledge an instance (the owner saw it; a past-due instance still counts as overdue)',
    roles: WRITERS,
    status: 200,
    params: wsIdParam,
    body: z.strictObject({ notes }).optional(),
    response: instanceSchema,
    handler: async ({ params, body, ctx, deps }) =>
      toJson(await withEffects(deps, (fx) => acknowledgeInstance(deps, ctx, fx, params.id, body ?? {}))),
  }),
  route({
    method: 'post',
    path: `${base}/instances/:id/complete`,
    tag: T,
    summary: 'Complete an instance (requires_evidence: at least one evidence link, else 422)',
    roles: WRITERS,
    status: 200,
    params: wsIdParam,
    body: z
      .strictObject({ notes, evidence_links: z.array(evidenceLinkSchema).max(50).optional() })
      .optional(),
    response: instanceSchema,
    handler: async ({ params, body, ctx, deps }) =>
      toJson(await withEffects(deps, (fx) => completeInstance(deps, ctx, fx, params.id, body ?? {}))),
  }),
  route({
    method: 'post',
    path: `${base}/instances/:id/skip`,
    tag: T,
    summary: 'Skip an instance with a reason',
    roles: WRITERS,
    status: 200,
    params: wsIdParam,
    body: z.strictObject({ reason: z.string().trim().min(1).max(2000) }),
    response: instanceSchema,
    handler: async ({ params, body, ctx, deps }) =>
      toJson(await withEffects(deps, (fx) => skipInstance(deps, ctx, fx, params.id, body.reason))),
  }),
  route({
    method: 'post',
    path: `${base}/instances/:id/reassign`,
    tag: T,
    summary: 'Reassign an instance (audited; the new owner is notified)',
    roles: MANAGERS,
    status: 200,
    params: wsIdParam,
    body: z.strictObject({
      owner_id: z.uuid().nullable().optional(),
      team_id: z.uuid().nullable().optional(),
      reason: z.string().max(2000).nullable().optional(),
    }),
    response: instanceSchema,
    handler: async ({ params, body, ctx, deps }) =>
      toJson(await withEffects(deps, (fx) => reassignInstance(deps, ctx, fx, params.id, body))),
  }),
  route({
    method: 'post',
    path: `${base}/bulk/assign`,
    tag: T,
    summary: 'Assign up to 1,000 instances to an owner and/or team; one result per id',
    roles: MANAGERS,
    status: 200,
    params: wsParam,
    body: z.strictObject({
      instance_ids: bulkIds,
      owner_id: z.uuid().nullable().optional(),
      team_id: z.uuid().nullable().optional(),
    }),
    response: bulkResultSchema,
    handler: async ({ body, ctx, deps }) => {
      const input = { owner_id: body.owner_id, team_id: body.team_id };
      await validateAssignee(deps.db, ctx.workspaceId, input);
      return summarize(
        await withEffects(deps, (fx) =>
          bulk(body.instance_ids, (id) => reassignInstance(deps, ctx, fx, id, input, true)),
        ),
      );
    },
  }),
  route({
    method: 'post',
    path: `${base}/bulk/complete`,
    tag: T,
    summary: 'Complete up to 1,000 instances with notes; one result per id',
    roles: WRITERS,
    status: 200,
    params: wsParam,
    body: z.strictObject({
      instance_ids: bulkIds,
      notes,
      evidence_links: z.array(evidenceLinkSchema).max(50).optional(),
    }),
    response: bulkResultSchema,
    handler: async ({ body, ctx, deps }) =>
      summarize(
        await withEffects(deps, (fx) =>
          bulk(body.instance_ids, (id) =>
            completeInstance(deps, ctx, fx, id, { notes: body.notes, evidence_links: body.evidence_links }),
          ),
        ),
      ),
  }),
];

/** An IANA time zone for "today" and "this week". */
const timezoneParam = z
  .string()
  .max(64)
  .refine(isValidTimezone, { message: 'Must be an IANA time zone such as Europe/Paris' });

const tally = z.record(z.string(), z.number().int());
const dashboardSchema = z.object({
  reminders: z.object({ total: z.number().int(), by_status: tally, by_category: tally, by_priority: tally }),
  instances: z.object({
    total: z.number().int(),
    by_status: tally,
    overdue: z.number().int(),
    due_today: z.number().int(),
    due_this_week: z.number().int(),
    completed: z.number().int(),
    completion_rate: percentSchema
      .nullable()
      .describe(
        `${PERCENT_DESCRIPTION}: completed over non-skipped instances that are due or completed (as in the overview report); null when there are none`,
      ),
  }),
});

const viewRoutes = [
  route({
    method: 'get',
    path: `${base}/dashboard/stats`,
    tag: T,
    summary:
      'Counts by status, category and priority; overdue; due today and this week (in ?timezone=, else the caller’s); completion rate',
    description: `Reminder definitions are counted over the workspace; instances over those the caller reads. ${INSTANCE_SCOPE}`,
    params: wsParam,
    query: z.object({ timezone: timezoneParam.optional() }),
    response: dashboardSchema,
    handler: async ({ query, ctx, deps }) =>
      dashboardStats(deps.db, ctx, await viewerTimezone(deps.db, ctx, query.timezone)),
  }),
  route({
    method: 'get',
    path: `${base}/my-reminders`,
    tag: T,
    summary: 'The caller’s open instances (assigned_to_me, my_team, overdue, due_today, due_this_week)',
    params: wsParam,
    query: z.object({
      assigned_to_me: qbool.optional(),
      my_team: qbool.optional(),
      overdue: qbool.optional(),
      due_today: qbool.optional(),
      due_this_week: qbool.optional(),
      status: z.enum(INSTANCE_STATUSES).optional(),
      timezone: timezoneParam.optional(),
      limit: z.coerce.number().int().min(1).max(500).default(100),
    }),
    response: z.object({ data: z.array(instanceWithReminderSchema) }),
    handler: async ({ query, ctx, deps }) => ({
      data: (await myReminders(deps.db, ctx, query, await viewerTimezone(deps.db, ctx, query.timezone))).map(
        withReminder,
      ),
    }),
  }),
  route({
    method: 'get',
    path: `${base}/calendar`,
    tag: T,
    summary: 'Instances due in [from, to) and projected occurrences of active reminders (at most 366 days)',
    description: `Instances: those the caller reads. Projected occurrences (no owner yet) are listed for every active reminder. ${INSTANCE_SCOPE}`,
    params: wsParam,
    query: z.object({ from: isoDate, to: isoDate }),
    response: z.object({
      instances: z.array(instanceWithReminderSchema),
      projected: z.array(
        z.object({ reminder_id: z.uuid(), title: z.string(), due_date: z.string(), priority: z.string() }),
      ),
      truncated: z.boolean(),
    }),
    handler: async ({ query, ctx, deps }) => {
      const out = await calendar(deps.db, ctx, new Date(query.from), new Date(query.to));
      return { ...out, instances: out.instances.map(withReminder) };
    },
  }),
];

const crudRoutes = [
  route({
    method: 'get',
    path: base,
    tag: T,
    summary:
      'List reminders (filters: status, category, priority, frequency, domain, control, owner, team, search)',
    params: wsParam,
    query: pageQuery().extend({
      status: z.enum(REMINDER_STATUSES).optional(),
      category: z.enum(REMINDER_CATEGORIES).optional(),
      priority: z.enum(REMINDER_PRIORITIES).optional(),
      frequency: z.enum(FREQUENCIES).optional(),
      domain: z.string().max(100).optional(),
      control_id: z.string().max(100).optional(),
      owner_id: z.uuid().optional(),
      team_id: z.uuid().optional(),
      search: z.string().max(200).optional(),
    }),
    response: pageSchema(reminderSchema),
    handler: async ({ query, ctx, deps }) => {
      const page = await listReminders(deps.db, ctx.workspaceId, query);
      return { data: page.data.map(toJson), next_cursor: page.next_cursor };
    },
  }),
  route({
    method: 'post',
    path: base,
    tag: T,
    summary: 'Create a reminder (its planner workflow reminder/<id> starts after commit)',
    roles: MANAGERS,
    params: wsParam,
    body: reminderBody,
    response: reminderSchema,
    handler: async ({ body, ctx, deps }) =>
      toJson(await withEffects(deps, () => createReminder(deps.db, ctx, body))),
  }),
  route({
    method: 'get',
    path: `${base}/:id`,
    tag: T,
    summary: 'Get a reminder with its most recent instances',
    description: `The definition is readable by every member; instances only those the caller reads. ${INSTANCE_SCOPE}`,
    params: wsIdParam,
    response: reminderSchema.extend({ instances: z.array(instanceSchema) }),
    handler: async ({ params, ctx, deps }) => {
      const r = await getReminder(deps.db, ctx.workspaceId, params.id);
      return { ...toJson(r), instances: (await recentInstances(deps.db, ctx, r.id)).map(toJson) };
    },
  }),
  route({
    method: 'patch',
    path: `${base}/:id`,
    tag: T,
    summary: 'Update a reminder (a schedule change re-plans its workflow; PAUSED stops new instances)',
    roles: MANAGERS,
    params: wsIdParam,
    body: reminderPatch,
    response: reminderSchema,
    handler: async ({ params, body, ctx, deps }) =>
      toJson(await withEffects(deps, () => updateReminder(deps.db, ctx, params.id, body))),
  }),
  route({
    method: 'delete',
    path: `${base}/:id`,
    tag: T,
    summary: 'Archive a reminder, or ?hard=true delete one without completed instances (else 409)',
    roles: MANAGERS,
    params: wsIdParam,
    query: z.object({ hard: qbool.optional() }),
    response: okSchema,
    handler: async ({ params, query, ctx, deps }) => {
      await withEffects(deps, () => deleteReminder(deps.db, ctx, params.id, query.hard ?? false));
      return { ok: true };
    },
  }),
  route({
    method: 'get',
    path: `${base}/:id/instances`,
    tag: T,
    summary: 'A reminder’s instances (filters: status, owner, team, due date window)',
    description: INSTANCE_SCOPE,
    params: wsIdParam,
    query: pageQuery().extend({
      status: z.enum(INSTANCE_STATUSES).optional(),
      owner_id: z.uuid().optional(),
      team_id: z.uuid().optional(),
      from: isoDate.optional(),
      to: isoDate.optional(),
    }),
    response: pageSchema(instanceSchema),
    handler: async ({ params, query, ctx, deps }) => {
      const page = await listInstances(deps.db, ctx, params.id, query);
      return { data: page.data.map(toJson), next_cursor: page.next_cursor };
    },
  }),
];

export const reminderRoutes = [
  ...viewRoutes,
  previewRoute,
  ...configRoutes,
  ...instanceRoutes,
  ...crudRoutes,
];
