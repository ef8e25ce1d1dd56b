import { z } from 'zod';
import { isoDate, isoOffset, nullableTs, ts } from '../api-schemas';
import { ladderLevelSchema, ladderSchema } from '../escalation/api-schemas';
import { LEVELS } from '../obligations/rules';
import { standardCronProblem } from './cron';
import { ruleConfigSchema, STRATEGIES } from './routing';
import { FREQUENCIES } from './rules';
import {
  INSTANCE_STATUSES,
  REMINDER_CATEGORIES,
  REMINDER_PRIORITIES,
  REMINDER_STATUSES,
  SUGGESTION_STATUSES,
} from './schema';

/** A standard five-field cron expression (minute hour day-of-month month day-of-week). */
const cronExpression = z
  .string()
  .trim()
  .min(1)
  .max(200)
  .superRefine((v, ctx) => {
    const problem = standardCronProblem(v);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });

export const notificationConfigSchema = z.strictObject({
  channels: z
    .array(z.enum(['email', 'slack', 'web_push', 'log']))
    .max(4)
    .optional(),
  lead_time: isoOffset.optional(),
  intervals: z.array(isoOffset).max(10).optional(),
});

export const reminderBody = z.strictObject({
  title: z.string().trim().min(1).max(300),
  description: z.string().max(10000).nullable().optional(),
  category: z.enum(REMINDER_CATEGORIES).optional(),
  priority: z.enum(REMINDER_PRIORITIES).optional(),
  status: z.enum(['ACTIVE', 'PAUSED']).optional(),
  frequency: z.enum(FREQUENCIES),
  cron_expression: cronExpression.nullable().optional(),
  timezone: z.string().min(1).max(64).optional(),
  start_date: isoDate,
  end_date: isoDate.nullable().optional(),
  assignment_strategy: z.enum(STRATEGIES).optional(),
  default_owner_id: z.uuid().nullable().optional(),
  default_team_id: z.uuid().nullable().optional(),
  domain: z.string().trim().min(1).max(100).nullable().optional(),
  control_id: z.string().trim().min(1).max(100).nullable().optional(),
  tags: z.array(z.string().trim().min(1).max(64)).max(50).optional(),
  escalation_config: ladderSchema.nullable().optional(),
  notification_config: notificationConfigSchema.optional(),
  requires_acknowledgment: z.boolean().optional(),
  requires_evidence: z.boolean().optional(),
  evidence_freshness_days: z.number().int().min(1).max(3650).nullable().optional(),
  source_type: z.string().max(64).nullable().optional(),
  source_id: z.string().max(100).nullable().optional(),
  source_question_id: z.string().max(100).nullable().optional(),
});
export const reminderPatch = reminderBody.partial().extend({ status: z.enum(REMINDER_STATUSES).optional() });

export const reminderSchema = z.object({
  id: z.uuid(),
  workspace_id: z.uuid(),
  title: z.string(),
  description: z.string().nullable(),
  category: z.enum(REMINDER_CATEGORIES),
  priority: z.enum(REMINDER_PRIORITIES),
  status: z.enum(REMINDER_STATUSES),
  frequency: z.enum(FREQUENCIES),
  cron_expression: z.string().nullable(),
  timezone: z.string(),
  start_date: ts,
  end_date: nullableTs,
  next_occurrence: nullableTs,
  assignment_strategy: z.enum(STRATEGIES),
  default_owner_id: z.uuid().nullable(),
  default_team_id: z.uuid().nullable(),
  domain: z.string().nullable(),
  control_id: z.string().nullable(),
  tags: z.array(z.string()),
  escalation_config: z.array(ladderLevelSchema).nullable(),
  notification_config: z.record(z.string(), z.unknown()),
  requires_acknowledgment: z.boolean(),
  requires_evidence: z.boolean(),
  evidence_freshness_days: z.number().int().nullable(),
  source_type: z.string().nullable(),
  source_id: z.string().nullable(),
  source_question_id: z.string().nullable(),
  created_by_id: z.uuid().nullable(),
  created_at: ts,
  updated_at: ts,
});

