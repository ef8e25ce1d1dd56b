import type { Request, Response } from 'express';
import type { z } from 'zod';
import type { AccessRole, AuthContext } from './auth';
import { BadRequest, type FieldError } from './errors';
import { type InputPart, inputPolicyErrors } from './input-policy';

export type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';
type AnyObject = z.ZodType<Record<string, unknown>>;

/** What every HTTP operation declares besides its input schemas and handler. */
interface RouteMeta {
  method: Method;
  /** Express path, e.g. /workspaces/:ws/reminders/:id */
  path: string;
  summary: string;
  description?: string;
  tag: string;
  /** 'token' (default): bearer token; 'none': public; 'custom': the handler authenticates (Slack, signed links). */
  auth?: 'token' | 'none' | 'custom';
  /** Roles allowed. Reads default to every role; writes must say. */
  roles?: readonly AccessRole[];
  /** 'json' (default) or 'multipart' (the handler reads the upload) or 'raw' (the handler parses). */
  bodyType?: 'json' | 'multipart' | 'raw';
  response?: z.ZodType;
  status?: number;
  /** 'json' (default), 'html', or 'none' (the handler writes the response itself). */
  produces?: 'json' | 'html' | 'none';
  /** Further problem+json answers to document (status: description), e.g. a 429. */
  problems?: Record<number, string>;
}

/**
 * One HTTP operation: its contract (zod schemas, used both to validate and to
 * generate OpenAPI) and its handler. Domains export arrays of these from routes.ts.
 */
export interface RouteDef<D = unknown> extends RouteMeta {
  params?: AnyObject;
  query?: AnyObject;
  body?: z.ZodType;
  handler: (input: HandlerInput<D>) => unknown;
}

export interface HandlerInput<D> {
  // biome-ignore lint/suspicious/noExplicitAny: validated by the route's zod schemas at runtime
  params: any;
  // biome-ignore lint/suspicious/noExplicitAny: validated by the route's zod schemas at runtime
  query: any;
  // biome-ignore lint/suspicious/noExplicitAny: validated by the route's zod schemas at runtime
  body: any;
  /** The authenticated caller; absent on public ('none') and self-authenticating ('custom') routes. */
  ctx?: AuthContext;
  deps: D;
  req: Request;
  res: Response;
}

type Auth = NonNullable<RouteMeta['auth']>;
/** Token routes get the caller; public and custom ones get no context at all. */
type CallerOf<A extends Auth> = A extends 'token' ? { ctx: AuthContext } : { ctx?: never };

/** Typed helper: infers handler input types from the schemas while producing a plain RouteDef. */
export function route<
  D,
  P extends AnyObject,
  Q extends AnyObject,
  B extends z.ZodType,
  A extends Auth = 'token',
>(
  def: Omit<RouteMeta, 'auth'> & {
    auth?: A;
    params?: P;
    query?: Q;
    body?: B;
    handler: (
      input: {
        params: z.infer<P>;
        query: z.infer<Q>;
        body: z.infer<B>;
        deps: D;
        req: Request;
        res: Response;
      } & CallerOf<A>,
    ) => unknown;
  },
): RouteDef<D> {
  return def as RouteDef<D>;
}

/** Turns zod issues into field errors: `body.due_date`, `query.limit`, `path.id`. */
export function zodFieldErrors(where: InputPart, error: z.ZodError): FieldError[] {
  return error.issues.flatMap((issue) => {
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((k) => ({
        field: [where, ...issue.path.map(String), k].join('.'),
        message: 'Unknown field',
      }));
    }
    return [{ field: [where, ...issue.path.map(String)].join('.'), message: issue.message }];
  });
}

const badRequest = (errors: FieldError[], fallback: string): BadRequest => {
  const first = errors[0];
  return new BadRequest(first ? `Invalid ${first.field}: ${first.message}` : fallback, errors);
};

/**
 * Refuses input that breaks the input policy (NUL or lone surrogates in any string or key,
 * JSON nested too deep) with one 400 naming every offending field, before any schema runs.
 */
export function assertInputPolicy(parts: ReadonlyArray<readonly [InputPart, unknown]>): void {
  const errors = parts.flatMap(([where, value]) => inputPolicyErrors(where, value));
  if (errors.length) throw badRequest(errors, 'Invalid input');
}

/**
 * Validates one part of a request: the input policy, then the zod schema. `policyChecked`
 * skips the policy when the caller already ran assertInputPolicy on the same value.
 */
export function parseOrThrow<T>(
  where: InputPart,
  schema: z.ZodType<T>,
  value: unknown,
  opts: { policyChecked?: boolean } = {},
): T {
  if (!opts.policyChecked) assertInputPolicy([[where, value]]);
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  throw badRequest(zodFieldErrors(where, parsed.error), `Invalid ${where}`);
}

/** Express path params (:id) to OpenAPI ({id}). */
export const toOpenApiPath = (path: string): string => path.replace(/:([A-Za-z_][A-Za-z0-9_]*)/g, '{$1}');

/** Fixes the dependency type once per app so handlers get typed `deps` without annotations. */
export const routeBuilder =
  <D>() =>
  <P extends AnyObject, Q extends AnyObject, B extends z.ZodType, A extends Auth = 'token'>(
    def: Parameters<typeof route<D, P, Q, B, A>>[0],
  ) =>
    route<D, P, Q, B, A>(def);

/**
 * Checks a route definition when it is mounted: a write on a token route must name its roles
 * (reads default to every role), so a forgotten role list fails at start, not per request.
 */
export function assertRouteRoles(r: RouteMeta): void {
  if ((r.auth ?? 'token') === 'token' && r.method !== 'get' && !r.roles)
    throw new Error(`Route ${r.method.toUpperCase()} ${r.path} must declare its roles`);
}

/** POSTs with a bearer token and a JSON answer honour Idempotency-Key (uploads and custom handlers do not). */
export const idempotent = (r: RouteMeta): boolean =>
  r.method === 'post' &&
  (r.auth ?? 'token') === 'token' &&
  (r.bodyType ?? 'json') === 'json' &&
  (r.produces ?? 'json') === 'json';
