import type { AuthContext } from '@vigil/kernel/auth';
import { and, eq, isNull } from 'drizzle-orm';
import { audit } from '../audit/service';
import { ACK_SESSION_SECONDS } from '../auth/purpose';
import { sessions } from '../auth/schema';
import { type AuthConfig, type ClientMeta, insertSession } from '../auth/service';
import type { Db, Executor } from '../db';
import { members } from '../people/schema';
import { hashLinkToken } from './kind';
import { acknowledgementLinks } from './schema';

const TOKEN_RE = /^[A-Za-z0-9_-]{20,100}$/;

/** Where the console shows that a link was refused because someone else is signed in. */
export const LINK_REFUSED_PATH = '/acknowledge/link-refused';
/** An unknown, used or expired acknowledgement link. */
export const LINK_EXPIRED_PATH = '/sign-in?error=ack_link_expired';
export const ackPagePath = (obligationId: string) => `/acknowledge/${obligationId}`;

/** The link of this token when it is still usable (unknown, used or expired: null). */
async function usableLink(db: Executor, token: string, lock: boolean) {
  if (!TOKEN_RE.test(token)) return null;
  const q = db
    .select()
    .from(acknowledgementLinks)
    .where(
      and(eq(acknowledgementLinks.tokenHash, hashLinkToken(token)), isNull(acknowledgementLinks.usedAt)),
    );
  const [link] = lock ? await q.for('update') : await q;
  if (!link || link.expiresAt.getTime() <= Date.now()) return null;
  return link;
}

export interface LinkOutcome {
  /** Where the browser goes next (a console path). */
  redirect: string;
  /** A session opened for the link's purpose, when one was. */
  opened?: { session: typeof sessions.$inferSelect; secret: string };
}

/**
 * Follows an emailed acknowledgement link. Someone else signed in (another member, or another
 * workspace): the link is not used and the console says so. The member themselves with a full
 * session: straight to the page (the link stays unused). Otherwise the link is used once and opens
 * a session for that purpose only (30 minutes, limited by auth/purpose.ts to reading and
 * acknowledging the link's policies), audited as SIGNED_IN with the client's address.
 */
export async function followAckLink(
  db: Db,
  config: AuthConfig,
  token: string,
  current: AuthContext | null,
  meta: ClientMeta,
): Promise<LinkOutcome> {
  const peek = await usableLink(db, token, false);
  if (!peek) return { redirect: LINK_EXPIRED_PATH };
  if (current && (current.memberId !== peek.memberId || current.workspaceId !== peek.workspaceId))
    return { redirect: LINK_REFUSED_PATH };
  if (current && !current.purpose) return { redirect: ackPagePath(peek.obligationId) };
  return db.transaction(async (tx): Promise<LinkOutcome> => {
    const link = await usableLink(tx, token, true);
    if (!link) return { redirect: LINK_EXPIRED_PATH };
    const [member] = await tx.select().from(members).where(eq(members.id, link.memberId));
    if (member?.status !== 'ACTIVE') return { redirect: LINK_EXPIRED_PATH };
    await tx
      .update(acknowledgementLinks)
      .set({ usedAt: new Date() })
      .where(eq(acknowledgementLinks.id, link.id));
    // A limited session of the same member already open: the new one covers both links, and replaces it.
    const scopeIds = [...new Set([...(current?.purpose?.obligationIds ?? []), link.obligationId])];
    if (current?.sessionId)
      await tx.update(sessions).set({ revokedAt: new Date() }).where(eq(sessions.id, current.sessionId));
    const seconds = Math.min(ACK_SESSION_SECONDS, config.SESSION_MAX_AGE_SECONDS);
    const opened = await insertSession(tx, {
      workspaceId: link.workspaceId,
      memberId: link.memberId,
      meta,
      expiresAt: new Date(Date.now() + seconds * 1000),
      purpose: 'acknowledge',
      scopeIds,
    });
    await audit(
      tx,
      { workspaceId: link.workspaceId, memberId: member.id, ...meta, via: 'LINK' },
      {
        action: 'SIGNED_IN',
        targetType: 'session',
        targetId: opened.session.id,
        newValue: {
          acknowledgement_link_id: link.id,
          purpose: 'acknowledge',
          scope_ids: scopeIds,
          ip_address: meta.ip,
          user_agent: meta.userAgent,
          expires_at: opened.session.expiresAt.toISOString(),
        },
        description: `${member.email} opened an acknowledgement link (a session limited to acknowledging)`,
      },
    );
    return { redirect: ackPagePath(link.obligationId), opened };
  });
}
