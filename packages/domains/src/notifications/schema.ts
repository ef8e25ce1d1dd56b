import { index, integer, jsonb, pgTable, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { createdAt, idColumn, tstz } from '../columns';

export const NOTIFICATION_STATUSES = ['PENDING', 'SENDING', 'SENT', 'FAILED', 'SUPPRESSED'] as const;
export type NotificationStatus = (typeof NOTIFICATION_STATUSES)[number];
export const NOTIFICATION_CHANNELS = ['email', 'slack', 'log'] as const;
export type NotificationChannel = (typeof NOTIFICATION_CHANNELS)[number];

/**
 * The outbox. A row is written in the same transaction as the step that caused
 * it; `dedupe_key` (entity, checkpoint, level, recipient, channel) makes a
 * second write a no-op. The delivery relay (delivery.ts) claims due PENDING rows,
 * marks them SENDING while the provider call is in flight, and records SENT with
 * the provider's message id, FAILED, or PENDING again with a later deliver_after.
 */
export const notifications = pgTable(
  'notifications',
  {
    id: idColumn(),
    workspaceId: uuid('workspace_id').notNull(),
    dedupeKey: text('dedupe_key').notNull(),
    channel: text('channel').$type<NotificationChannel>().notNull(),
    recipientId: uuid('recipient_id'),
    recipientAddress: text('recipient_address'),
    template: text('template').notNull(),
    subject: text('subject').notNull(),
    body: text('body').notNull(),
    payload: jsonb('payload').$type<Record<string, unknown>>().notNull().default({}),
    /**
     * Secrets the text refers to by placeholder (see rules.ts `secretPlaceholder`): substituted
     * only when the provider is called, never returned by the API, wiped once the row is done.
     */
    secrets: jsonb('secrets').$type<Record<string, string> | null>(),
    kind: text('kind'),
    obligationId: uuid('obligation_id'),
    stepKey: text('step_key'),
    level: text('level'),
    status: text('status').$type<NotificationStatus>().notNull().default('PENDING'),
    attempts: integer('attempts').notNull().default(0),
    providerMessageId: text('provider_message_id'),
    lastError: text('last_error'),
    deliverAfter: tstz('deliver_after').notNull().defaultNow(),
    /** When the row was claimed for its current provider call (status SENDING). */
    sendingAt: tstz('sending_at'),
    /** Sends found in flight after a crash and made again: the only source of duplicates. */
    interrupted: integer('interrupted').notNull().default(0),
    sentAt: tstz('sent_at'),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('notifications_dedupe_uq').on(t.dedupeKey),
    index('notifications_ws_status_idx').on(t.workspaceId, t.status, t.deliverAfter),
    index('notifications_obligation_idx').on(t.kind, t.obligationId),
  ],
);
