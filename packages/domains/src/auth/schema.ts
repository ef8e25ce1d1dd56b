import { sql } from 'drizzle-orm';
import { index, integer, pgTable, primaryKey, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { createdAt, idColumn, tstz } from '../columns';
import { members, workspaces } from '../people/schema';

/** One-time sign-in links: only the token's SHA-256 is kept; `used_at` marks the one use. */
export const signInLinks = pgTable(
  'sign_in_links',
  {
    id: idColumn(),
    workspaceId: uuid('workspace_id')
      .notNull()
      .references(() => workspaces.id),
    memberId: uuid('member_id')
      .notNull()
      .references(() => members.id),
    tokenHash: text('token_hash').notNull(),
    expiresAt: tstz('expires_at').notNull(),
    usedAt: tstz('used_at'),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('sign_in_links_hash_uq').on(t.tokenHash),
    index('sign_in_links_expires_idx').on(t.expiresAt),
  ],
);

export const SESSION_PURPOSES = ['acknowledge'] as const;
export type SessionPurpose = (typeof SESSION_PURPOSES)[number];

/**
 * Browser sessions. The cookie holds a random secret stored as its SHA-256 (`token_hash`); a
 * rotation replaces it and keeps the previous hash valid for a short grace. Idle expiry is
 * `last_seen_at` plus the idle timeout; `expires_at` is the absolute end.
 */
export const sessions = pgTable(
  'sessions',
  {
    id: idColumn(),
    workspaceId: uuid('workspace_id')
      .notNull()
      .references(() => workspaces.id),
    memberId: uuid('member_id')
      .notNull()
      .references(() => members.id),
    tokenHash: text('token_hash').notNull(),
    previousTokenHash: text('previous_token_hash'),
    csrfToken: text('csrf_token').notNull(),
    ipAddress: text('ip_address'),
    userAgent: text('user_agent'),
    lastIpAddress: text('last_ip_address'),
    lastUserAgent: text('last_user_agent'),
    rotatedAt: tstz('rotated_at').notNull().defaultNow(),
    lastSeenAt: tstz('last_seen_at').notNull().defaultNow(),
    expiresAt: tstz('expires_at').notNull(),
    revokedAt: tstz('revoked_at'),
    /** Null: the whole console. 'acknowledge': opened by an acknowledgement link, limited to it. */
    purpose: text('purpose').$type<SessionPurpose>(),
    /** With a purpose: the acknowledgement obligations the session may read and acknowledge. */
    scopeIds: uuid('scope_ids').array(),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('sessions_hash_uq').on(t.tokenHash),
    index('sessions_previous_hash_idx')
      .on(t.previousTokenHash)
      .where(sql`${t.previousTokenHash} IS NOT NULL`),
    index('sessions_member_idx').on(t.workspaceId, t.memberId),
  ],
);

/** Fixed-window counters of the sign-in rate limits (bucket: `email:<sha256>` or `ip:<address>`). */
export const authRateLimits = pgTable(
  'auth_rate_limits',
  {
    bucket: text('bucket').notNull(),
    windowStart: tstz('window_start').notNull(),
    hits: integer('hits').notNull().default(0),
  },
  (t) => [primaryKey({ name: 'auth_rate_limits_pk', columns: [t.bucket, t.windowStart] })],
);
