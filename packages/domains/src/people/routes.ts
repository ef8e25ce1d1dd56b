import { ACCESS_ROLES, ADMINS, requireSelfOr, WRITERS } from '@vigil/kernel/auth';
import { pageQuery, pageSchema } from '@vigil/kernel/pagination';
import { toJson } from '@vigil/kernel/serialize';
import { z } from 'zod';
import { futureIsoDate, isoOffset, nullableTs, okSchema, ts, wsIdParam, wsParam } from '../api-schemas';
import type { COMPLIANCE_CATEGORIES } from '../compliance/rules';
import { type AppDeps, route, withEffects } from '../deps';
import { defaultLadderSchema } from '../escalation/api-schemas';
import { createToken, getSettings, revokeToken, type SettingsRow, updateSettings } from './access';
import {
  createMember,
  getMember,
  listMembers,
  type MemberRow,
  memberLinks,
  offboardMember,
  updateMember,
} from './service';
import { createRole, createTeam, deleteTeam, getTeam, listRoles, listTeams, updateTeam } from './teams';

const clock = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'Expected HH:MM');
const prefs = z.strictObject({
  channels: z.array(z.enum(['email', 'slack'])).optional(),
  quiet_hours: z.strictObject({ start: clock, end: clock }).nullable().optional(),
  skip_weekends: z.boolean().optional(),
  daily_digest: z.boolean().optional().describe('false: no daily digest of open items (default true)'),
});
const memberBody = z.strictObject({
  name: z.string().trim().min(1).max(200),
  email: z.email().max(320),
  timezone: z.string().max(64).optional(),
  manager_id: z.uuid().nullable().optional(),
  title: z.string().max(200).nullable().optional(),
  access_role: z.enum(ACCESS_ROLES).optional(),
  slack_user_id: z.string().max(64).nullable().optional(),
  notification_preferences: prefs.optional(),
  team_ids: z.array(z.uuid()).max(100).optional(),
  role_ids: z.array(z.uuid()).max(100).optional(),
});
const memberPatch = memberBody.partial().extend({ status: z.enum(['ACTIVE', 'INACTIVE']).optional() });
export const memberSchema = z.object({
  id: z.uuid(),
  workspace_id: z.uuid(),
  name: z.string(),
  email: z.string(),
  timezone: z.string(),
  manager_id: z.uuid().nullable(),
  title: z.string().nullable(),
  access_role: z.enum(ACCESS_ROLES),
  status: z.enum(['ACTIVE', 'INACTIVE']),
  slack_user_id: z.string().nullable(),
  notification_preferences: prefs,
  team_ids: z.array(z.uuid()),
  role_ids: z.array(z.uuid()),
  offboarded_at: nullableTs,
  created_at: ts,
  updated_at: ts,
});

async function presentMembers(deps: AppDeps, rows: MemberRow[]) {
  const links = await memberLinks(
    deps.db,
    rows.map((r) => r.id),
  );
  return rows.map((r) => ({
    ...toJson(r),
    team_ids: links.get(r.id)?.teamIds ?? [],
    role_ids: links.get(r.id)?.roleIds ?? [],
  }));
}

const onCall = z.strictObject({
  member_ids: z.array(z.uuid()).min(1).max(100),
  period_days: z.number().int().min(1).max(365),
  starts_at: z.iso.datetime({ offset: true }),
});
const teamBody = z.strictObject({
  name: z.string().trim().min(1).max(200),
  description: z.string().max(2000).nullable().optional(),
  lead_id: z.uuid().nullable().optional(),
  member_ids: z.array(z.uuid()).max(1000).optional(),
  on_call: onCall.nullable().optional(),
});
const teamSchema = z.object({
  id: z.uuid(),
  workspace_id: z.uuid(),
  name: z.string(),
  description: z.string().nullable(),
  lead_id: z.uuid().nullable(),
  member_ids: z.array(z.uuid()),
  on_call: onCall.nullable(),
  created_at: ts,
  updated_at: ts,
});
const presentTeam = (
  t: Parameters<typeof toJson>[0] & { roundRobinCursor?: number },
  memberIds: string[],
) => {
  const { round_robin_cursor: _cursor, ...rest } = toJson(t) as Record<string, unknown>;
  return { ...rest, member_ids: memberIds };
};

const roleSchema = z.object({
  id: z.uuid(),
  workspace_id: z.uuid(),
  name: z.string(),
  description: z.string().nullable(),
  created_at: ts,
});

