import type { Config } from '@vigil/kernel/config';
import { parse } from 'cookie';
import type { CookieOptions, Request, Response } from 'express';
import { CSRF_COOKIE, originOf, SESSION_COOKIE } from './rules';

/** The request's cookies (the `cookie` package's parser; no cookie-parser middleware needed). */
export function readCookie(req: Request, name: string): string | undefined {
  const header = req.headers.cookie;
  if (!header) return undefined;
  return parse(header)[name];
}

/** This API's own origins: PUBLIC_URL's, and the one the request reached (scheme per TRUST_PROXY). */
export function ownOrigins(req: Request, config: Pick<Config, 'PUBLIC_URL'>): string[] {
  const out: string[] = [];
  const pub = originOf(config.PUBLIC_URL);
  if (pub) out.push(pub);
  const host = req.get('host');
  const here = host ? originOf(`${req.protocol}://${host}`) : null;
  if (here && !out.includes(here)) out.push(here);
  return out;
}

/** Where links point: PUBLIC_URL (no trailing slash), else the origin the request reached. */
export function linkBase(req: Request, config: Pick<Config, 'PUBLIC_URL'>): string {
  if (config.PUBLIC_URL) return config.PUBLIC_URL.replace(/\/+$/, '');
  return ownOrigins(req, config)[0] ?? `${req.protocol}://127.0.0.1`;
}

const base = (req: Request): CookieOptions => ({ sameSite: 'lax', path: '/', secure: req.secure });

/**
 * Sets the session cookie (HttpOnly) and the CSRF cookie (readable by the console's script),
 * both SameSite=Lax, Path=/, Secure when the request is https (per TRUST_PROXY), until `expires`.
 */
export function setSessionCookies(
  req: Request,
  res: Response,
  s: { secret: string; csrf: string; expires: Date },
): void {
  res.cookie(SESSION_COOKIE, s.secret, { ...base(req), httpOnly: true, expires: s.expires });
  res.cookie(CSRF_COOKIE, s.csrf, { ...base(req), httpOnly: false, expires: s.expires });
}

export function clearSessionCookies(req: Request, res: Response): void {
  res.clearCookie(SESSION_COOKIE, { ...base(req), httpOnly: true });
  res.clearCookie(CSRF_COOKIE, { ...base(req), httpOnly: false });
}
