import type { AppDeps } from './deps';
import { DOMAIN_MODULES } from './modules';

/**
 * Set-based safety nets by id, run by Temporal Schedules through `sweepWorkflow`.
 * Each returns counts of what it corrected, recorded in the workflow result.
 */
export const SWEEPS: Record<string, (deps: AppDeps) => Promise<Record<string, unknown>>> = Object.fromEntries(
  DOMAIN_MODULES.flatMap((m) => m.sweeps ?? []).map((s) => [s.id, s.run]),
);