const threshold = {
  at_risk: z.number().int().min(1).max(1_000_000),
  non_compliant: z.number().int().min(1).max(1_000_000),
};
const partialThreshold = z.strictObject(threshold).partial().optional();
const complianceThresholdsSchema = z
  .strictObject({
    ...threshold,
    categories: z
      .strictObject({
        overdue_trainings: partialThreshold,
        missing_required_certifications: partialThreshold,
        overdue_acknowledgements: partialThreshold,
        overdue_controls: partialThreshold,
      } satisfies Record<(typeof COMPLIANCE_CATEGORIES)[number], unknown>)
      .optional(),
  })
  .refine((t) => t.non_compliant >= t.at_risk, {
    message: 'non_compliant must be at least at_risk',
    path: ['non_compliant'],
  })
  .describe(
    'check-bulk-compliance: a category (overdue_trainings, missing_required_certifications, overdue_acknowledgements, overdue_controls) with at least at_risk items makes the workspace AT_RISK, with at least non_compliant NON_COMPLIANT; categories override per category. Default {at_risk: 1, non_compliant: 5}.',
  );

const settingsBody = z.strictObject({
  director_contact_id: z.uuid().nullable().optional(),
  vp_exec_contact_id: z.uuid().nullable().optional(),
  cxo_contact_id: z.uuid().nullable().optional(),
  policy_approver_id: z.uuid().nullable().optional(),
  ack_deadline_days: z.number().int().min(1).max(365).optional(),
  reminder_offsets: z.array(isoOffset).max(10).optional(),
  reminder_interval_hours: z
    .number()
    .int()
    .min(1)
    .max(24 * 30)
    .optional(),
  cert_expiring_days: z.number().int().min(1).max(365).optional(),
  digest_hour_utc: z.number().int().min(0).max(23).optional(),
  quiet_hours: z.strictObject({ start: clock, end: clock }).nullable().optional(),
  skip_weekends: z.boolean().optional(),
  default_ladder: defaultLadderSchema.nullable().optional(),
  periodic_ack: z
    .strictObject({ month: z.number().int().min(1).max(12), day: z.number().int().min(1).max(28) })
    .nullable()
    .optional(),
  compliance_thresholds: complianceThresholdsSchema.nullable().optional(),
});
const settingsSchema = settingsBody.required().extend({ workspace_id: z.uuid(), updated_at: ts });
const presentSettings = (s: SettingsRow) => toJson(s);

const T = 'People';

