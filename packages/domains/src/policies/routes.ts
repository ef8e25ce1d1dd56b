import { ADMINS, WRITERS } from '@vigil/kernel/auth';
import { Forbidden } from '@vigil/kernel/errors';
import { toJson } from '@vigil/kernel/serialize';
import { z } from 'zod';
import { freeJson, nullableTs, ts } from '../api-schemas';
import { route, withEffects } from '../deps';
import { assignPoliciesToRole, rolePoliciesOf } from './roles';
import { ackRoutes } from './routes-acks';
import { POLICY_VERSION_STATUSES } from './rules';
import {
  approvePolicy,
  createPolicy,
  diffPolicy,
  getPolicy,
  listPolicies,
  listVersions,
  type PolicyVersionRow,
  rejectPolicy,
  updatePolicy,
} from './service';
import {
  getPrompt,
  listTemplates,
  listUpgradePrompts,
  promptVersionNumbers,
  resolvePrompt,
  templateVersionContent,
  templateVersions,
} from './template-service';

const T = 'Policies';
const content = z.string().min(1).max(200_000);
const config = z.record(z.string(), z.unknown());
const configInput = freeJson();
const policyParam = z.object({ policy_id: z.uuid() });
const roleParam = z.object({ role_id: z.uuid() });
const idParam = z.object({ id: z.uuid() });

const versionSchema = z.object({
  id: z.uuid(),
  policy_id: z.uuid(),
  number: z.number().int(),
  content: z.string(),
  config,
  content_sha256: z.string(),
  change_summary: z.string().nullable(),
  created_by_id: z.uuid().nullable(),
  status: z.enum(POLICY_VERSION_STATUSES),
  template_version_id: z.uuid().nullable(),
  submitted_at: nullableTs,
  decided_by_id: z.uuid().nullable(),
  decided_at: nullableTs,
  rejection_reason: z.string().nullable(),
  created_at: ts,
});
const policySchema = z.object({
  id: z.uuid(),
  name: z.string(),
  template_id: z.uuid().nullable(),
  applies_to_all: z.boolean(),
  active_version_id: z.uuid().nullable(),
  status: z.enum(POLICY_VERSION_STATUSES).nullable(),
  active_version: versionSchema.nullable(),
  latest_version: versionSchema.nullable(),
  role_ids: z.array(z.uuid()),
  created_at: ts,
});
const looseRow = z.record(z.string(), z.unknown());
const diffSchema = z.object({
  from_version: z.number().int(),
  to_version: z.number().int(),
  added: z.number().int().describe('Lines added'),
  removed: z.number().int().describe('Lines removed'),
  hunks: z.array(z.object({ op: z.enum(['add', 'remove', 'same']), lines: z.array(z.string()) })),
});
const promptSchema = z.object({
  id: z.uuid(),
  workspace_id: z.uuid(),
  policy_id: z.uuid(),
  from_template_version_id: z.uuid().nullable(),
  to_template_version_id: z.uuid(),
  from_version: z.number().int().nullable().describe('Template version the policy was made from'),
  to_version: z.number().int().nullable().describe('The newer template version it may adopt'),
  status: z.enum(['PENDING', 'ACCEPTED', 'DISMISSED']),
  resolved_by_id: z.uuid().nullable(),
  resolved_at: nullableTs,
  created_at: ts,
});
type PromptRow = Awaited<ReturnType<typeof getPrompt>>;
const promptJson = (p: PromptRow, numbers: Map<string, number>) => ({
  ...toJson(p),
  from_version: p.fromTemplateVersionId ? (numbers.get(p.fromTemplateVersionId) ?? null) : null,
  to_version: numbers.get(p.toTemplateVersionId) ?? null,
});

const version = (v: PolicyVersionRow | null) => {
  if (!v) return null;
  const { workspaceId: _w, approvalReminderAt: _a, ...rest } = v;
  return toJson(rest);
};

