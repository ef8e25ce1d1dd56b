import type { AppDeps } from './deps';
import { DOMAIN_MODULES } from './modules';
import { obligationActivities } from './obligations/activities';
import { registerDomains } from './registry';

/** Every activity the worker registers, bound to its dependencies. */
export function createActivities(deps: AppDeps) {
  registerDomains();
  const extra = Object.assign({}, ...DOMAIN_MODULES.map((m) => m.activities?.(deps) ?? {}));
  return { ...obligationActivities(deps), ...extra };
}
