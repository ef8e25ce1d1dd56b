import { ADMINS, MANAGERS, WRITERS } from '@vigil/kernel/auth';
import { pageQuery, pageSchema } from '@vigil/kernel/pagination';
import { toJson } from '@vigil/kernel/serialize';
import { z } from 'zod';
import { idParam, isoDate, nullableTs, okSchema, percentSchema, READ_SCOPE_TEXT, ts } from '../api-schemas';
import { route, withEffects } from '../deps';
import { PERCENT_DESCRIPTION } from '../percent';
import type { AssignmentRow, TrainingRow } from './assign';
import { BULK_MAX, bulkAssign } from './bulk';
import { assignmentComputed, type TrainingStats } from './rules';
import { APPLIES_TO_TYPES, ASSIGNMENT_STATUSES } from './schema';
import {
  changeAssignment,
  createAssignment,
  createTraining,
  deactivateTraining,
  listAssignments,
  listTrainings,
  readAssignment,
  updateTraining,
} from './service';

const trainingBody = z.strictObject({
  name: z.string().trim().min(1).max(300),
  description: z.string().max(10000).nullable().optional(),
  applies_to_type: z.enum(APPLIES_TO_TYPES).optional(),
  applies_to_ids: z.array(z.uuid()).max(1000).optional(),
  due_days_after_assignment: z.number().int().min(0).max(3650).nullable().optional(),
  recurring_months: z.number().int().min(1).max(120).nullable().optional(),
  fixed_due_date: isoDate.nullable().optional().describe('Full ISO-8601 timestamp'),
  learning_path_id: z.uuid().nullable().optional(),
  is_active: z.boolean().optional(),
});
const statsSchema = z.object({
  assigned: z.number().int(),
  in_progress: z.number().int(),
  completed: z.number().int(),
  overdue: z.number().int(),
  waived: z.number().int(),
  completion_rate: percentSchema.describe(
    `${PERCENT_DESCRIPTION}: non-waived assignments completed; 0 when there are none`,
  ),
});
const trainingSchema = z.object({
  id: z.uuid(),
  workspace_id: z.uuid(),
  name: z.string(),
  description: z.string().nullable(),
  applies_to_type: z.enum(APPLIES_TO_TYPES),
  applies_to_ids: z.array(z.uuid()),
  due_days_after_assignment: z.number().int().nullable(),
  recurring_months: z.number().int().nullable(),
  fixed_due_date: nullableTs,
  learning_path_id: z.uuid().nullable(),
  is_active: z.boolean(),
  created_by_id: z.uuid().nullable(),
  created_at: ts,
  updated_at: ts,
});
const assignmentSchema = z.object({
  id: z.uuid(),
  workspace_id: z.uuid(),
  mandatory_training_id: z.uuid(),
  developer_id: z.uuid(),
  cycle: z.number().int(),
  due_date: ts,
  status: z.enum(ASSIGNMENT_STATUSES),
  progress_percentage: z.number().int(),
  started_at: nullableTs,
  completed_at: nullableTs,
  acknowledged_at: nullableTs,
  waived_by_id: z.uuid().nullable(),
  waived_at: nullableTs,
  waiver_reason: z.string().nullable(),
  reminder_sent_at: nullableTs,
  current_escalation_level: z.string().nullable(),
  days_until_due: z.number().int().nullable(),
  is_overdue: z.boolean(),
  created_at: ts,
  updated_at: ts,
});

const trainingJson = (t: TrainingRow, extra: { stats?: TrainingStats; assigned?: number } = {}) => ({
  ...toJson(t),
  ...extra,
});
export const assignmentJson = (a: AssignmentRow, now = new Date()) => {
  const { ladder: _ladder, ...rest } = a;
  return { ...toJson(rest), ...assignmentComputed(a, now) };
};

/** People hooks get no Temporal handle: remember this process's one so they can start workflows. */

