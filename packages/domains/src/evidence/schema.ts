import { bigint, index, integer, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { createdAt, idColumn, tstz, updatedAt } from '../columns';
import type { PackSection, PackStatus } from './rules';

/**
 * One auditor's evidence pack: the period asked for, the workflow's progress, and, once
 * READY, the zip's S3 key, size and sha256 (drizzle/0011_evidence_packs.sql).
 */
export const evidencePacks = pgTable(
  'evidence_packs',
  {
    id: idColumn(),
    workspaceId: uuid('workspace_id').notNull(),
    requestedById: uuid('requested_by_id'),
    periodFrom: timestamp('period_from', { withTimezone: true }).notNull(),
    periodTo: timestamp('period_to', { withTimezone: true }).notNull(),
    include: jsonb('include').$type<PackSection[]>().notNull().default([]),
    status: text('status').$type<PackStatus>().notNull().default('PENDING'),
    itemsDone: integer('items_done').notNull().default(0),
    itemsTotal: integer('items_total'),
    storageKey: text('storage_key'),
    sizeBytes: bigint('size_bytes', { mode: 'number' }),
    sha256: text('sha256'),
    error: text('error'),
    startedAt: tstz('started_at'),
    completedAt: tstz('completed_at'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index('evidence_packs_ws_idx').on(t.workspaceId, t.id)],
);