export const evidenceLinkSchema = z
  .strictObject({
    url: z.url().max(2000).optional(),
    document_id: z.uuid().optional(),
    title: z.string().max(300).optional(),
  })
  .refine((e) => e.url !== undefined || e.document_id !== undefined, {
    message: 'An evidence link needs url or document_id',
  });

export const instanceSchema = z.object({
  id: z.uuid(),
  workspace_id: z.uuid(),
  reminder_id: z.uuid(),
  due_date: ts,
  status: z.enum(INSTANCE_STATUSES),
  current_escalation_level: z.enum(LEVELS).nullable(),
  assigned_owner_id: z.uuid().nullable(),
  assigned_team_id: z.uuid().nullable(),
  routed_via: z.string().nullable(),
  ladder: z.array(ladderLevelSchema),
  ladder_source: z.string(),
  notification_count: z.number().int(),
  last_notified_at: nullableTs,
  acknowledged_at: nullableTs,
  acknowledged_by_id: z.uuid().nullable(),
  acknowledged_notes: z.string().nullable(),
  completed_at: nullableTs,
  completed_by_id: z.uuid().nullable(),
  completed_notes: z.string().nullable(),
  skipped_at: nullableTs,
  skipped_by_id: z.uuid().nullable(),
  skip_reason: z.string().nullable(),
  evidence_links: z.array(z.record(z.string(), z.unknown())),
  created_at: ts,
  updated_at: ts,
});

export const instanceWithReminderSchema = instanceSchema.extend({
  title: z.string(),
  category: z.enum(REMINDER_CATEGORIES),
  priority: z.enum(REMINDER_PRIORITIES),
  requires_evidence: z.boolean(),
});

export const controlOwnerBody = z.strictObject({
  control_id: z.string().trim().min(1).max(100),
  domain: z.string().trim().min(1).max(100).nullable().optional(),
  primary_owner_id: z.uuid().nullable().optional(),
  backup_owner_id: z.uuid().nullable().optional(),
  team_id: z.uuid().nullable().optional(),
});
export const controlOwnerSchema = z.object({
  id: z.uuid(),
  workspace_id: z.uuid(),
  control_id: z.string(),
  domain: z.string().nullable(),
  primary_owner_id: z.uuid().nullable(),
  backup_owner_id: z.uuid().nullable(),
  team_id: z.uuid().nullable(),
  created_at: ts,
  updated_at: ts,
});

export const domainMappingBody = z.strictObject({
  domain: z.string().trim().min(1).max(100),
  team_id: z.uuid(),
  priority: z.number().int().min(0).max(10000).optional(),
});
export const domainMappingSchema = z.object({
  id: z.uuid(),
  workspace_id: z.uuid(),
  domain: z.string(),
  team_id: z.uuid(),
  priority: z.number().int(),
  created_at: ts,
});

export const ruleBody = z.strictObject({
  name: z.string().trim().min(1).max(200),
  description: z.string().max(2000).nullable().optional(),
  priority: z.number().int().min(0).max(10000).optional(),
  is_active: z.boolean().optional(),
  rule_config: ruleConfigSchema,
});
export const ruleSchema = z.object({
  id: z.uuid(),
  workspace_id: z.uuid(),
  name: z.string(),
  description: z.string().nullable(),
  priority: z.number().int(),
  is_active: z.boolean(),
  rule_config: ruleConfigSchema,
  created_at: ts,
  updated_at: ts,
});

export const suggestionSchema = z.object({
  id: z.uuid(),
  workspace_id: z.uuid(),
  questionnaire_response_id: z.uuid().nullable(),
  question_id: z.string().nullable(),
  suggested_title: z.string(),
  suggested_description: z.string().nullable(),
  suggested_category: z.string(),
  suggested_frequency: z.string(),
  suggested_domain: z.string().nullable(),
  confidence_score: z.number().nullable(),
  status: z.enum(SUGGESTION_STATUSES),
  created_reminder_id: z.uuid().nullable(),
  rejection_reason: z.string().nullable(),
  created_at: ts,
  updated_at: ts,
});
