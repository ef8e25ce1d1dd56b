// Tables of the reminders domain.
import { boolean, index, integer, jsonb, pgTable, real, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { createdAt, idColumn, tstz, updatedAt } from '../columns';
import type { LadderLevelConfig } from '../obligations/rules';
import type { RuleConfig } from './routing';
import { OPEN_INSTANCE } from './rules';

export const REMINDER_CATEGORIES = [
  'COMPLIANCE',
  'SECURITY',
  'AUDIT',
  'OPERATIONAL',
  'TRAINING',
  'REVIEW',
  'CUSTOM',
] as const;
export type ReminderCategory = (typeof REMINDER_CATEGORIES)[number];
export const REMINDER_PRIORITIES = ['LOW', 'MEDIUM', 'HIGH', 'CRITICAL'] as const;
export type ReminderPriority = (typeof REMINDER_PRIORITIES)[number];
export const REMINDER_STATUSES = ['ACTIVE', 'PAUSED', 'ARCHIVED'] as const;
export type ReminderStatus = (typeof REMINDER_STATUSES)[number];
export const INSTANCE_STATUSES = [
  'PENDING',
  'NOTIFIED',
  'ACKNOWLEDGED',
  'COMPLETED',
  'SKIPPED',
  'ESCALATED',
  'OVERDUE',
] as const;
export type InstanceStatus = (typeof INSTANCE_STATUSES)[number];
/** OPEN_INSTANCE (rules.ts) as a mutable list for inArray. */
export const OPEN_INSTANCE_STATUSES: InstanceStatus[] = [...OPEN_INSTANCE];
export const SUGGESTION_STATUSES = ['PENDING', 'ACCEPTED', 'REJECTED'] as const;

export interface NotificationConfig {
  channels?: string[];
  lead_time?: string;
  [key: string]: unknown;
}
export interface EvidenceLink {
  url?: string;
  document_id?: string;
  title?: string;
  added_at?: string;
}

export const reminders = pgTable(
  'reminders',
  {
    id: idColumn(),
    workspaceId: uuid('workspace_id').notNull(),
    title: text('title').notNull(),
    description: text('description'),
    category: text('category').$type<ReminderCategory>().notNull().default('COMPLIANCE'),
    priority: text('priority').$type<ReminderPriority>().notNull().default('MEDIUM'),
    status: text('status').$type<ReminderStatus>().notNull().default('ACTIVE'),
    frequency: text('frequency').notNull(),
    cronExpression: text('cron_expression'),
    timezone: text('timezone').notNull().default('UTC'),
    startDate: tstz('start_date').notNull(),
    endDate: tstz('end_date'),
    nextOccurrence: tstz('next_occurrence'),
    assignmentStrategy: text('assignment_strategy').notNull().default('FIXED'),
    defaultOwnerId: uuid('default_owner_id'),
    defaultTeamId: uuid('default_team_id'),
    domain: text('domain'),
    controlId: text('control_id'),
    tags: jsonb('tags').$type<string[]>().notNull().default([]),
    escalationConfig: jsonb('escalation_config').$type<LadderLevelConfig[] | null>(),
    notificationConfig: jsonb('notification_config').$type<NotificationConfig>().notNull().default({}),
    requiresAcknowledgment: boolean('requires_acknowledgment').notNull().default(false),
    requiresEvidence: boolean('requires_evidence').notNull().default(false),
    evidenceFreshnessDays: integer('evidence_freshness_days'),
    sourceType: text('source_type'),
    sourceId: text('source_id'),
    sourceQuestionId: text('source_question_id'),
    createdById: uuid('created_by_id'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index('reminders_ws_status_idx').on(t.workspaceId, t.status)],
);

export const reminderInstances = pgTable(
  'reminder_instances',
  {
    id: idColumn(),
    workspaceId: uuid('workspace_id').notNull(),
    reminderId: uuid('reminder_id')
      .notNull()
      .references(() => reminders.id, { onDelete: 'cascade' }),
    dueDate: tstz('due_date').notNull(),
    status: text('status').$type<InstanceStatus>().notNull().default('PENDING'),
    currentEscalationLevel: text('current_escalation_level'),
    assignedOwnerId: uuid('assigned_owner_id'),
    assignedTeamId: uuid('assigned_team_id'),
    routedVia: text('routed_via'),
    ladder: jsonb('ladder').$type<LadderLevelConfig[]>().notNull().default([]),
    ladderSource: text('ladder_source').notNull().default('DEFAULT'),
    notificationCount: integer('notification_count').notNull().default(0),
    lastNotifiedAt: tstz('last_notified_at'),
    acknowledgedAt: tstz('acknowledged_at'),
    acknowledgedById: uuid('acknowledged_by_id'),
    acknowledgedNotes: text('acknowledged_notes'),
    completedAt: tstz('completed_at'),
    completedById: uuid('completed_by_id'),
    completedNotes: text('completed_notes'),
    skippedAt: tstz('skipped_at'),
    skippedById: uuid('skipped_by_id'),
    skipReason: text('skip_reason'),
    evidenceLinks: jsonb('evidence_links').$type<EvidenceLink[]>().notNull().default([]),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex('reminder_instances_reminder_due_uq').on(t.reminderId, t.dueDate),
    index('reminder_instances_ws_status_due_idx').on(t.workspaceId, t.status, t.dueDate),
    index('reminder_instances_owner_idx').on(t.assignedOwnerId),
  ],
);

export const controlOwners = pgTable(
  'control_owners',
  {
    id: idColumn(),
    workspaceId: uuid('workspace_id').notNull(),
    controlId: text('control_id').notNull(),
    domain: text('domain'),
    primaryOwnerId: uuid('primary_owner_id'),
    backupOwnerId: uuid('backup_owner_id'),
    teamId: uuid('team_id'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index('control_owners_ws_control_idx').on(t.workspaceId, t.controlId)],
);

export const domainTeamMappings = pgTable(
  'domain_team_mappings',
  {
    id: idColumn(),
    workspaceId: uuid('workspace_id').notNull(),
    domain: text('domain').notNull(),
    teamId: uuid('team_id').notNull(),
    priority: integer('priority').notNull().default(100),
    createdAt: createdAt(),
  },
  (t) => [index('domain_team_mappings_ws_idx').on(t.workspaceId, t.domain)],
);

export const assignmentRules = pgTable(
  'assignment_rules',
  {
    id: idColumn(),
    workspaceId: uuid('workspace_id').notNull(),
    name: text('name').notNull(),
    description: text('description'),
    priority: integer('priority').notNull().default(100),
    isActive: boolean('is_active').notNull().default(true),
    ruleConfig: jsonb('rule_config').$type<RuleConfig>().notNull(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index('assignment_rules_ws_idx').on(t.workspaceId, t.priority)],
);

export const reminderSuggestions = pgTable(
  'reminder_suggestions',
  {
    id: idColumn(),
    workspaceId: uuid('workspace_id').notNull(),
    questionnaireResponseId: uuid('questionnaire_response_id'),
    questionId: text('question_id'),
    suggestedTitle: text('suggested_title').notNull(),
    suggestedDescription: text('suggested_description'),
    suggestedCategory: text('suggested_category').notNull().default('COMPLIANCE'),
    suggestedFrequency: text('suggested_frequency').notNull().default('YEARLY'),
    suggestedDomain: text('suggested_domain'),
    confidenceScore: real('confidence_score'),
    status: text('status').notNull().default('PENDING'),
    createdReminderId: uuid('created_reminder_id'),
    rejectionReason: text('rejection_reason'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index('reminder_suggestions_ws_status_idx').on(t.workspaceId, t.status)],
);
