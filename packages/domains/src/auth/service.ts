import type { AccessRole, AuthContext } from '@vigil/kernel/auth';
import type { Config } from '@vigil/kernel/config';
import { AppError, NotFound, Unauthorized } from '@vigil/kernel/errors';
import { and, desc, eq, gt, isNull, lt, or, sql } from 'drizzle-orm';
import { audit } from '../audit/service';
import type { Db, Executor } from '../db';
import { secretPlaceholder } from '../notifications/rules';
import { enqueueMessages } from '../notifications/service';
import { members, workspaces } from '../people/schema';
import {
  hashSecret,
  needsRotation,
  newSecret,
  normalizeEmail,
  previousStillValid,
  SECRET_RE,
  type SessionTimes,
  sessionEnded,
  TOUCH_EVERY_MS,
} from './rules';
import { authRateLimits, type SessionPurpose, sessions, signInLinks } from './schema';

export { checkSignInRate, TooManyRequests } from './rate-limit';

export type AuthConfig = Pick<
  Config,
  | 'SENDGRID_API_KEY'
  | 'SLACK_BOT_TOKEN'
  | 'SIGN_IN_LINK_TTL_SECONDS'
  | 'SIGN_IN_LIMIT_PER_EMAIL'
  | 'SIGN_IN_LIMIT_PER_IP'
  | 'SIGN_IN_LIMIT_WINDOW_SECONDS'
  | 'SESSION_IDLE_TIMEOUT_SECONDS'
  | 'SESSION_MAX_AGE_SECONDS'
  | 'SESSION_ROTATE_SECONDS'
>;
export interface ClientMeta {
  ip: string | null;
  userAgent: string | null;
}
export type SessionRow = typeof sessions.$inferSelect;

export const sessionTimes = (c: AuthConfig): SessionTimes => ({
  idleMs: c.SESSION_IDLE_TIMEOUT_SECONDS * 1000,
  rotateMs: c.SESSION_ROTATE_SECONDS * 1000,
});

const systemActor = (workspaceId: string, meta: ClientMeta) => ({
  workspaceId,
  memberId: '00000000-0000-0000-0000-000000000000',
  ip: meta.ip,
  userAgent: meta.userAgent,
  via: 'SYSTEM' as const,
});

async function insertLink(tx: Executor, m: { workspaceId: string; id: string }, ttlSeconds: number) {
  const token = newSecret();
  const [link] = await tx
    .insert(signInLinks)
    .values({
      workspaceId: m.workspaceId,
      memberId: m.id,
      tokenHash: hashSecret(token),
      expiresAt: new Date(Date.now() + ttlSeconds * 1000),
    })
    .returning();
  if (!link) throw new Error('insert returned nothing');
  return { link, token };
}

const activeMembersByEmail = (db: Executor, email: string, workspaceId?: string) =>
  db
    .select({ id: members.id, workspaceId: members.workspaceId, name: members.name, ws: workspaces.name })
    .from(members)
    .innerJoin(workspaces, eq(workspaces.id, members.workspaceId))
    .where(
      and(
        eq(members.email, normalizeEmail(email)),
        eq(members.status, 'ACTIVE'),
        workspaceId ? eq(members.workspaceId, workspaceId) : undefined,
      ),
    );

/**
 * Queues a one-time link for every active member with this email (in that workspace if given),
 * each in one transaction with its audit entry: the outbox row carries a placeholder, the token
 * rides in `secrets` to the provider only. Says nothing about whether anyone matched.
 */
export async function requestSignIn(
  db: Db,
  config: AuthConfig,
  input: { email: string; workspaceId?: string; baseUrl: string },
  meta: ClientMeta,
): Promise<number> {
  const found = await activeMembersByEmail(db, input.email, input.workspaceId);
  for (const m of found) {
    await db.transaction(async (tx) => {
      const { link, token } = await insertLink(tx, m, config.SIGN_IN_LINK_TTL_SECONDS);
      const url = `${input.baseUrl}/auth/callback?token=${secretPlaceholder('sign_in_token')}`;
      const queued = await enqueueMessages(
        tx,
        m.workspaceId,
        config,
        [
          {
            recipientIds: [m.id],
            template: 'auth.sign_in_link',
            data: {
              url,
              workspace_name: m.ws,
              expires_in_minutes: Math.max(1, Math.round(config.SIGN_IN_LINK_TTL_SECONDS / 60)),
            },
            channels: ['email', 'slack'],
            kind: 'sign_in_link',
            obligationId: link.id,
            stepKey: 'sent',
            secrets: { sign_in_token: token },
            immediate: true,
          },
        ],
        new Date(),
      );
      await audit(tx, systemActor(m.workspaceId, meta), {
        action: 'SIGN_IN_LINK_SENT',
        targetType: 'member',
        targetId: m.id,
        newValue: {
          link_id: link.id,
          expires_at: link.expiresAt.toISOString(),
          notification_ids: queued.ids,
        },
        description: 'Sign-in link requested by email',
      });
    });
  }
  return found.length;
}

