import { boolean, index, integer, jsonb, pgTable, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { createdAt, idColumn, updatedAt } from '../columns';
import type { AutomationAction, Conditions } from './rules';

/** An admin's rule: when an event of `event_type` matching `conditions` occurs, run `actions`. */
export const automations = pgTable(
  'automations',
  {
    id: idColumn(),
    workspaceId: uuid('workspace_id').notNull(),
    name: text('name').notNull(),
    enabled: boolean('enabled').notNull().default(true),
    eventType: text('event_type').notNull(),
    conditions: jsonb('conditions').$type<Conditions>().notNull().default({}),
    actions: jsonb('actions').$type<AutomationAction[]>().notNull(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index('automations_ws_type_idx').on(t.workspaceId, t.eventType)],
);

export const RUN_STATUSES = ['SUCCEEDED', 'FAILED'] as const;

/**
 * One automation run for one event. The unique (automation, event, replay) key makes the
 * dispatcher's run exactly once: the row commits with the outbox rows of its actions.
 */
export const automationRuns = pgTable(
  'automation_runs',
  {
    id: idColumn(),
    workspaceId: uuid('workspace_id').notNull(),
    automationId: uuid('automation_id').notNull(),
    eventId: uuid('event_id').notNull(),
    /** 0 for the dispatcher's run; 1, 2, ... for `admin automation replay`. */
    replay: integer('replay').notNull().default(0),
    status: text('status').$type<(typeof RUN_STATUSES)[number]>().notNull(),
    results: jsonb('results').$type<Record<string, unknown>[]>().notNull().default([]),
    error: text('error'),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('automation_runs_key_uq').on(t.automationId, t.eventId, t.replay),
    index('automation_runs_automation_idx').on(t.workspaceId, t.automationId, t.id),
  ],
);
