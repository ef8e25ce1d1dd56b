import { ACCESS_ROLES, WRITERS } from '@vigil/kernel/auth';
import { AppError, Unauthorized } from '@vigil/kernel/errors';
import { eq } from 'drizzle-orm';
import type { Request } from 'express';
import { z } from 'zod';
import { idParam, ts } from '../api-schemas';
import { route } from '../deps';
import { members, workspaces } from '../people/schema';
import { hasReports } from '../people/visibility';
import { clearSessionCookies, linkBase, setSessionCookies } from './cookies';
import { sessionCaller } from './request';
import { safeNextPath, sessionEndsAt } from './rules';
import { SESSION_PURPOSES } from './schema';
import {
  checkSignInRate,
  consumeSignInLink,
  listOwnSessions,
  requestSignIn,
  revokeSession,
  sessionTimes,
  TooManyRequests,
} from './service';

const T = 'Sign-in and sessions';
const meta = (req: Request) => ({
  ip: req.ip ?? null,
  userAgent: req.get('user-agent')?.slice(0, 500) ?? null,
});

const sessionSchema = z.object({
  session_id: z.uuid(),
  member_id: z.uuid(),
  workspace_id: z.uuid(),
  workspace_name: z.string(),
  email: z.string(),
  name: z.string(),
  access_role: z.enum(ACCESS_ROLES),
  has_reports: z
    .boolean()
    .describe(
      'Whether the member manages anyone or leads a team with members (their "My team" page has content)',
    ),
  csrf_token: z.string().describe('Send it back as the X-CSRF-Token header on every write'),
  expires_at: ts.describe('When the session ends unless used again (idle timeout), at most its absolute end'),
  purpose: z
    .enum(SESSION_PURPOSES)
    .nullable()
    .describe(
      'acknowledge: opened by an emailed acknowledgement link, it may only read and acknowledge that link’s policies (scope_ids); null: the whole console',
    ),
  scope_ids: z.array(z.uuid()).describe('With a purpose: the acknowledgement obligations it covers'),
});
const sessionListItem = z.object({
  id: z.uuid(),
  current: z.boolean(),
  ip_address: z.string().nullable(),
  user_agent: z.string().nullable(),
  last_ip_address: z.string().nullable(),
  last_user_agent: z.string().nullable(),
  created_at: ts,
  last_seen_at: ts,
  expires_at: ts,
});

const COOKIE_NOTE =
  'Authenticated by the `vigil_session` cookie. A write (POST, PUT, PATCH, DELETE) with the cookie also needs the `X-CSRF-Token` header (the `csrf_token` of GET /auth/session, also in the `vigil_csrf` cookie) and an Origin or Referer of this API; otherwise 403. Bearer-token requests need neither.';

