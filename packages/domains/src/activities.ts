import type { AppDeps } from './deps';
import { obligationActivities } from './obligations/activities';

/** Every activity the worker registers, bound to its dependencies. */
export function createActivities(deps: AppDeps) {
  return { ...obligationActivities(deps) };
}
