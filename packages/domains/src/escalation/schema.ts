import { boolean, index, integer, jsonb, pgTable, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { createdAt, idColumn, tstz, updatedAt } from '../columns';
import type { LadderLevelConfig } from '../obligations/rules';
import type { MatrixRule } from './rules';

export const escalationMatrices = pgTable(
  'escalation_matrices',
  {
    id: idColumn(),
    workspaceId: uuid('workspace_id').notNull(),
    name: text('name').notNull(),
    description: text('description'),
    severityLevels: jsonb('severity_levels').$type<string[]>().notNull().default([]),
    rules: jsonb('rules').$type<MatrixRule[]>().notNull(),
    formIds: jsonb('form_ids').$type<string[]>().notNull().default([]),
    teamIds: jsonb('team_ids').$type<string[]>().notNull().default([]),
    priorityOrder: integer('priority_order').notNull().default(100),
    isActive: boolean('is_active').notNull().default(true),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index('escalation_matrices_ws_idx').on(t.workspaceId, t.priorityOrder)],
);

export const TICKET_STATUSES = ['OPEN', 'ACKNOWLEDGED', 'RESOLVED', 'CLOSED'] as const;
export type TicketStatus = (typeof TICKET_STATUSES)[number];

/** A ticket matching a matrix is an obligation: it walks the matrix's ladder from when it opened. */
export const tickets = pgTable(
  'tickets',
  {
    id: idColumn(),
    workspaceId: uuid('workspace_id').notNull(),
    title: text('title').notNull(),
    description: text('description'),
    severity: text('severity'),
    status: text('status').$type<TicketStatus>().notNull().default('OPEN'),
    teamId: uuid('team_id'),
    formId: text('form_id'),
    reporterId: uuid('reporter_id'),
    assigneeId: uuid('assignee_id'),
    obligationKind: text('obligation_kind'),
    obligationId: uuid('obligation_id'),
    matrixId: uuid('matrix_id'),
    ladderSource: text('ladder_source').notNull().default('DEFAULT'),
    ladder: jsonb('ladder').$type<LadderLevelConfig[]>().notNull().default([]),
    currentEscalationLevel: text('current_escalation_level'),
    acknowledgedAt: tstz('acknowledged_at'),
    acknowledgedById: uuid('acknowledged_by_id'),
    resolvedAt: tstz('resolved_at'),
    closedAt: tstz('closed_at'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index('tickets_ws_status_idx').on(t.workspaceId, t.status)],
);

/** Each escalation fired: who it went to, and who acknowledged it. */
export const escalations = pgTable(
  'escalations',
  {
    id: idColumn(),
    workspaceId: uuid('workspace_id').notNull(),
    kind: text('kind').notNull(),
    obligationId: uuid('obligation_id').notNull(),
    level: text('level').notNull(),
    target: jsonb('target').notNull(),
    targetMemberIds: jsonb('target_member_ids').$type<string[]>().notNull(),
    channels: jsonb('channels').$type<string[]>().notNull(),
    firedAt: tstz('fired_at').notNull().defaultNow(),
    acknowledgedAt: tstz('acknowledged_at'),
    acknowledgedById: uuid('acknowledged_by_id'),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('escalations_obligation_level_uq').on(t.kind, t.obligationId, t.level),
    index('escalations_ws_idx').on(t.workspaceId, t.firedAt),
  ],
);
