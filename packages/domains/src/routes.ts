import type { RouteDef } from '@vigil/kernel/http';
import type { AppDeps } from './deps';
import { DOMAIN_MODULES } from './modules';

/** Every domain's HTTP operations; the API mounts them and OpenAPI is generated from them. */
export const allRoutes: RouteDef<AppDeps>[] = DOMAIN_MODULES.flatMap((m) => m.routes ?? []);