export const authRoutes = [
  route({
    method: 'post',
    path: '/auth/sign-in',
    tag: T,
    auth: 'none',
    status: 202,
    summary: 'Ask for a one-time sign-in link by email',
    description:
      'Always 202 `{"status":"SENT"}`, whether or not the email belongs to anyone. For each active member with this email (in `workspace_id` when given) a link valid for 15 minutes (SIGN_IN_LINK_TTL_SECONDS), usable once, is queued through the notifications outbox: email when SendGrid is configured, a Slack DM when Slack is, otherwise the log channel (which keeps no secret: use `npm run admin -- sign-in-link`). The link is `<PUBLIC_URL or this origin>/auth/callback?token=…`; its token is never returned by any API. Rate-limited per email (SIGN_IN_LIMIT_PER_EMAIL) and per client address (SIGN_IN_LIMIT_PER_IP) in a SIGN_IN_LIMIT_WINDOW_SECONDS window: beyond, 429 problem+json with Retry-After.',
    body: z.strictObject({ email: z.email().max(320), workspace_id: z.uuid().optional() }),
    response: z.object({ status: z.literal('SENT') }),
    problems: { 429: 'Too many sign-in requests for this email or from this address (Retry-After)' },
    handler: async ({ body, deps, req, res }) => {
      try {
        await checkSignInRate(deps.db, deps.config, body.email, req.ip ?? null);
      } catch (err) {
        if (err instanceof TooManyRequests) res.set('retry-after', String(err.retryAfter));
        throw err;
      }
      await requestSignIn(
        deps.db,
        deps.config,
        { email: body.email, workspaceId: body.workspace_id, baseUrl: linkBase(req, deps.config) },
        meta(req),
      );
      return { status: 'SENT' as const };
    },
  }),
  route({
    method: 'get',
    path: '/auth/callback',
    tag: T,
    auth: 'none',
    status: 303,
    produces: 'none',
    summary: 'Follow a sign-in link: opens a session and redirects',
    description:
      'Uses the link once and opens a session: sets `vigil_session` (HttpOnly, SameSite=Lax, Path=/, Secure over https per TRUST_PROXY) and `vigil_csrf` (readable by the page, SameSite=Lax), then 303 to `next` (a path on this site only) or `/`. An unknown, used or expired link: 303 to `/sign-in?error=link_expired`. Audited as SIGNED_IN with the client address and user agent.',
    query: z.object({ token: z.string().max(200).optional(), next: z.string().max(2000).optional() }),
    handler: async ({ query, deps, req, res }) => {
      res.set('cache-control', 'no-store');
      const opened = query.token
        ? await consumeSignInLink(deps.db, deps.config, query.token, meta(req))
        : null;
      if (!opened) return void res.redirect(303, '/sign-in?error=link_expired');
      setSessionCookies(req, res, {
        secret: opened.secret,
        csrf: opened.session.csrfToken,
        expires: opened.session.expiresAt,
      });
      res.redirect(303, safeNextPath(query.next));
    },
  }),
  route({
    method: 'get',
    path: '/auth/session',
    tag: T,
    auth: 'custom',
    summary: 'The signed-in member and the CSRF token of this session',
    description: `${COOKIE_NOTE} Without a valid session: 401 problem+json.`,
    response: sessionSchema,
    handler: async ({ deps, req, res }) => {
      res.set('cache-control', 'no-store');
      const { session, ctx } = await sessionCaller(deps.db, deps.config, req, res, meta(req));
      const [row] = await deps.db
        .select({ m: members, ws: workspaces.name })
        .from(members)
        .innerJoin(workspaces, eq(workspaces.id, members.workspaceId))
        .where(eq(members.id, ctx.memberId));
      if (!row) throw new Unauthorized('The session has ended; sign in again');
      return {
        session_id: session.id,
        member_id: row.m.id,
        workspace_id: row.m.workspaceId,
        workspace_name: row.ws,
        email: row.m.email,
        name: row.m.name,
        access_role: ctx.role,
        has_reports: await hasReports(deps.db, ctx),
        csrf_token: session.csrfToken,
        expires_at: sessionEndsAt(session, sessionTimes(deps.config)).toISOString(),
        purpose: session.purpose ?? null,
        scope_ids: session.scopeIds ?? [],
      };
    },
  }),
  route({
    method: 'post',
    path: '/auth/sign-out',
    tag: T,
    auth: 'custom',
    status: 204,
    produces: 'none',
    summary: 'Sign out: revokes this session and clears its cookies',
    description: `${COOKIE_NOTE} A request whose session has already ended just clears the cookies (204).`,
    handler: async ({ deps, req, res }) => {
      try {
        const { ctx, session } = await sessionCaller(deps.db, deps.config, req, res, meta(req));
        await revokeSession(deps.db, ctx, session.id, 'SIGNED_OUT');
      } catch (err) {
        if (!(err instanceof AppError && err.status === 401)) throw err;
      }
      clearSessionCookies(req, res);
      res.status(204).end();
    },
  }),
  route({
    method: 'get',
    path: '/auth/sessions',
    tag: T,
    summary: "The caller's own sessions that are still open, newest first",
    description: `Bearer token or session cookie. \`current\` marks the session of this request. ${COOKIE_NOTE}`,
    response: z.object({ data: z.array(sessionListItem) }),
    handler: async ({ ctx, deps }) => {
      const rows = await listOwnSessions(deps.db, ctx, deps.config);
      const times = sessionTimes(deps.config);
      return {
        data: rows.map((s) => ({
          id: s.id,
          current: s.id === ctx.sessionId,
          ip_address: s.ipAddress,
          user_agent: s.userAgent,
          last_ip_address: s.lastIpAddress,
          last_user_agent: s.lastUserAgent,
          created_at: s.createdAt.toISOString(),
          last_seen_at: s.lastSeenAt.toISOString(),
          expires_at: sessionEndsAt(s, times).toISOString(),
        })),
      };
    },
  }),
  route({
    method: 'delete',
    path: '/auth/sessions/:id',
    tag: T,
    status: 204,
    produces: 'none',
    summary: 'Revoke one of your own sessions',
    description: `Another member's session, or an unknown or already revoked one: 404. Revoking the session of this request also clears its cookies. Auditors, who write nothing, end their session with POST /auth/sign-out. ${COOKIE_NOTE}`,
    // Auditors write nothing (they sign out with POST /auth/sign-out).
    roles: WRITERS,
    params: idParam,
    handler: async ({ params, ctx, deps, req, res }) => {
      await revokeSession(deps.db, ctx, params.id);
      if (params.id === ctx.sessionId) clearSessionCookies(req, res);
      res.status(204).end();
    },
  }),
];
