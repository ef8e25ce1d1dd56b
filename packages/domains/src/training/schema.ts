// Tables of the training domain.
import { boolean, index, integer, jsonb, pgTable, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { createdAt, idColumn, tstz, updatedAt } from '../columns';
import type { LadderLevelConfig } from '../obligations/rules';

export const APPLIES_TO_TYPES = ['ALL', 'TEAM', 'ROLE', 'INDIVIDUAL'] as const;
export type AppliesToType = (typeof APPLIES_TO_TYPES)[number];

export const ASSIGNMENT_STATUSES = ['PENDING', 'IN_PROGRESS', 'COMPLETED', 'OVERDUE', 'WAIVED'] as const;
export type AssignmentStatus = (typeof ASSIGNMENT_STATUSES)[number];

export const mandatoryTrainings = pgTable(
  'mandatory_trainings',
  {
    id: idColumn(),
    workspaceId: uuid('workspace_id').notNull(),
    name: text('name').notNull(),
    description: text('description'),
    appliesToType: text('applies_to_type').$type<AppliesToType>().notNull().default('ALL'),
    appliesToIds: jsonb('applies_to_ids').$type<string[]>().notNull().default([]),
    dueDaysAfterAssignment: integer('due_days_after_assignment'),
    recurringMonths: integer('recurring_months'),
    fixedDueDate: tstz('fixed_due_date'),
    learningPathId: uuid('learning_path_id'),
    isActive: boolean('is_active').notNull().default(true),
    createdById: uuid('created_by_id'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index('mandatory_trainings_ws_idx').on(t.workspaceId, t.isActive)],
);

/** One member's obligation to finish one training, for one cycle (recurring trainings add cycles). */
export const trainingAssignments = pgTable(
  'training_assignments',
  {
    id: idColumn(),
    workspaceId: uuid('workspace_id').notNull(),
    mandatoryTrainingId: uuid('mandatory_training_id').notNull(),
    developerId: uuid('developer_id').notNull(),
    cycle: integer('cycle').notNull().default(0),
    dueDate: tstz('due_date').notNull(),
    status: text('status').$type<AssignmentStatus>().notNull().default('PENDING'),
    progressPercentage: integer('progress_percentage').notNull().default(0),
    startedAt: tstz('started_at'),
    completedAt: tstz('completed_at'),
    acknowledgedAt: tstz('acknowledged_at'),
    waivedById: uuid('waived_by_id'),
    waivedAt: tstz('waived_at'),
    waiverReason: text('waiver_reason'),
    reminderSentAt: tstz('reminder_sent_at'),
    ladder: jsonb('ladder').$type<LadderLevelConfig[]>().notNull().default([]),
    currentEscalationLevel: text('current_escalation_level'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex('training_assignments_cycle_uq').on(t.mandatoryTrainingId, t.developerId, t.cycle),
    index('training_assignments_ws_status_idx').on(t.workspaceId, t.status),
    index('training_assignments_dev_idx').on(t.developerId),
  ],
);
