import createClient, { type Middleware } from 'openapi-fetch';
import type { paths } from './schema';

/** An error answer of the API (application/problem+json), or a network failure. */
export class ProblemError extends Error {
  readonly status: number;
  readonly title: string;
  readonly detail: string;
  readonly errors: Array<{ field: string; message: string }>;

  constructor(status: number, body: unknown) {
    const p = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
    const title = typeof p.title === 'string' ? p.title : status === 0 ? 'Network error' : `HTTP ${status}`;
    const detail =
      typeof p.detail === 'string'
        ? p.detail
        : typeof body === 'string' && body
          ? body.slice(0, 300)
          : 'The request failed.';
    super(detail);
    this.status = status;
    this.title = title;
    this.detail = detail;
    this.errors = Array.isArray(p.errors) ? (p.errors as ProblemError['errors']) : [];
  }
}

export const readCookie = (name: string): string | null => {
  const hit = document.cookie.split('; ').find((c) => c.startsWith(`${name}=`));
  return hit ? decodeURIComponent(hit.slice(name.length + 1)) : null;
};

let sessionCsrf: string | null = null;
/** The session's CSRF token (from GET /auth/session), used when the cookie is not readable. */
export const setCsrfToken = (token: string | null) => {
  sessionCsrf = token;
};
export const csrfToken = (): string | null => readCookie('vigil_csrf') ?? sessionCsrf;

const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);

/** Cookie-authenticated writes carry the CSRF token; a 401 means the session is gone. */
const sessionMiddleware: Middleware = {
  onRequest({ request }) {
    if (!SAFE.has(request.method)) {
      const token = csrfToken();
      if (token) request.headers.set('X-CSRF-Token', token);
    }
    return request;
  },
  onResponse({ request, response }) {
    if (response.status === 401 && !new URL(request.url).pathname.startsWith('/auth/')) onUnauthorized();
    return response;
  },
};

let onUnauthorized: () => void = () => undefined;
export const setUnauthorizedHandler = (fn: () => void) => {
  onUnauthorized = fn;
};

/** The typed client: paths and bodies come from the API's OpenAPI document (schema.d.ts). */
export const api = createClient<paths, 'application/json'>({
  baseUrl: window.location.origin,
  credentials: 'same-origin',
});
api.use(sessionMiddleware);

interface FetchResult<T> {
  data?: T;
  error?: unknown;
  response: Response;
}

/** Resolves to the body of a 2xx answer; throws a ProblemError with the API's detail otherwise. */
export async function unwrap<T>(call: Promise<FetchResult<T>>): Promise<T> {
  let result: FetchResult<T>;
  try {
    result = await call;
  } catch (err) {
    throw new ProblemError(0, { detail: err instanceof Error ? err.message : String(err) });
  }
  if (!result.response.ok) throw new ProblemError(result.response.status, result.error);
  return result.data as T;
}
