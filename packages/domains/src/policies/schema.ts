// Tables of the policies domain.
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
import type { LadderLevelConfig } from '../obligations/rules';
import type { AckEventType, AckRequestStatus, PolicyVersionStatus } from './rules';

/** Global (not per workspace): the shipped SOC 2 templates. */
export const policyTemplates = pgTable('policy_templates', {
  id: idColumn(),
  key: text('key').notNull().unique('policy_templates_key_uq'),
  name: text('name').notNull(),
  createdAt: createdAt(),
});

export const policyTemplateVersions = pgTable(
  'policy_template_versions',
  {
    id: idColumn(),
    templateId: uuid('template_id').notNull(),
    version: integer('version').notNull(),
    content: text('content').notNull(),
    config: jsonb('config').$type<Record<string, unknown>>().notNull().default({}),
    contentSha256: text('content_sha256').notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('policy_template_versions_tpl_version_uq').on(t.templateId, t.version),
    uniqueIndex('policy_template_versions_tpl_sha_uq').on(t.templateId, t.contentSha256),
  ],
);

export const policies = pgTable(
  'policies',
  {
    id: idColumn(),
    workspaceId: uuid('workspace_id').notNull(),
    name: text('name').notNull(),
    templateId: uuid('template_id'),
    appliesToAll: boolean('applies_to_all').notNull().default(false),
    activeVersionId: uuid('active_version_id'),
    createdById: uuid('created_by_id'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index('policies_ws_idx').on(t.workspaceId)],
);

export const policyVersions = pgTable(
  'policy_versions',
  {
    id: idColumn(),
    workspaceId: uuid('workspace_id').notNull(),
    policyId: uuid('policy_id').notNull(),
    number: integer('number').notNull(),
    content: text('content').notNull(),
    config: jsonb('config').$type<Record<string, unknown>>().notNull().default({}),
    contentSha256: text('content_sha256').notNull(),
    changeSummary: text('change_summary'),
    createdById: uuid('created_by_id'),
    status: text('status').$type<PolicyVersionStatus>().notNull().default('DRAFT'),
    templateVersionId: uuid('template_version_id'),
    submittedAt: tstz('submitted_at'),
    approvalReminderAt: tstz('approval_reminder_at'),
    decidedById: uuid('decided_by_id'),
    decidedAt: tstz('decided_at'),
    rejectionReason: text('rejection_reason'),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('policy_versions_policy_number_uq').on(t.policyId, t.number),
    index('policy_versions_ws_status_idx').on(t.workspaceId, t.status),
  ],
);

export const rolePolicies = pgTable(
  'role_policies',
  {
    workspaceId: uuid('workspace_id').notNull(),
    roleId: uuid('role_id').notNull(),
    policyId: uuid('policy_id').notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.roleId, t.policyId] }),
    index('role_policies_ws_policy_idx').on(t.workspaceId, t.policyId),
  ],
);

export interface AckScope {
  all?: boolean;
  role_ids?: string[];
  member_ids?: string[];
  policy_ids?: string[];
}

export const acknowledgementEvents = pgTable(
  'acknowledgement_events',
  {
    id: idColumn(),
    workspaceId: uuid('workspace_id').notNull(),
    type: text('type').$type<AckEventType>().notNull(),
    triggeredById: uuid('triggered_by_id'),
    triggeredAt: tstz('triggered_at').notNull().defaultNow(),
    scope: jsonb('scope').$type<AckScope>().notNull().default({}),
    /** Set for scheduled PERIODIC events (e.g. "2026"): one per workspace and year. */
    periodKey: text('period_key'),
  },
  (t) => [
    index('acknowledgement_events_ws_idx').on(t.workspaceId, t.triggeredAt),
    uniqueIndex('acknowledgement_events_period_uq').on(t.workspaceId, t.periodKey),
  ],
);

export const ACK_OBLIGATION_STATUSES = ['PENDING', 'OVERDUE', 'COMPLETED', 'CANCELLED'] as const;
export type AckObligationStatus = (typeof ACK_OBLIGATION_STATUSES)[number];

/** One obligation per (event, member): all of the member's requests of that event. */
export const acknowledgementObligations = pgTable(
  'acknowledgement_obligations',
  {
    id: idColumn(),
    workspaceId: uuid('workspace_id').notNull(),
    eventId: uuid('event_id').notNull(),
    memberId: uuid('member_id').notNull(),
    dueAt: tstz('due_at').notNull(),
    status: text('status').$type<AckObligationStatus>().notNull().default('PENDING'),
    ladder: jsonb('ladder').$type<LadderLevelConfig[]>().notNull().default([]),
    currentEscalationLevel: text('current_escalation_level'),
    reminderSentAt: tstz('reminder_sent_at'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex('acknowledgement_obligations_event_member_uq').on(t.eventId, t.memberId),
    index('acknowledgement_obligations_ws_status_idx').on(t.workspaceId, t.status),
    index('acknowledgement_obligations_member_idx').on(t.memberId),
  ],
);

export const acknowledgementRequests = pgTable(
  'acknowledgement_requests',
  {
    id: idColumn(),
    workspaceId: uuid('workspace_id').notNull(),
    /** Null for an acknowledgement recorded without a request (unsolicited, or by an admin). */
    obligationId: uuid('obligation_id'),
    eventId: uuid('event_id'),
    memberId: uuid('member_id').notNull(),
    policyId: uuid('policy_id').notNull(),
    policyVersionId: uuid('policy_version_id').notNull(),
    dueAt: tstz('due_at').notNull(),
    status: text('status').$type<AckRequestStatus>().notNull().default('PENDING'),
    acknowledgedAt: tstz('acknowledged_at'),
    ipAddress: text('ip_address'),
    userAgent: text('user_agent'),
    contentSha256: text('content_sha256'),
    acknowledgementType: text('acknowledgement_type').$type<AckEventType>(),
    recordedById: uuid('recorded_by_id'),
    createdAt: createdAt(),
  },
  (t) => [
    index('acknowledgement_requests_obligation_idx').on(t.obligationId),
    index('acknowledgement_requests_member_policy_idx').on(t.workspaceId, t.memberId, t.policyId),
  ],
);

/** One-time links in reminder emails: only the SHA-256 of the token is stored. */
export const acknowledgementLinks = pgTable(
  'acknowledgement_links',
  {
    id: idColumn(),
    workspaceId: uuid('workspace_id').notNull(),
    obligationId: uuid('obligation_id').notNull(),
    memberId: uuid('member_id').notNull(),
    tokenHash: text('token_hash').notNull(),
    expiresAt: tstz('expires_at').notNull(),
    usedAt: tstz('used_at'),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('acknowledgement_links_token_uq').on(t.tokenHash)],
);

export const UPGRADE_PROMPT_STATUSES = ['PENDING', 'ACCEPTED', 'DISMISSED'] as const;

export const policyUpgradePrompts = pgTable(
  'policy_upgrade_prompts',
  {
    id: idColumn(),
    workspaceId: uuid('workspace_id').notNull(),
    policyId: uuid('policy_id').notNull(),
    fromTemplateVersionId: uuid('from_template_version_id'),
    toTemplateVersionId: uuid('to_template_version_id').notNull(),
    status: text('status').$type<(typeof UPGRADE_PROMPT_STATUSES)[number]>().notNull().default('PENDING'),
    resolvedById: uuid('resolved_by_id'),
    resolvedAt: tstz('resolved_at'),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('policy_upgrade_prompts_policy_to_uq').on(t.policyId, t.toTemplateVersionId)],
);
