import { assertPurposeAllows } from '@vigil/domains/auth/purpose';
import { hasSessionCookie, sessionCaller } from '@vigil/domains/auth/request';
import type { AppDeps } from '@vigil/domains/deps';
import { authenticate } from '@vigil/domains/people/access';
import {
  claimIdempotencyKey,
  completeIdempotencyKey,
  releaseIdempotencyKey,
  validateIdempotencyKey,
} from '@vigil/domains/people/idempotency';
import { type AuthContext, requireRole } from '@vigil/kernel/auth';
import { rowsOfResult, sendCsv, wantsCsv, withFormat } from '@vigil/kernel/csv';
import { NotFound, Unauthorized } from '@vigil/kernel/errors';
import {
  assertInputPolicy,
  assertRouteRoles,
  idempotent,
  parseOrThrow,
  type RouteDef,
} from '@vigil/kernel/http';
import type { Request, Response, Router } from 'express';

/** Static segments sort before parameters, so /reminders/calendar wins over /reminders/:id. */
export function compareRoutes(a: { path: string }, b: { path: string }): number {
  const sa = a.path.split('/');
  const sb = b.path.split('/');
  for (let i = 0; i < Math.min(sa.length, sb.length); i++) {
    const pa = sa[i]?.startsWith(':') ? 1 : 0;
    const pb = sb[i]?.startsWith(':') ? 1 : 0;
    if (pa !== pb) return pa - pb;
  }
  return sb.length - sa.length;
}

/** The file name of a route's CSV export: its last static path segment (`overdue`, `audit-logs`). */
const csvName = (path: string) =>
  path
    .split('/')
    .filter((seg) => seg && !seg.startsWith(':'))
    .at(-1) ?? 'export';

export function clientMeta(req: Request) {
  return { ip: req.ip ?? null, userAgent: req.get('user-agent')?.slice(0, 500) ?? null };
}

/**
 * The caller: a bearer token when the request has an Authorization header (unchanged, and exempt
 * from the CSRF check), else the console's session cookie (auth/request.ts: an unsafe method also
 * needs the X-CSRF-Token header and an Origin of this API's own).
 */
async function resolveCaller(req: Request, res: Response, deps: AppDeps): Promise<AuthContext> {
  const header = req.get('authorization');
  if (header === undefined && hasSessionCookie(req))
    return (await sessionCaller(deps.db, deps.config, req, res, clientMeta(req))).ctx;
  const m = /^Bearer\s+(\S+)$/i.exec(header ?? '');
  if (!m?.[1]) throw new Unauthorized();
  return authenticate(deps.db, m[1], clientMeta(req));
}

/**
 * Mounts route definitions: authenticate, check the workspace in the path
 * (another workspace's id is a 404), check the role, apply the input policy to the
 * path, query and JSON body (NUL, lone surrogates, deep JSON: 400 naming each field,
 * whether or not the route declares a schema for that part), validate them with zod
 * (unknown fields are 400), then run the handler.
 */
export function mountRoutes(router: Router, routes: RouteDef<AppDeps>[], deps: AppDeps): void {
  for (const r of [...routes].sort(compareRoutes)) {
    assertRouteRoles(r);
    router[r.method](r.path, async (req: Request, res: Response) => {
      const auth = r.auth ?? 'token';
      // Public and custom routes authenticate themselves (or not at all): they get no caller.
      const ctx: AuthContext | undefined = auth === 'token' ? await resolveCaller(req, res, deps) : undefined;
      if (ctx) {
        const ws = (req.params as Record<string, string>).ws;
        if (ws !== undefined && ws !== ctx.workspaceId) throw new NotFound('Workspace', ws);
        if (r.roles) requireRole(ctx, r.roles);
        // A session opened by an acknowledgement link reaches only the routes of that purpose.
        if (ctx.purpose) await assertPurposeAllows(deps.db, ctx, r, req);
      }
      const jsonBody = r.bodyType !== 'raw' && r.bodyType !== 'multipart';
      assertInputPolicy([
        ['path', req.params],
        ['query', req.query],
        ['body', jsonBody ? req.body : undefined],
      ]);
      const checked = { policyChecked: true };
      const params = r.params ? parseOrThrow('path', r.params, req.params, checked) : req.params;
      const parsedQuery: Record<string, unknown> = r.query
        ? parseOrThrow('query', r.csv ? withFormat(r.query) : r.query, req.query, checked)
        : r.csv
          ? parseOrThrow('query', withFormat(undefined), req.query, checked)
          : {};
      // a CSV route's `format` chooses the answer's type; its handler never sees it
      const { format, ...csvQuery } = r.csv ? parsedQuery : { format: undefined };
      const query = r.csv ? csvQuery : parsedQuery;
      const body = r.body && jsonBody ? parseOrThrow('body', r.body, req.body, checked) : req.body;
      const status = r.status ?? (r.method === 'post' ? 201 : 200);
      const key = ctx && idempotent(r) ? req.get('idempotency-key') : undefined;
      if (ctx && key !== undefined) {
        // Idempotency-Key: the first response is stored and replayed (people/idempotency.ts).
        validateIdempotencyKey(key);
        const ref = { workspaceId: ctx.workspaceId, caller: ctx.tokenId ?? ctx.memberId, key };
        const claim = await claimIdempotencyKey(deps.db, { ...ref, method: 'POST', path: req.path, body });
        if (claim.type === 'replay') {
          res.status(claim.status).set('idempotent-replayed', 'true').type('json').send(claim.body);
          return;
        }
        let text: string;
        try {
          text = JSON.stringify((await r.handler({ params, query, body, ctx, deps, req, res })) ?? null);
        } catch (err) {
          await releaseIdempotencyKey(deps.db, ref).catch(() => undefined);
          throw err;
        }
        if (res.headersSent) return void (await releaseIdempotencyKey(deps.db, ref));
        await completeIdempotencyKey(deps.db, ref, status, text);
        res.status(status).type('json').send(text);
        return;
      }
      if (r.csv && wantsCsv(req, format)) {
        const input = { params, query, body, ctx, deps, req, res };
        const rows = r.csv.rows ? r.csv.rows(input) : rowsOfResult(await r.handler(input));
        await sendCsv(req, res, r.csv.columns, rows, `${csvName(r.path)}.csv`);
        return;
      }
      const result = await r.handler({ params, query, body, ctx, deps, req, res });
      if (r.produces === 'none' || res.headersSent) return;
      if (r.produces === 'html') {
        res.status(status).type('html').send(String(result));
        return;
      }
      res.status(status).json(result ?? null);
    });
  }
}
