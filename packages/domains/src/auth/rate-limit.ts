import type { Config } from '@vigil/kernel/config';
import { AppError } from '@vigil/kernel/errors';
import { sql } from 'drizzle-orm';
import type { Db, Executor } from '../db';
import { emailBucket, ipBucket, retryAfterSeconds, windowStart } from './rules';
import { authRateLimits } from './schema';

type LimitConfig = Pick<
  Config,
  'SIGN_IN_LIMIT_PER_EMAIL' | 'SIGN_IN_LIMIT_PER_IP' | 'SIGN_IN_LIMIT_WINDOW_SECONDS'
>;

/** 429 with the seconds to wait (the route sets Retry-After). */
export class TooManyRequests extends AppError {
  constructor(
    message: string,
    readonly retryAfter: number,
  ) {
    super(429, 'Too Many Requests', message);
  }
}

/** Counts one attempt in a fixed window; true while the bucket is within its limit. */
async function hit(db: Executor, bucket: string, start: Date, limit: number): Promise<boolean> {
  const [row] = await db
    .insert(authRateLimits)
    .values({ bucket, windowStart: start, hits: 1 })
    .onConflictDoUpdate({
      target: [authRateLimits.bucket, authRateLimits.windowStart],
      set: { hits: sql`${authRateLimits.hits} + 1` },
    })
    .returning({ hits: authRateLimits.hits });
  return (row?.hits ?? 1) <= limit;
}

/** Per-IP and per-email limits on sign-in requests, counted whether or not the email is known. */
export async function checkSignInRate(db: Db, config: LimitConfig, email: string, ip: string | null) {
  const windowMs = config.SIGN_IN_LIMIT_WINDOW_SECONDS * 1000;
  const now = new Date();
  const start = windowStart(now, windowMs);
  const ipOk = await hit(db, ipBucket(ip), start, config.SIGN_IN_LIMIT_PER_IP);
  const emailOk = ipOk && (await hit(db, emailBucket(email), start, config.SIGN_IN_LIMIT_PER_EMAIL));
  if (!ipOk || !emailOk)
    throw new TooManyRequests(
      'Too many sign-in requests; wait before asking for another link',
      retryAfterSeconds(now, windowMs),
    );
}
