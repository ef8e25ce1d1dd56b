import { bigint, boolean, index, jsonb, pgTable, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { createdAt, idColumn } from '../columns';

/** What an entry records, written (audit_pending) or chained (audit_logs). */
const entryColumns = () => ({
  workspaceId: uuid('workspace_id').notNull(),
  actorId: uuid('actor_id'),
  actionType: text('action_type').notNull(),
  targetType: text('target_type').notNull(),
  targetId: text('target_id'),
  oldValue: jsonb('old_value'),
  newValue: jsonb('new_value'),
  description: text('description'),
  ipAddress: text('ip_address'),
  userAgent: text('user_agent'),
  createdAt: createdAt(),
});

/**
 * Append-only, hash-chained per workspace. A BEFORE INSERT trigger assigns the
 * gapless `seq`, `prev_hash` and `hash` (see drizzle/0001_audit_chain.sql);
 * other triggers reject UPDATE, DELETE and TRUNCATE.
 */
export const auditLogs = pgTable(
  'audit_logs',
  {
    id: idColumn(),
    ...entryColumns(),
    seq: bigint('seq', { mode: 'number' }).notNull().default(0),
    prevHash: text('prev_hash').notNull().default(''),
    hash: text('hash').notNull().default(''),
  },
  (t) => [
    uniqueIndex('audit_logs_workspace_seq_uq').on(t.workspaceId, t.seq),
    index('audit_logs_workspace_target_idx').on(t.workspaceId, t.targetType, t.targetId),
    index('audit_logs_workspace_action_idx').on(t.workspaceId, t.actionType),
  ],
);

/**
 * Entries written by a transaction that has not committed yet. At commit a deferred trigger
 * moves them into audit_logs, in the order written, where they are chained (see
 * drizzle/0018_audit_chain_at_commit.sql): the chain head is locked only while the
 * transaction commits. Committed, this table holds nothing.
 */
export const auditPending = pgTable('audit_pending', {
  ord: bigint('ord', { mode: 'number' }).generatedAlwaysAsIdentity().primaryKey(),
  /** The first entry of each statement queues the move at commit; the rest ride along. */
  lead: boolean('lead').notNull().default(true),
  id: uuid('id').notNull(),
  ...entryColumns(),
});

/** The head of each workspace's chain; the insert trigger advances it under a row lock. */
export const auditChainHeads = pgTable('audit_chain_heads', {
  workspaceId: uuid('workspace_id').primaryKey(),
  seq: bigint('seq', { mode: 'number' }).notNull(),
  hash: text('hash').notNull(),
});
