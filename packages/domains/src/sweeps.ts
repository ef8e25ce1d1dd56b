import type { AppDeps } from './deps';
import { DOMAIN_MODULES } from './modules';

/**
 * Set-based safety nets, run by Temporal Schedules through `sweepWorkflow`.
 * Each returns counts of what it corrected, recorded in the workflow result.
 */
export const SWEEPS: Record<string, (deps: AppDeps) => Promise<Record<string, unknown>>> = Object.assign(
  {},
  ...DOMAIN_MODULES.map((m) => m.sweeps ?? {}),
);
