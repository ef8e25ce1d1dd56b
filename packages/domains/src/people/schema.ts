import { sql } from 'drizzle-orm';
import {
  boolean,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { createdAt, idColumn, tstz, updatedAt } from '../columns';

export const workspaces = pgTable('workspaces', {
  id: idColumn(),
  name: text('name').notNull(),
  createdAt: createdAt(),
});

export interface NotificationPreferences {
  channels?: Array<'email' | 'slack'>;
  quiet_hours?: { start: string; end: string } | null;
  skip_weekends?: boolean;
  /** false: the member gets no daily digest (default: they do). */
  daily_digest?: boolean;
}

export const members = pgTable(
  'members',
  {
    id: idColumn(),
    workspaceId: uuid('workspace_id')
      .notNull()
      .references(() => workspaces.id),
    name: text('name').notNull(),
    email: text('email').notNull(),
    timezone: text('timezone').notNull().default('UTC'),
    managerId: uuid('manager_id'),
    title: text('title'),
    accessRole: text('access_role').notNull().default('MEMBER'),
    status: text('status').notNull().default('ACTIVE'),
    slackUserId: text('slack_user_id'),
    notificationPreferences: jsonb('notification_preferences')
      .$type<NotificationPreferences>()
      .notNull()
      .default({}),
    offboardedAt: tstz('offboarded_at'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex('members_workspace_email_uq').on(t.workspaceId, sql`lower(${t.email})`),
    index('members_workspace_manager_idx').on(t.workspaceId, t.managerId),
  ],
);

export interface OnCallRotation {
  member_ids: string[];
  period_days: number;
  starts_at: string;
}

export const teams = pgTable(
  'teams',
  {
    id: idColumn(),
    workspaceId: uuid('workspace_id')
      .notNull()
      .references(() => workspaces.id),
    name: text('name').notNull(),
    description: text('description'),
    leadId: uuid('lead_id').references(() => members.id),
    onCall: jsonb('on_call').$type<OnCallRotation | null>(),
    roundRobinCursor: integer('round_robin_cursor').notNull().default(-1),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex('teams_workspace_name_uq').on(t.workspaceId, t.name)],
);

export const teamMembers = pgTable(
  'team_members',
  {
    workspaceId: uuid('workspace_id').notNull(),
    teamId: uuid('team_id')
      .notNull()
      .references(() => teams.id, { onDelete: 'cascade' }),
    memberId: uuid('member_id')
      .notNull()
      .references(() => members.id),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.teamId, t.memberId] }), index('team_members_member_idx').on(t.memberId)],
);

/** The spec's organisational `role` (Engineering, HR, ...): what policies and trainings apply to. */
export const orgRoles = pgTable(
  'org_roles',
  {
    id: idColumn(),
    workspaceId: uuid('workspace_id')
      .notNull()
      .references(() => workspaces.id),
    name: text('name').notNull(),
    description: text('description'),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('org_roles_workspace_name_uq').on(t.workspaceId, t.name)],
);

export const memberRoles = pgTable(
  'member_roles',
  {
    workspaceId: uuid('workspace_id').notNull(),
    roleId: uuid('role_id')
      .notNull()
      .references(() => orgRoles.id, { onDelete: 'cascade' }),
    memberId: uuid('member_id')
      .notNull()
      .references(() => members.id),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.roleId, t.memberId] }), index('member_roles_member_idx').on(t.memberId)],
);

export const apiTokens = pgTable(
  'api_tokens',
  {
    id: idColumn(),
    workspaceId: uuid('workspace_id')
      .notNull()
      .references(() => workspaces.id),
    memberId: uuid('member_id')
      .notNull()
      .references(() => members.id),
    name: text('name').notNull(),
    tokenHash: text('token_hash').notNull(),
    prefix: text('prefix').notNull(),
    expiresAt: tstz('expires_at'),
    revokedAt: tstz('revoked_at'),
    lastUsedAt: tstz('last_used_at'),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('api_tokens_hash_uq').on(t.tokenHash)],
);

export const workspaceSettings = pgTable('workspace_settings', {
  workspaceId: uuid('workspace_id')
    .primaryKey()
    .references(() => workspaces.id),
  directorContactId: uuid('director_contact_id').references(() => members.id),
  vpExecContactId: uuid('vp_exec_contact_id').references(() => members.id),
  cxoContactId: uuid('cxo_contact_id').references(() => members.id),
  policyApproverId: uuid('policy_approver_id').references(() => members.id),
  ackDeadlineDays: integer('ack_deadline_days').notNull().default(30),
  reminderOffsets: jsonb('reminder_offsets').$type<string[]>().notNull().default(['P7D', 'P1D']),
  reminderIntervalHours: integer('reminder_interval_hours').notNull().default(24),
  certExpiringDays: integer('cert_expiring_days').notNull().default(30),
  digestHourUtc: integer('digest_hour_utc').notNull().default(8),
  quietHours: jsonb('quiet_hours').$type<{ start: string; end: string } | null>(),
  skipWeekends: boolean('skip_weekends').notNull().default(false),
  defaultLadder: jsonb('default_ladder').$type<unknown[] | null>(),
  periodicAck: jsonb('periodic_ack').$type<{ month: number; day: number } | null>(),
  /** check-bulk-compliance thresholds (compliance/rules.ts); null: the defaults. */
  complianceThresholds: jsonb('compliance_thresholds').$type<Record<string, unknown> | null>(),
  updatedAt: updatedAt(),
});

/**
 * Idempotency-Key records (IETF httpapi idempotency-key draft): the first response to a
 * POST with a key, replayed for 24 h to the same caller with the same body.
 */
export const idempotencyKeys = pgTable(
  'idempotency_keys',
  {
    workspaceId: uuid('workspace_id').notNull(),
    /** The token (or member) that sent the request. */
    caller: text('caller').notNull(),
    key: text('key').notNull(),
    method: text('method').notNull(),
    path: text('path').notNull(),
    requestHash: text('request_hash').notNull(),
    status: text('status').$type<'IN_PROGRESS' | 'DONE'>().notNull().default('IN_PROGRESS'),
    responseStatus: integer('response_status'),
    /** The JSON text sent, replayed byte for byte. */
    responseBody: text('response_body'),
    /** An IN_PROGRESS record past this time belongs to a request that died; a retry may take it over. */
    lockedUntil: tstz('locked_until').notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ name: 'idempotency_keys_pk', columns: [t.workspaceId, t.caller, t.key] }),
    index('idempotency_keys_created_idx').on(t.createdAt),
  ],
);
