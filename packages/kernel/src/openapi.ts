import { OpenAPIRegistry, OpenApiGeneratorV31 } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import { idempotent, type RouteDef, toOpenApiPath } from './http';

export const problemSchema = z.object({
  type: z.string(),
  title: z.string(),
  status: z.number().int(),
  detail: z.string(),
  instance: z.string().optional(),
  errors: z.array(z.object({ field: z.string(), message: z.string() })).optional(),
});

const problem = (description: string) => ({
  description,
  content: { 'application/problem+json': { schema: problemSchema } },
});

/** The Idempotency-Key header (IETF httpapi draft) every idempotent POST documents. */
const IDEMPOTENCY_HEADER = z.object({
  'idempotency-key': z.string().min(1).max(255).optional().meta({
    description:
      'Makes a retry safe: the first response to this key is stored for 24 h and replayed (header `idempotent-replayed: true`) to the same caller sending the same body; the same key with another body is 422; while the first request runs, a duplicate waits up to 10 s, then gets 409.',
  }),
});

/** Builds the OpenAPI 3.1 document from the same route definitions the server mounts. */
export function buildOpenApiDocument(
  routes: RouteDef[],
  info: { title: string; version: string; description?: string },
) {
  const registry = new OpenAPIRegistry();
  registry.registerComponent('securitySchemes', 'bearer', { type: 'http', scheme: 'bearer' });
  registry.registerComponent('securitySchemes', 'session', {
    type: 'apiKey',
    in: 'cookie',
    name: 'vigil_session',
    description:
      "The console's session cookie (GET /auth/callback sets it). Writes with it also need the X-CSRF-Token header and an Origin of this API.",
  });
  for (const r of routes) {
    const status = r.status ?? (r.method === 'post' ? 201 : 200);
    const ok =
      r.produces === 'html'
        ? { description: 'HTML page', content: { 'text/html': { schema: z.string() } } }
        : r.response
          ? { description: 'OK', content: { 'application/json': { schema: r.response } } }
          : { description: 'OK' };
    const body =
      r.body && r.bodyType !== 'raw'
        ? {
            body: {
              required: true,
              content:
                r.bodyType === 'multipart'
                  ? { 'multipart/form-data': { schema: r.body } }
                  : { 'application/json': { schema: r.body } },
            },
          }
        : {};
    registry.registerPath({
      method: r.method,
      path: toOpenApiPath(r.path),
      summary: r.summary,
      description: [r.description, r.roles ? `Roles: ${r.roles.join(', ')}.` : undefined]
        .filter(Boolean)
        .join('\n\n'),
      tags: [r.tag],
      security: r.auth === 'none' || r.auth === 'custom' ? [] : [{ bearer: [] }, { session: [] }],
      request: {
        ...(idempotent(r) ? { headers: IDEMPOTENCY_HEADER } : {}),
        ...(r.params ? { params: r.params as z.ZodObject } : {}),
        ...(r.query ? { query: r.query as z.ZodObject } : {}),
        ...body,
      },
      responses: {
        [status]: ok,
        400: problem('Invalid input; `errors` names each field'),
        ...(r.auth === 'none'
          ? {}
          : { 401: problem('Missing or invalid token'), 403: problem('Role not allowed') }),
        404: problem('Not found (or in another workspace)'),
        ...(idempotent(r)
          ? {
              409: problem('A request with the same Idempotency-Key is still in progress'),
              422: problem('The Idempotency-Key was used with a different request'),
            }
          : {}),
        ...Object.fromEntries(Object.entries(r.problems ?? {}).map(([k, d]) => [k, problem(d)])),
        503: problem('A dependency is unavailable'),
      },
    });
  }
  const generator = new OpenApiGeneratorV31(registry.definitions);
  return generator.generateDocument({ openapi: '3.1.0', info, servers: [{ url: '/' }] });
}
