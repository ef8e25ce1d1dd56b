import { date, index, jsonb, pgTable, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { createdAt, idColumn, tstz } from '../columns';

/**
 * Domain events, each written in the transaction of the change it reports (see events/rules.ts
 * for the types). The subject is (entity_type, entity_id); `created_at` is when it occurred.
 * `dedupe_key` tells apart events of one type, subject and day that are distinct changes (an
 * escalation level, an audit entry); a repeat of the same key is ignored. `dispatched_at` is
 * set once the automations and webhook consumer (events/dispatch.ts) has handled the event.
 */
export const events = pgTable(
  'events',
  {
    id: idColumn(),
    workspaceId: uuid('workspace_id').notNull(),
    type: text('type').notNull(),
    entityType: text('entity_type').notNull(),
    entityId: uuid('entity_id').notNull(),
    payload: jsonb('payload').$type<Record<string, unknown>>().notNull().default({}),
    dedupeDay: date('dedupe_day').notNull().defaultNow(),
    dedupeKey: text('dedupe_key').notNull().default(''),
    dispatchedAt: tstz('dispatched_at'),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('events_type_entity_day_key_uq').on(t.type, t.entityId, t.dedupeDay, t.dedupeKey),
    index('events_ws_idx').on(t.workspaceId, t.createdAt),
    index('events_ws_type_id_idx').on(t.workspaceId, t.type, t.id),
  ],
);