export const peopleRoutes = [
  route({
    method: 'post',
    path: '/workspaces/:ws/members',
    tag: T,
    summary: 'Create a member (the spec’s developer or employee)',
    roles: ADMINS,
    params: wsParam,
    body: memberBody,
    response: memberSchema,
    handler: async ({ body, ctx, deps }) => {
      const row = await withEffects(deps, (fx) => createMember(deps.db, ctx, fx, body));
      return (await presentMembers(deps, [row]))[0];
    },
  }),
  route({
    method: 'get',
    path: '/workspaces/:ws/members',
    tag: T,
    summary: 'List members',
    params: wsParam,
    query: pageQuery().extend({
      status: z.enum(['ACTIVE', 'INACTIVE']).optional(),
      team_id: z.uuid().optional(),
      role_id: z.uuid().optional(),
      q: z.string().max(200).optional(),
    }),
    response: pageSchema(memberSchema),
    handler: async ({ query, ctx, deps }) => {
      const page = await listMembers(deps.db, ctx.workspaceId, query);
      return { data: await presentMembers(deps, page.data), next_cursor: page.next_cursor };
    },
  }),
  route({
    method: 'get',
    path: '/workspaces/:ws/members/:id',
    tag: T,
    summary: 'Get a member',
    params: wsIdParam,
    response: memberSchema,
    handler: async ({ params, ctx, deps }) =>
      (await presentMembers(deps, [await getMember(deps.db, ctx.workspaceId, params.id)]))[0],
  }),
  route({
    method: 'patch',
    path: '/workspaces/:ws/members/:id',
    tag: T,
    summary: 'Update a member',
    description:
      'Admins change anything; a member may change their own timezone, notification preferences and Slack id.',
    roles: WRITERS,
    params: wsIdParam,
    body: memberPatch,
    response: memberSchema,
    handler: async ({ params, body, ctx, deps }) => {
      const row = await withEffects(deps, (fx) => updateMember(deps.db, ctx, fx, params.id, body));
      return (await presentMembers(deps, [row]))[0];
    },
  }),
  route({
    method: 'post',
    path: '/workspaces/:ws/members/:id/offboard',
    tag: T,
    summary: 'Offboard a member',
    description:
      'Deactivates the member, revokes their tokens, cancels their open acknowledgement requests and reassigns their open reminder instances and control ownership to backups.',
    roles: ADMINS,
    status: 200,
    params: wsIdParam,
    body: z.strictObject({ reason: z.string().max(2000).optional() }).optional(),
    response: memberSchema,
    handler: async ({ params, body, ctx, deps }) => {
      const row = await withEffects(deps, (fx) => offboardMember(deps.db, ctx, fx, params.id, body?.reason));
      return (await presentMembers(deps, [row]))[0];
    },
  }),
  route({
    method: 'post',
    path: '/workspaces/:ws/teams',
    tag: T,
    summary: 'Create a team',
    roles: ADMINS,
    params: wsParam,
    body: teamBody,
    response: teamSchema,
    handler: async ({ body, ctx, deps }) => {
      const row = await withEffects(deps, (fx) => createTeam(deps.db, ctx, fx, body));
      return presentTeam(row, body.member_ids ?? []);
    },
  }),
  route({
    method: 'get',
    path: '/workspaces/:ws/teams',
    tag: T,
    summary: 'List teams with their members',
    params: wsParam,
    response: z.object({ data: z.array(teamSchema) }),
    handler: async ({ ctx, deps }) => ({
      data: (await listTeams(deps.db, ctx.workspaceId)).map(({ memberIds, ...t }) =>
        presentTeam(t, memberIds),
      ),
    }),
  }),
  route({
    method: 'patch',
    path: '/workspaces/:ws/teams/:id',
    tag: T,
    summary: 'Update a team (member_ids replaces the list)',
    roles: ADMINS,
    params: wsIdParam,
    body: teamBody.partial(),
    response: teamSchema,
    handler: async ({ params, body, ctx, deps }) => {
      const row = await withEffects(deps, (fx) => updateTeam(deps.db, ctx, fx, params.id, body));
      const all = await listTeams(deps.db, ctx.workspaceId);
      return presentTeam(row, all.find((t) => t.id === params.id)?.memberIds ?? []);
    },
  }),
  route({
    method: 'delete',
    path: '/workspaces/:ws/teams/:id',
    tag: T,
    summary: 'Delete a team',
    roles: ADMINS,
    params: wsIdParam,
    response: okSchema,
    handler: async ({ params, ctx, deps }) => {
      await getTeam(deps.db, ctx.workspaceId, params.id);
      await withEffects(deps, (fx) => deleteTeam(deps.db, ctx, fx, params.id));
      return { ok: true };
    },
  }),
  route({
    method: 'post',
    path: '/workspaces/:ws/tokens',
    tag: T,
    summary: 'Issue an API token (the secret is shown once)',
    description: 'Admins issue tokens for any member; others only for themselves.',
    roles: WRITERS,
    params: wsParam,
    body: z.strictObject({
      member_id: z.uuid().optional(),
      name: z.string().trim().min(1).max(100),
      expires_at: futureIsoDate.optional(),
    }),
    response: z.object({
      id: z.uuid(),
      member_id: z.uuid(),
      name: z.string(),
      prefix: z.string(),
      token: z.string(),
      expires_at: nullableTs,
    }),
    handler: async ({ body, ctx, deps }) => {
      if (body.member_id) requireSelfOr(ctx, body.member_id);
      const { row, secret } = await createToken(deps.db, ctx, {
        ...body,
        expires_at: body.expires_at ? new Date(body.expires_at) : null,
      });
      return {
        id: row.id,
        member_id: row.memberId,
        name: row.name,
        prefix: row.prefix,
        token: secret,
        expires_at: row.expiresAt?.toISOString() ?? null,
      };
    },
  }),
  route({
    method: 'delete',
    path: '/workspaces/:ws/tokens/:id',
    tag: T,
    summary: 'Revoke an API token',
    roles: WRITERS,
    params: wsIdParam,
    response: okSchema,
    handler: async ({ params, ctx, deps }) => {
      await revokeToken(deps.db, ctx, params.id);
      return { ok: true };
    },
  }),
  route({
    method: 'get',
    path: '/api/roles',
    tag: T,
    summary: 'List organisational roles (Engineering, HR, ...)',
    response: z.object({ data: z.array(roleSchema) }),
    handler: async ({ ctx, deps }) => ({ data: (await listRoles(deps.db, ctx.workspaceId)).map(toJson) }),
  }),
  route({
    method: 'post',
    path: '/api/roles',
    tag: T,
    summary: 'Create an organisational role',
    roles: ADMINS,
    body: z.strictObject({
      name: z.string().trim().min(1).max(100),
      description: z.string().max(2000).nullable().optional(),
    }),
    response: roleSchema,
    handler: async ({ body, ctx, deps }) => toJson(await createRole(deps.db, ctx, body)),
  }),
  route({
    method: 'get',
    path: '/workspaces/:ws/settings',
    tag: T,
    summary: 'Workspace settings',
    params: wsParam,
    response: settingsSchema,
    handler: async ({ ctx, deps }) => presentSettings(await getSettings(deps.db, ctx.workspaceId)),
  }),
  route({
    method: 'patch',
    path: '/workspaces/:ws/settings',
    tag: T,
    summary: 'Update workspace settings',
    description:
      'Escalation contacts (director, VP/exec, CXO), the policy approver, acknowledgement deadline, reminder offsets and cadence, digest hour, quiet hours.',
    roles: ADMINS,
    params: wsParam,
    body: settingsBody,
    response: settingsSchema,
    handler: async ({ body, ctx, deps }) => {
      await getSettings(deps.db, ctx.workspaceId);
      return presentSettings(await updateSettings(deps.db, ctx, body));
    },
  }),
];
