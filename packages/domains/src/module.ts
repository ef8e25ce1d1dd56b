import type { RouteDef } from '@vigil/kernel/http';
import type { AppDeps } from './deps';
import type { MemberHook } from './hooks';
import type { KindAdapter } from './obligations/kinds';
import type { SweepSchedule } from './schedules';

/**
 * What a domain contributes to the composition roots. Each domain folder's
 * index.ts exports one; registry.ts, routes.ts, sweeps.ts and schedules.ts
 * gather them, so domains never edit shared wiring.
 */
export interface DomainModule {
  name: string;
  routes?: RouteDef<AppDeps>[];
  kinds?: KindAdapter[];
  hooks?: { memberScopeChanged?: MemberHook[]; memberOffboarded?: MemberHook[] };
  /** Set-based sweeps by schedule id (see sweeps.ts); each returns counts of what it corrected. */
  sweeps?: Record<string, (deps: AppDeps) => Promise<Record<string, unknown>>>;
  schedules?: SweepSchedule[];
  /** Activities beyond the engine's (e.g. a recurring definition's planner). */
  activities?: (deps: AppDeps) => Record<string, (...args: never[]) => Promise<unknown>>;
}
