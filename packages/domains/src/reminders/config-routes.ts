import { ADMINS, MANAGERS } from '@vigil/kernel/auth';
import { pageQuery, pageSchema } from '@vigil/kernel/pagination';
import { toJson } from '@vigil/kernel/serialize';
import { z } from 'zod';
import { okSchema, wsIdParam, wsParam } from '../api-schemas';
import { route, withEffects } from '../deps';
import {
  controlOwnerBody,
  controlOwnerSchema,
  domainMappingBody,
  domainMappingSchema,
  reminderBody,
  reminderSchema,
  ruleBody,
  ruleSchema,
  suggestionSchema,
} from './api-schemas';
import {
  acceptSuggestion,
  createControlOwner,
  createDomainMapping,
  createRule,
  deleteRow,
  listControlOwners,
  listDomainMappings,
  listRules,
  listSuggestions,
  rejectSuggestion,
  updateControlOwner,
  updateRule,
} from './config';
import { assignmentRules, controlOwners, domainTeamMappings, SUGGESTION_STATUSES } from './schema';

const T = 'Reminders';
const base = '/workspaces/:ws/reminders';

const deleteRoute = (
  segment: string,
  table: typeof controlOwners | typeof domainTeamMappings | typeof assignmentRules,
  what: string,
  targetType: string,
) =>
  route({
    method: 'delete',
    path: `${base}/${segment}/:id`,
    tag: T,
    summary: `Delete a ${what.toLowerCase()}`,
    roles: ADMINS,
    params: wsIdParam,
    response: okSchema,
    handler: async ({ params, ctx, deps }) => {
      await deleteRow(deps.db, ctx, table, what, targetType, params.id);
      return { ok: true };
    },
  });

export const configRoutes = [
  route({
    method: 'get',
    path: `${base}/control-owners`,
    tag: T,
    summary: 'Control owners: (control_id, domain) → primary, backup, team',
    params: wsParam,
    response: z.object({ data: z.array(controlOwnerSchema) }),
    handler: async ({ ctx, deps }) => ({
      data: (await listControlOwners(deps.db, ctx.workspaceId)).map(toJson),
    }),
  }),
  route({
    method: 'post',
    path: `${base}/control-owners`,
    tag: T,
    summary: 'Create a control owner',
    roles: ADMINS,
    params: wsParam,
    body: controlOwnerBody,
    response: controlOwnerSchema,
    handler: async ({ body, ctx, deps }) => toJson(await createControlOwner(deps.db, ctx, body)),
  }),
  route({
    method: 'patch',
    path: `${base}/control-owners/:id`,
    tag: T,
    summary: 'Update a control owner',
    roles: ADMINS,
    params: wsIdParam,
    body: controlOwnerBody.partial(),
    response: controlOwnerSchema,
    handler: async ({ params, body, ctx, deps }) =>
      toJson(await updateControlOwner(deps.db, ctx, params.id, body)),
  }),
  deleteRoute('control-owners', controlOwners, 'Control owner', 'control_owner'),
  route({
    method: 'get',
    path: `${base}/domain-team-mappings`,
    tag: T,
    summary: 'Domain → team mappings (fallback when no control owner matches), by priority',
    params: wsParam,
    response: z.object({ data: z.array(domainMappingSchema) }),
    handler: async ({ ctx, deps }) => ({
      data: (await listDomainMappings(deps.db, ctx.workspaceId)).map(toJson),
    }),
  }),
  route({
    method: 'post',
    path: `${base}/domain-team-mappings`,
    tag: T,
    summary: 'Create a domain → team mapping',
    roles: ADMINS,
    params: wsParam,
    body: domainMappingBody,
    response: domainMappingSchema,
    handler: async ({ body, ctx, deps }) => toJson(await createDomainMapping(deps.db, ctx, body)),
  }),
  deleteRoute('domain-team-mappings', domainTeamMappings, 'Domain team mapping', 'domain_team_mapping'),
  route({
    method: 'get',
    path: `${base}/assignment-rules`,
    tag: T,
    summary: 'Assignment rules (CUSTOM_RULE strategy), by priority',
    params: wsParam,
    response: z.object({ data: z.array(ruleSchema) }),
    handler: async ({ ctx, deps }) => ({ data: (await listRules(deps.db, ctx.workspaceId)).map(toJson) }),
  }),
  route({
    method: 'post',
    path: `${base}/assignment-rules`,
    tag: T,
    summary: 'Create an assignment rule',
    roles: ADMINS,
    params: wsParam,
    body: ruleBody,
    response: ruleSchema,
    handler: async ({ body, ctx, deps }) => toJson(await createRule(deps.db, ctx, body)),
  }),
  route({
    method: 'patch',
    path: `${base}/assignment-rules/:id`,
    tag: T,
    summary: 'Update an assignment rule',
    roles: ADMINS,
    params: wsIdParam,
    body: ruleBody.partial(),
    response: ruleSchema,
    handler: async ({ params, body, ctx, deps }) => toJson(await updateRule(deps.db, ctx, params.id, body)),
  }),
  deleteRoute('assignment-rules', assignmentRules, 'Assignment rule', 'assignment_rule'),
  route({
    method: 'get',
    path: `${base}/suggestions`,
    tag: T,
    summary: 'Reminder suggestions (from questionnaires)',
    params: wsParam,
    description: 'Filters: status, questionnaire_id (the suggestions one questionnaire’s analysis made).',
    query: pageQuery().extend({
      status: z.enum(SUGGESTION_STATUSES).optional(),
      questionnaire_id: z.uuid().optional(),
    }),
    response: pageSchema(suggestionSchema),
    handler: async ({ query, ctx, deps }) => {
      const page = await listSuggestions(deps.db, ctx.workspaceId, query);
      return { data: page.data.map(toJson), next_cursor: page.next_cursor };
    },
  }),
  route({
    method: 'post',
    path: `${base}/suggestions/:id/accept`,
    tag: T,
    summary: 'Accept a suggestion: creates the reminder (fields may be overridden) and links it',
    roles: MANAGERS,
    status: 200,
    params: wsIdParam,
    body: reminderBody.partial().optional(),
    response: z.object({ suggestion: suggestionSchema, reminder: reminderSchema }),
    handler: async ({ params, body, ctx, deps }) => {
      const out = await withEffects(deps, () => acceptSuggestion(deps.db, ctx, params.id, body ?? {}));
      return { suggestion: toJson(out.suggestion), reminder: toJson(out.reminder) };
    },
  }),
  route({
    method: 'post',
    path: `${base}/suggestions/:id/reject`,
    tag: T,
    summary: 'Reject a suggestion with a reason',
    roles: MANAGERS,
    status: 200,
    params: wsIdParam,
    body: z.strictObject({ reason: z.string().trim().min(1).max(2000) }),
    response: suggestionSchema,
    handler: async ({ params, body, ctx, deps }) =>
      toJson(await rejectSuggestion(deps.db, ctx, params.id, body.reason)),
  }),
];
