import { allRoutes } from '@vigil/domains/routes';
import type { RouteDef } from '@vigil/kernel/http';
import { buildOpenApiDocument } from '@vigil/kernel/openapi';
import { z } from 'zod';

const opsRoutes: RouteDef[] = [
  {
    method: 'get',
    path: '/healthz',
    tag: 'Operations',
    summary: 'Liveness: the process is up',
    auth: 'none',
    response: z.object({ status: z.literal('ok') }),
    handler: () => undefined,
  },
  {
    method: 'get',
    path: '/readyz',
    tag: 'Operations',
    summary: 'Readiness: Postgres and Temporal answer (503 otherwise)',
    auth: 'none',
    response: z.object({ status: z.enum(['ok', 'unavailable']), postgres: z.string(), temporal: z.string() }),
    handler: () => undefined,
  },
];

export function openApiDocument() {
  return buildOpenApiDocument([...opsRoutes, ...(allRoutes as RouteDef[])], {
    title: 'Vigil API',
    version: '0.1.0',
    description:
      'Compliance operations: obligations (training, certifications, reminders, policy acknowledgements, tickets) as Postgres rows plus durable Temporal workflows. Errors are application/problem+json naming the offending field.',
  });
}