const T = 'Training';
export const trainingRoutes = [
  route({
    method: 'post',
    path: '/compliance/mandatory-training',
    tag: T,
    summary: 'Create a mandatory training (assigns it to every matching active member)',
    description:
      'The due date comes from fixed_due_date, else due_days_after_assignment (default 30 days). Members who later join a matching team or role, or are onboarded, are assigned too.',
    roles: ADMINS,
    body: trainingBody,
    response: trainingSchema.extend({ assigned: z.number().int() }),
    handler: async ({ body, ctx, deps }) => {
      const r = await withEffects(deps, () => createTraining(deps.db, ctx, body));
      return trainingJson(r.training, { assigned: r.assigned });
    },
  }),
  route({
    method: 'get',
    path: '/compliance/mandatory-training',
    tag: T,
    summary: 'List mandatory trainings with assignment stats',
    response: z.object({ data: z.array(trainingSchema.extend({ stats: statsSchema })) }),
    handler: async ({ ctx, deps }) => ({
      data: (await listTrainings(deps.db, ctx.workspaceId)).map((r) =>
        trainingJson(r.training, { stats: r.stats }),
      ),
    }),
  }),
  route({
    method: 'patch',
    path: '/compliance/mandatory-training/:id',
    tag: T,
    summary: 'Update a mandatory training (a new scope assigns newly matching members)',
    roles: ADMINS,
    params: idParam,
    body: trainingBody.partial(),
    response: trainingSchema.extend({ assigned: z.number().int() }),
    handler: async ({ params, body, ctx, deps }) => {
      const r = await withEffects(deps, () => updateTraining(deps.db, ctx, params.id, body));
      return trainingJson(r.training, { assigned: r.assigned });
    },
  }),
  route({
    method: 'delete',
    path: '/compliance/mandatory-training/:id',
    tag: T,
    summary: 'Deactivate a mandatory training',
    description:
      'Deactivates: no new assignments are made (including for members who join later). Open assignments keep their state, due dates and workflows.',
    roles: ADMINS,
    params: idParam,
    response: okSchema,
    handler: async ({ params, ctx, deps }) => {
      await deactivateTraining(deps.db, ctx, params.id);
      return { ok: true };
    },
  }),
  route({
    method: 'post',
    path: '/compliance/assignments',
    tag: T,
    summary: 'Assign a training to one member',
    roles: MANAGERS,
    body: z.strictObject({
      mandatory_training_id: z.uuid(),
      developer_id: z.uuid(),
      due_date: isoDate.optional().describe('Overrides the training’s due date rule (full ISO timestamp)'),
    }),
    response: assignmentSchema,
    handler: async ({ body, ctx, deps }) => {
      return assignmentJson(await withEffects(deps, () => createAssignment(deps.db, ctx, body)));
    },
  }),
  route({
    method: 'post',
    path: '/compliance/assignments/bulk',
    tag: T,
    summary: 'Assign a training to up to 10,000 members',
    description:
      'Every member is pre-validated (in this workspace, active, not already assigned). By default all or nothing: any rejection answers 422 with per-member reasons in `errors` and writes nothing. With partial: true, the valid members are assigned and the rest listed in `rejected`.',
    roles: MANAGERS,
    body: z.strictObject({
      mandatory_training_id: z.uuid(),
      developer_ids: z.array(z.uuid()).min(1).max(BULK_MAX),
      due_date: isoDate.optional(),
      partial: z.boolean().optional(),
    }),
    response: z.object({
      assigned: z.number().int(),
      assignment_ids: z.array(z.uuid()),
      rejected: z.array(z.object({ developer_id: z.string(), reason: z.string() })),
    }),
    handler: async ({ body, ctx, deps }) => {
      return withEffects(deps, () => bulkAssign(deps.db, ctx, body));
    },
  }),
  route({
    method: 'get',
    path: '/compliance/assignments',
    tag: T,
    summary: 'List training assignments (admins, approvers, auditors: all; others: own, managed and led)',
    description: READ_SCOPE_TEXT,
    query: pageQuery(500).extend({
      status: z.enum(ASSIGNMENT_STATUSES).optional(),
      developer_id: z.uuid().optional(),
      mandatory_training_id: z.uuid().optional(),
    }),
    response: pageSchema(assignmentSchema),
    handler: async ({ query, ctx, deps }) => {
      const page = await listAssignments(deps.db, ctx, query);
      const now = new Date();
      return { data: page.data.map((a) => assignmentJson(a, now)), next_cursor: page.next_cursor };
    },
  }),
  route({
    method: 'get',
    path: '/compliance/assignments/:id',
    tag: T,
    summary: 'Get a training assignment (404 when it is outside the caller’s read scope)',
    description: READ_SCOPE_TEXT,
    params: idParam,
    response: assignmentSchema,
    handler: async ({ params, ctx, deps }) => assignmentJson(await readAssignment(deps.db, ctx, params.id)),
  }),
  route({
    method: 'patch',
    path: '/compliance/assignments/:id',
    tag: T,
    summary: 'Update progress (0..100); a member only on their own assignment',
    roles: WRITERS,
    params: idParam,
    body: z.strictObject({ progress_percentage: z.number().int().min(0).max(100) }),
    response: assignmentSchema,
    handler: async ({ params, body, ctx, deps }) =>
      assignmentJson(
        await withEffects(deps, () => changeAssignment(deps.db, ctx, params.id, 'progress', body)),
      ),
  }),
  ...(
    [
      ['acknowledge', 'Acknowledge an assignment (records acknowledged_at; does not clear OVERDUE)'],
      ['start', 'Start an assignment (IN_PROGRESS)'],
      ['complete', 'Complete an assignment (terminal; stops reminders and escalation)'],
    ] as const
  ).map(([action, summary]) =>
    route({
      method: 'post',
      path: `/compliance/assignments/:id/${action}`,
      tag: T,
      summary,
      roles: WRITERS,
      status: 200,
      params: idParam,
      body: z.strictObject({}).optional(),
      response: assignmentSchema,
      handler: async ({ params, ctx, deps }) =>
        assignmentJson(await withEffects(deps, () => changeAssignment(deps.db, ctx, params.id, action))),
    }),
  ),
  route({
    method: 'post',
    path: '/compliance/assignments/:id/waive',
    tag: T,
    summary: 'Waive an assignment (manager or admin; reason required; terminal; grants no certification)',
    roles: MANAGERS,
    status: 200,
    params: idParam,
    body: z.strictObject({ reason: z.string().trim().min(1).max(2000) }),
    response: assignmentSchema,
    handler: async ({ params, body, ctx, deps }) =>
      assignmentJson(
        await withEffects(deps, () =>
          changeAssignment(deps.db, ctx, params.id, 'waive', { reason: body.reason }),
        ),
      ),
  }),
];
