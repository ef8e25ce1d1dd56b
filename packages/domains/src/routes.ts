import type { RouteDef } from '@vigil/kernel/http';
import { auditRoutes } from './audit/routes';
import type { AppDeps } from './deps';
import { escalationRoutes } from './escalation/routes';
import { DOMAIN_MODULES } from './modules';
import { notificationRoutes } from './notifications/routes';
import { peopleRoutes } from './people/routes';

/** Every domain's HTTP operations; the API mounts them and OpenAPI is generated from them. */
export const allRoutes: RouteDef<AppDeps>[] = [
  ...peopleRoutes,
  ...auditRoutes,
  ...escalationRoutes,
  ...notificationRoutes,
  ...DOMAIN_MODULES.flatMap((m) => m.routes ?? []),
];
