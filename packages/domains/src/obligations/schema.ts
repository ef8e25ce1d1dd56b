import { index, integer, pgTable, primaryKey, text, uuid } from 'drizzle-orm/pg-core';
import { createdAt, idColumn, tstz } from '../columns';

/**
 * The idempotency record of the engine: one row per performed step of an
 * obligation. A step is performed by inserting its row; a second attempt
 * (a retried activity, a replayed workflow, a duplicate run) finds the row and
 * does nothing.
 */
export const obligationSteps = pgTable(
  'obligation_steps',
  {
    workspaceId: uuid('workspace_id').notNull(),
    kind: text('kind').notNull(),
    obligationId: uuid('obligation_id').notNull(),
    stepKey: text('step_key').notNull(),
    action: text('action').notNull(),
    level: text('level'),
    dueAt: tstz('due_at'),
    performedAt: tstz('performed_at').notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.kind, t.obligationId, t.stepKey] }),
    index('obligation_steps_ws_idx').on(t.workspaceId, t.performedAt),
  ],
);

export const WORKFLOW_COMMAND_ACTIONS = ['START', 'SIGNAL'] as const;
export type WorkflowCommandAction = (typeof WORKFLOW_COMMAND_ACTIONS)[number];

/**
 * The workflow-command outbox: a start or `changed` signal that a committed change
 * needs, written in that change's transaction. The committing process relays it at
 * once; the relay in every API and worker process takes any row left behind (Temporal
 * was down, the process died) once `available_at` has passed, with backoff.
 */
export const workflowCommands = pgTable(
  'workflow_commands',
  {
    id: idColumn(),
    workspaceId: uuid('workspace_id').notNull(),
    kind: text('kind').notNull(),
    obligationId: uuid('obligation_id').notNull(),
    ownerId: uuid('owner_id'),
    action: text('action').$type<WorkflowCommandAction>().notNull(),
    taskQueue: text('task_queue').notNull(),
    attempts: integer('attempts').notNull().default(0),
    lastError: text('last_error'),
    availableAt: tstz('available_at').notNull().defaultNow(),
    createdAt: createdAt(),
  },
  (t) => [index('workflow_commands_available_idx').on(t.availableAt)],
);
