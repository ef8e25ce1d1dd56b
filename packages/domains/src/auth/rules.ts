import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** Cookie names the console relies on. */
export const SESSION_COOKIE = 'vigil_session';
export const CSRF_COOKIE = 'vigil_csrf';
export const CSRF_HEADER = 'x-csrf-token';

/** A secret for a link, a session or a CSRF token: 32 random bytes, base64url. */
export const newSecret = (): string => randomBytes(32).toString('base64url');
export const hashSecret = (s: string): string => createHash('sha256').update(s, 'utf8').digest('hex');
/** What a link or cookie secret looks like; anything else is rejected before a query. */
export const SECRET_RE = /^[A-Za-z0-9_-]{32,128}$/;

/** Constant-time string comparison (false for different lengths). */
export function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a, 'utf8');
  const y = Buffer.from(b, 'utf8');
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * Where the callback may send the browser: a path on this origin only. `//evil.example`,
 * `/\evil.example`, absolute URLs, control characters and anything not starting with one `/`
 * fall back to `/`.
 */
export function safeNextPath(next: unknown): string {
  if (typeof next !== 'string' || next.length > 2000) return '/';
  if (!next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) return '/';
  // biome-ignore lint/suspicious/noControlCharactersInRegex: refusing control characters is the point
  if (/[\u0000-\u001f\u007f\\]/.test(next)) return '/';
  try {
    const u = new URL(next, 'http://vigil.invalid');
    if (u.origin !== 'http://vigil.invalid') return '/';
    return `${u.pathname}${u.search}${u.hash}`;
  } catch {
    return '/';
  }
}

export interface SessionTimes {
  /** Idle timeout, ms: a session unused this long is over. */
  idleMs: number;
  /** Rotation interval, ms: a session in use gets a new secret this often. */
  rotateMs: number;
}

export interface SessionClock {
  lastSeenAt: Date;
  expiresAt: Date;
  rotatedAt: Date;
  revokedAt: Date | null;
}

/** Why a session no longer authenticates, or null while it does. */
export function sessionEnded(
  s: SessionClock,
  now: Date,
  t: SessionTimes,
): 'REVOKED' | 'EXPIRED' | 'IDLE' | null {
  if (s.revokedAt) return 'REVOKED';
  if (s.expiresAt.getTime() <= now.getTime()) return 'EXPIRED';
  if (s.lastSeenAt.getTime() + t.idleMs <= now.getTime()) return 'IDLE';
  return null;
}

/** When the session ends if it is not used again: the earlier of idle and absolute expiry. */
export function sessionEndsAt(s: Pick<SessionClock, 'lastSeenAt' | 'expiresAt'>, t: SessionTimes): Date {
  return new Date(Math.min(s.expiresAt.getTime(), s.lastSeenAt.getTime() + t.idleMs));
}

/** A used session gets a new secret once its current one is older than the rotation interval. */
export const needsRotation = (s: Pick<SessionClock, 'rotatedAt'>, now: Date, t: SessionTimes): boolean =>
  now.getTime() - s.rotatedAt.getTime() >= t.rotateMs;

/** How long the secret replaced by a rotation keeps working (requests already in flight). */
export const ROTATION_GRACE_MS = 60_000;

/** The previous secret still authenticates within the grace after the rotation that replaced it. */
export const previousStillValid = (rotatedAt: Date, now: Date): boolean =>
  now.getTime() - rotatedAt.getTime() < ROTATION_GRACE_MS;

/** Last-seen stamps are written at most this often per session. */
export const TOUCH_EVERY_MS = 60_000;

/** The origin (`scheme://host[:port]`) of a URL, or null when it is not an http(s) URL. */
export function originOf(url: string | undefined | null): string | null {
  if (!url) return null;
  try {
    const u = new URL(url);
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.origin : null;
  } catch {
    return null;
  }
}

/**
 * The CSRF rule for a cookie-authenticated unsafe request: the header token equals the
 * session's, and the request's Origin (else its Referer's origin) is one of the API's own.
 * Returns the reason it fails, or null.
 */
export function csrfProblem(input: {
  headerToken: string | undefined;
  sessionToken: string;
  origin: string | undefined;
  referer: string | undefined;
  allowedOrigins: readonly string[];
}): string | null {
  const claimed = input.origin && input.origin !== 'null' ? originOf(input.origin) : originOf(input.referer);
  if (!claimed) return 'A cookie-authenticated write needs an Origin or Referer header from this site';
  if (!input.allowedOrigins.includes(claimed))
    return `Origin ${claimed} is not allowed to write with a session`;
  if (!input.headerToken) return 'A cookie-authenticated write needs the X-CSRF-Token header';
  if (!sameSecret(input.headerToken, input.sessionToken))
    return 'The X-CSRF-Token header does not match the session';
  return null;
}

/** Start of the fixed rate-limit window that contains `now`. */
export const windowStart = (now: Date, windowMs: number): Date =>
  new Date(Math.floor(now.getTime() / windowMs) * windowMs);

/** Seconds until the window containing `now` ends (Retry-After). */
export const retryAfterSeconds = (now: Date, windowMs: number): number =>
  Math.max(1, Math.ceil((windowStart(now, windowMs).getTime() + windowMs - now.getTime()) / 1000));

export const normalizeEmail = (email: string): string => email.trim().toLowerCase();

/** Rate-limit buckets: the email is kept only as a hash. */
export const emailBucket = (email: string): string => `email:${hashSecret(normalizeEmail(email))}`;
export const ipBucket = (ip: string | null): string => `ip:${ip ?? 'unknown'}`;