/** A link made directly for an operator (admin CLI, `npm start`), audited; the token is returned once. */
export async function issueSignInLink(
  db: Db,
  config: Pick<AuthConfig, 'SIGN_IN_LINK_TTL_SECONDS'>,
  input: { email: string; workspaceId?: string; baseUrl: string },
  meta: ClientMeta = { ip: null, userAgent: 'vigil-admin' },
) {
  const found = await activeMembersByEmail(db, input.email, input.workspaceId);
  if (!found.length) throw new NotFound('Active member with email', input.email);
  if (found.length > 1)
    throw new AppError(
      409,
      'Conflict',
      `${input.email} is a member of ${found.length} workspaces; name one with --workspace`,
    );
  const m = found[0] as (typeof found)[number];
  return db.transaction(async (tx) => {
    const { link, token } = await insertLink(tx, m, config.SIGN_IN_LINK_TTL_SECONDS);
    await audit(tx, systemActor(m.workspaceId, meta), {
      action: 'SIGN_IN_LINK_ISSUED',
      targetType: 'member',
      targetId: m.id,
      newValue: { link_id: link.id, expires_at: link.expiresAt.toISOString() },
      description: 'Sign-in link issued by an operator',
    });
    return {
      url: `${input.baseUrl}/auth/callback?token=${token}`,
      workspaceId: m.workspaceId,
      memberId: m.id,
      expiresAt: link.expiresAt,
    };
  });
}

/** Inserts a session row; the cookie secret is returned once, only its hash is stored. */
export async function insertSession(
  tx: Executor,
  input: {
    workspaceId: string;
    memberId: string;
    meta: ClientMeta;
    expiresAt: Date;
    purpose?: SessionPurpose;
    scopeIds?: string[];
  },
) {
  const secret = newSecret();
  const [session] = await tx
    .insert(sessions)
    .values({
      workspaceId: input.workspaceId,
      memberId: input.memberId,
      tokenHash: hashSecret(secret),
      csrfToken: newSecret(),
      ipAddress: input.meta.ip,
      userAgent: input.meta.userAgent,
      lastIpAddress: input.meta.ip,
      lastUserAgent: input.meta.userAgent,
      expiresAt: input.expiresAt,
      purpose: input.purpose ?? null,
      scopeIds: input.scopeIds ?? null,
    })
    .returning();
  if (!session) throw new Error('insert returned nothing');
  return { session, secret };
}

/**
 * Uses a link once (one UPDATE ... WHERE used_at IS NULL AND not expired: of two concurrent
 * callbacks one wins) and opens a session, audited with the client's address and user agent.
 * Null when the link is unknown, used, expired, or its member is no longer active.
 */
export async function consumeSignInLink(db: Db, config: AuthConfig, token: string, meta: ClientMeta) {
  if (!SECRET_RE.test(token)) return null;
  return db.transaction(async (tx) => {
    const [link] = await tx
      .update(signInLinks)
      .set({ usedAt: sql`now()` })
      .where(
        and(
          eq(signInLinks.tokenHash, hashSecret(token)),
          isNull(signInLinks.usedAt),
          gt(signInLinks.expiresAt, sql`now()`),
        ),
      )
      .returning();
    if (!link) return null;
    const [member] = await tx.select().from(members).where(eq(members.id, link.memberId));
    if (member?.status !== 'ACTIVE') return null;
    const { session, secret } = await insertSession(tx, {
      workspaceId: link.workspaceId,
      memberId: link.memberId,
      meta,
      expiresAt: new Date(Date.now() + config.SESSION_MAX_AGE_SECONDS * 1000),
    });
    await audit(
      tx,
      { workspaceId: link.workspaceId, memberId: member.id, ...meta, via: 'SESSION' },
      {
        action: 'SIGNED_IN',
        targetType: 'session',
        targetId: session.id,
        newValue: {
          link_id: link.id,
          ip_address: meta.ip,
          user_agent: meta.userAgent,
          expires_at: session.expiresAt.toISOString(),
        },
        description: `${member.email} signed in with an email link`,
      },
    );
    return { session, secret };
  });
}

export interface SessionAuth {
  ctx: AuthContext;
  session: SessionRow;
  /** A new cookie secret when this request rotated the session. */
  rotatedSecret: string | null;
}

/**
 * Session cookie to caller: the current secret, or the one a rotation replaced less than a minute
 * ago. Revoked, expired, idle, or an inactive member: 401. Touches last_seen_at at most once a
 * minute and rotates the secret once it is older than SESSION_ROTATE_SECONDS (the UPDATE guards
 * on the old hash, so of two concurrent rotations one wins and the other keeps the old secret).
 */