export const policyRoutes = [
  ...ackRoutes,
  route({
    method: 'get',
    path: '/api/policy-templates',
    tag: T,
    summary: 'SOC 2 policy templates shipped with Vigil (global), with their latest version',
    response: z.object({ data: z.array(looseRow) }),
    handler: async ({ deps }) => ({
      data: (await listTemplates(deps.db)).map(({ template, latest }) => ({
        ...toJson(template),
        latest_version: latest ? toJson(latest) : null,
      })),
    }),
  }),
  route({
    method: 'get',
    path: '/api/policy-templates/:id/versions',
    tag: T,
    summary: 'Versions of a policy template',
    params: idParam,
    response: z.object({ data: z.array(looseRow) }),
    handler: async ({ params, deps }) => ({ data: (await templateVersions(deps.db, params.id)).map(toJson) }),
  }),
  route({
    method: 'post',
    path: '/api/policies',
    tag: T,
    summary: 'Create a policy from a template (template_id or template_key) or a custom one (name, content)',
    roles: ADMINS,
    body: z.strictObject({
      template_id: z.uuid().optional(),
      template_key: z.string().min(1).max(100).optional(),
      name: z.string().trim().min(1).max(200).optional(),
      content: content.optional(),
      config: configInput.optional(),
      applies_to_all: z.boolean().optional(),
      change_summary: z.string().max(2000).optional(),
    }),
    response: z.object({ policy: looseRow, version: versionSchema }),
    handler: async ({ body, ctx, deps }) => {
      const r = await createPolicy(deps.db, ctx, body);
      return { policy: toJson(r.policy), version: version(r.version) };
    },
  }),
  route({
    method: 'get',
    path: '/api/policies',
    tag: T,
    summary: 'Policies with their current status and active version',
    response: z.object({ data: z.array(policySchema) }),
    handler: async ({ ctx, deps }) => ({
      data: (await listPolicies(deps.db, ctx.workspaceId)).map(({ policy, latest, active, roleIds }) => ({
        id: policy.id,
        name: policy.name,
        template_id: policy.templateId,
        applies_to_all: policy.appliesToAll,
        active_version_id: policy.activeVersionId,
        status: latest?.status ?? null,
        active_version: version(active),
        latest_version: version(latest),
        role_ids: roleIds,
        created_at: policy.createdAt.toISOString(),
      })),
    }),
  }),
  route({
    method: 'put',
    path: '/api/policies/:policy_id',
    tag: T,
    summary: 'Draft a new version (approved versions are never edited); submit: true requests approval',
    roles: ADMINS,
    params: policyParam,
    body: z.strictObject({
      name: z.string().trim().min(1).max(200).optional(),
      content: content.optional(),
      config: configInput.optional(),
      change_summary: z.string().max(2000).optional(),
      applies_to_all: z.boolean().optional(),
      submit: z.boolean().optional(),
    }),
    status: 200,
    response: versionSchema,
    handler: async ({ params, body, ctx, deps }) =>
      version(await updatePolicy(deps.db, ctx, params.policy_id, body)),
  }),
  route({
    method: 'get',
    path: '/api/policies/:policy_id/versions',
    tag: T,
    summary: 'Version history of a policy',
    params: policyParam,
    response: z.object({ data: z.array(versionSchema) }),
    handler: async ({ params, ctx, deps }) => ({
      data: (await listVersions(deps.db, ctx.workspaceId, params.policy_id)).map(version),
    }),
  }),
  route({
    method: 'get',
    path: '/api/policies/:policy_id/diff',
    tag: T,
    summary: 'Line diff between two version numbers',
    description:
      '`from` and `to` are version numbers (GET /api/policies/{policy_id}/versions); an unknown one: 404. `hunks` covers the whole text in order: `same` lines, lines `remove`d from `from` and lines `add`ed in `to`.',
    params: policyParam,
    query: z.strictObject({
      from: z.coerce.number().int().min(1).describe('The older version number'),
      to: z.coerce.number().int().min(1).describe('The newer version number'),
    }),
    response: diffSchema,
    handler: async ({ params, query, ctx, deps }) =>
      diffPolicy(deps.db, ctx.workspaceId, params.policy_id, query.from, query.to),
  }),
  route({
    method: 'post',
    path: '/api/policies/:policy_id/approve',
    tag: T,
    summary: 'Approve a version (designated approver only); it becomes active and re-acknowledgements go out',
    description:
      'Only settings.policy_approver_id or members with access role APPROVER (admins are not approvers unless designated). Default version: the latest DRAFT or PENDING_APPROVAL.',
    roles: WRITERS,
    status: 200,
    params: policyParam,
    body: z
      .strictObject({
        version_id: z.uuid().optional(),
        approver_id: z.uuid().optional().describe('Must be the caller when given'),
      })
      .optional(),
    response: z.object({ version: versionSchema, event: looseRow.nullable(), requested: z.number().int() }),
    handler: async ({ params, body, ctx, deps }) => {
      if (body?.approver_id && body.approver_id !== ctx.memberId)
        throw new Forbidden('approver_id must be the caller: approvals are recorded as the caller');
      const r = await withEffects(deps, (fx) =>
        approvePolicy(deps, ctx, fx, params.policy_id, body?.version_id),
      );
      return { version: version(r.version), event: r.event ? toJson(r.event) : null, requested: r.requested };
    },
  }),
  route({
    method: 'post',
    path: '/api/policies/:policy_id/reject',
    tag: T,
    summary: 'Reject a PENDING_APPROVAL version with a reason (designated approver only)',
    roles: WRITERS,
    status: 200,
    params: policyParam,
    body: z.strictObject({ version_id: z.uuid().optional(), reason: z.string().trim().min(1).max(2000) }),
    response: versionSchema,
    handler: async ({ params, body, ctx, deps }) =>
      version(await withEffects(deps, (fx) => rejectPolicy(deps, ctx, fx, params.policy_id, body))),
  }),
  route({
    method: 'post',
    path: '/api/roles/:role_id/assign_policies',
    tag: T,
    summary: 'Assign policies to an org role (mode REPLACE, the default, or ADD)',
    roles: ADMINS,
    status: 200,
    params: roleParam,
    body: z.strictObject({
      policy_ids: z.array(z.uuid()).max(500),
      mode: z.enum(['REPLACE', 'ADD']).optional(),
    }),
    response: z.object({ data: z.array(looseRow) }),
    handler: async ({ params, body, ctx, deps }) => ({
      data: (await assignPoliciesToRole(deps.db, ctx, params.role_id, body)).map(toJson),
    }),
  }),
  route({
    method: 'get',
    path: '/api/roles/:role_id/policies',
    tag: T,
    summary: 'Policies assigned to an org role',
    params: roleParam,
    response: z.object({ data: z.array(looseRow) }),
    handler: async ({ params, ctx, deps }) => ({
      data: (await rolePoliciesOf(deps.db, ctx.workspaceId, params.role_id)).map(toJson),
    }),
  }),
  route({
    method: 'get',
    path: '/api/policy-upgrade-prompts',
    tag: T,
    summary: 'Prompts to adopt a newer template version',
    query: z.strictObject({ status: z.enum(['PENDING', 'ACCEPTED', 'DISMISSED']).optional() }),
    response: z.object({ data: z.array(promptSchema) }),
    handler: async ({ query, ctx, deps }) => {
      const rows = await listUpgradePrompts(deps.db, ctx.workspaceId, query.status);
      const numbers = await promptVersionNumbers(deps.db, rows);
      return { data: rows.map((p) => promptJson(p, numbers)) };
    },
  }),
  route({
    method: 'post',
    path: '/api/policy-upgrade-prompts/:id/accept',
    tag: T,
    summary: 'Accept: a new DRAFT version with the new template text',
    roles: ADMINS,
    status: 200,
    params: idParam,
    response: z.object({ prompt: promptSchema, version: versionSchema }),
    handler: async ({ params, ctx, deps }) => {
      const prompt = await getPrompt(deps.db, ctx.workspaceId, params.id);
      await getPolicy(deps.db, ctx.workspaceId, prompt.policyId);
      const tv = await templateVersionContent(deps.db, prompt.toTemplateVersionId);
      const resolved = await resolvePrompt(deps.db, ctx, params.id, 'ACCEPTED');
      const v = await updatePolicy(
        deps.db,
        ctx,
        prompt.policyId,
        { content: tv.content, change_summary: `Adopt template version ${tv.version}` },
        tv.id,
      );
      const numbers = await promptVersionNumbers(deps.db, [resolved]);
      return { prompt: promptJson(resolved, numbers), version: version(v) };
    },
  }),
  route({
    method: 'post',
    path: '/api/policy-upgrade-prompts/:id/dismiss',
    tag: T,
    summary: 'Dismiss a template upgrade prompt',
    roles: ADMINS,
    status: 200,
    params: idParam,
    response: promptSchema,
    handler: async ({ params, ctx, deps }) => {
      await getPrompt(deps.db, ctx.workspaceId, params.id);
      const resolved = await resolvePrompt(deps.db, ctx, params.id, 'DISMISSED');
      return promptJson(resolved, await promptVersionNumbers(deps.db, [resolved]));
    },
  }),
];
