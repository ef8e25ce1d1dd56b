import { ACCESS_ROLES, ADMINS, requireSelfOr, WRITERS } from '@vigil/kernel/auth';
import { pageQuery, pageSchema } from '@vigil/kernel/pagination';
import { toJson } from '@vigil/kernel/serialize';
import { z } from 'zod';
import { futureIsoDate, nullableTs, okSchema, qbool, ts, wsIdParam, wsParam } from '../api-schemas';
import { type AppDeps, route, withEffects } from '../deps';
import {
  createToken,
  getSettings,
  listTokens,
  revokeToken,
  type SettingsRow,
  updateSettings,
} from './access';
import { clock, offboardPreviewSchema, settingsBody, settingsSchema, tokenSchema } from './api-schemas';
import { previewOffboarding } from './offboarding';
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
    method: 'get',
    path: '/workspaces/:ws/members/:id/offboarding-preview',
    tag: T,
    summary: 'What offboarding the member would do now (changes nothing)',
    description:
      'The tokens it would revoke, the open items each domain would cancel or reassign (to whom), and what keeps naming the member (reports, team lead, workspace contacts) for review.',
    roles: ADMINS,
    params: wsIdParam,
    response: offboardPreviewSchema,
    handler: async ({ params, ctx, deps }) => previewOffboarding(deps.db, ctx.workspaceId, params.id),
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
    method: 'get',
    path: '/workspaces/:ws/tokens',
    tag: T,
    summary: 'List API tokens (prefix and dates, never the secret)',
    description: 'Admins and auditors see every member’s tokens (member_id filters); others only their own.',
    params: wsParam,
    query: pageQuery().extend({
      member_id: z.uuid().optional(),
      include_revoked: qbool.optional(),
    }),
    response: pageSchema(tokenSchema),
    handler: async ({ query, ctx, deps }) => {
      const page = await listTokens(deps.db, ctx, query);
      return {
        data: page.data.map(({ tokenHash: _hash, ...t }) => toJson(t)),
        next_cursor: page.next_cursor,
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