export async function authenticateSession(
  db: Executor,
  config: AuthConfig,
  secret: string,
  meta: ClientMeta,
): Promise<SessionAuth> {
  if (!SECRET_RE.test(secret)) throw new Unauthorized('The session is not valid; sign in again');
  const hash = hashSecret(secret);
  const [row] = await db
    .select({ s: sessions, member: members })
    .from(sessions)
    .innerJoin(members, eq(members.id, sessions.memberId))
    .where(or(eq(sessions.tokenHash, hash), eq(sessions.previousTokenHash, hash)));
  const now = new Date();
  const times = sessionTimes(config);
  if (row?.member.status !== 'ACTIVE' || sessionEnded(row.s, now, times))
    throw new Unauthorized('The session has ended; sign in again');
  const current = row.s.tokenHash === hash;
  if (!current && !previousStillValid(row.s.rotatedAt, now))
    throw new Unauthorized('The session has ended; sign in again');
  let session = row.s;
  let rotatedSecret: string | null = null;
  if (current && needsRotation(session, now, times)) {
    const next = newSecret();
    const [updated] = await db
      .update(sessions)
      .set({
        tokenHash: hashSecret(next),
        previousTokenHash: hash,
        rotatedAt: now,
        lastSeenAt: now,
        lastIpAddress: meta.ip,
        lastUserAgent: meta.userAgent,
      })
      .where(and(eq(sessions.id, session.id), eq(sessions.tokenHash, hash)))
      .returning();
    if (updated) {
      session = updated;
      rotatedSecret = next;
    }
  } else if (now.getTime() - session.lastSeenAt.getTime() >= TOUCH_EVERY_MS) {
    await db
      .update(sessions)
      .set({ lastSeenAt: now, lastIpAddress: meta.ip, lastUserAgent: meta.userAgent })
      .where(eq(sessions.id, session.id));
    session = { ...session, lastSeenAt: now };
  }
  return {
    session,
    rotatedSecret,
    ctx: {
      workspaceId: session.workspaceId,
      memberId: row.member.id,
      role: row.member.accessRole as AccessRole,
      tokenId: null,
      ip: meta.ip,
      userAgent: meta.userAgent,
      // A session opened by an acknowledgement link acts through that link (the evidence's channel).
      via: session.purpose ? 'LINK' : 'SESSION',
      sessionId: session.id,
      purpose:
        session.purpose === 'acknowledge'
          ? { kind: 'acknowledge', obligationIds: session.scopeIds ?? [] }
          : null,
    },
  };
}

/** The member's sessions that still authenticate, newest first. */
export async function listOwnSessions(db: Executor, ctx: AuthContext, config: AuthConfig) {
  const idleMs = config.SESSION_IDLE_TIMEOUT_SECONDS * 1000;
  return db
    .select()
    .from(sessions)
    .where(
      and(
        eq(sessions.workspaceId, ctx.workspaceId),
        eq(sessions.memberId, ctx.memberId),
        isNull(sessions.revokedAt),
        gt(sessions.expiresAt, sql`now()`),
        gt(sessions.lastSeenAt, sql`now() - make_interval(secs => ${idleMs / 1000})`),
      ),
    )
    .orderBy(desc(sessions.createdAt))
    .limit(200);
}

/** Revokes one of the caller's own sessions (another member's, or another workspace's: 404). */
export async function revokeSession(
  db: Db,
  ctx: AuthContext,
  id: string,
  action: 'SIGNED_OUT' | 'SESSION_REVOKED' = 'SESSION_REVOKED',
) {
  await db.transaction(async (tx) => {
    const [row] = await tx
      .update(sessions)
      .set({ revokedAt: sql`now()` })
      .where(
        and(
          eq(sessions.id, id),
          eq(sessions.workspaceId, ctx.workspaceId),
          eq(sessions.memberId, ctx.memberId),
          isNull(sessions.revokedAt),
        ),
      )
      .returning({ id: sessions.id });
    if (!row) throw new NotFound('Session', id);
    await audit(tx, ctx, {
      action,
      targetType: 'session',
      targetId: id,
      description: action === 'SIGNED_OUT' ? 'Signed out' : 'Session revoked',
    });
  });
}

/** Deletes used and expired links, ended sessions and old rate-limit windows (hourly sweep). */
export async function purgeAuthRecords(db: Db): Promise<number> {
  const day = sql`now() - interval '1 day'`;
  const links = await db.delete(signInLinks).where(lt(signInLinks.expiresAt, day));
  const ended = await db
    .delete(sessions)
    .where(
      or(
        lt(sessions.expiresAt, day),
        lt(sessions.revokedAt, day),
        lt(sessions.lastSeenAt, sql`now() - interval '31 days'`),
      ),
    );
  const windows = await db.delete(authRateLimits).where(lt(authRateLimits.windowStart, day));
  return (links.rowCount ?? 0) + (ended.rowCount ?? 0) + (windows.rowCount ?? 0);
}
