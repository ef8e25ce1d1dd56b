import type { AppDeps } from './deps';
import { notificationActivities } from './notifications/activities';
import { obligationActivities } from './obligations/activities';
import { registerDomains } from './registry';

/** Every activity the worker registers, bound to its dependencies. */
export function createActivities(deps: AppDeps) {
  registerDomains();
  return { ...obligationActivities(deps), ...notificationActivities(deps) };
}
