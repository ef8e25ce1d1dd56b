import type { Config } from '@vigil/kernel/config';
import { Forbidden, Unauthorized } from '@vigil/kernel/errors';
import type { Request, Response } from 'express';
import type { Executor } from '../db';
import { ownOrigins, readCookie, setSessionCookies } from './cookies';
import { CSRF_HEADER, csrfProblem, SESSION_COOKIE } from './rules';
import { type AuthConfig, authenticateSession, type ClientMeta, type SessionAuth } from './service';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export const hasSessionCookie = (req: Request): boolean => readCookie(req, SESSION_COOKIE) !== undefined;

/**
 * The caller of a request that carries the session cookie (and no bearer token). An unsafe
 * method (POST, PUT, PATCH, DELETE) also needs `X-CSRF-Token` equal to the session's token and an
 * Origin (else Referer) that is this API's own: otherwise 403. A rotation sets the new cookies.
 */
export async function sessionCaller(
  db: Executor,
  config: AuthConfig & Pick<Config, 'PUBLIC_URL'>,
  req: Request,
  res: Response,
  meta: ClientMeta,
): Promise<SessionAuth> {
  const secret = readCookie(req, SESSION_COOKIE);
  if (!secret) throw new Unauthorized('Sign in, or send a bearer token');
  const auth = await authenticateSession(db, config, secret, meta);
  // A rotation is committed: the new cookie goes out even if the request is refused below.
  if (auth.rotatedSecret)
    setSessionCookies(req, res, {
      secret: auth.rotatedSecret,
      csrf: auth.session.csrfToken,
      expires: auth.session.expiresAt,
    });
  if (!SAFE_METHODS.has(req.method)) {
    const problem = csrfProblem({
      headerToken: req.get(CSRF_HEADER),
      sessionToken: auth.session.csrfToken,
      origin: req.get('origin'),
      referer: req.get('referer'),
      allowedOrigins: ownOrigins(req, config),
    });
    if (problem) throw new Forbidden(problem);
  }
  return auth;
}
