import { index, pgTable, primaryKey, text, uuid } from 'drizzle-orm/pg-core';
import { tstz } from '../columns';

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
