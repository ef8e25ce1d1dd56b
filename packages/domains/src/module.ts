import type { RouteDef } from '@vigil/kernel/http';
import type { AppDeps } from './deps';
import type { MemberHook, OffboardPreviewHook } from './hooks';
import type { WorkflowStarter } from './obligations/commands';
import type { KindAdapter } from './obligations/kinds';
import type { Sweep } from './schedules';

/**
 * What a domain contributes to the composition roots. Each domain folder's
 * index.ts exports one; registry.ts, routes.ts, sweeps.ts and schedules.ts
 * gather them, so domains never edit shared wiring.
 */
export interface DomainModule {
  name: string;
  routes?: RouteDef<AppDeps>[];
  kinds?: KindAdapter[];
  hooks?: {
    memberScopeChanged?: MemberHook[];
    memberOffboarded?: MemberHook[];
    offboardPreview?: OffboardPreviewHook[];
  };
  /** Set-based sweeps, each declared once with its schedule (see sweeps.ts, schedules.ts). */
  sweeps?: Sweep[];
  /** Activities beyond the engine's (e.g. a recurring definition's planner). */
  activities?: (deps: AppDeps) => Record<string, (...args: never[]) => Promise<unknown>>;
  /** Starters of the workflows its own workflow-command kinds name (see obligations/commands.ts). */
  workflowStarters?: Record<string, WorkflowStarter>;
}
