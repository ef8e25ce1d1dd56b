import { sql } from 'drizzle-orm';
import type { AppDeps } from '../deps';
import { SWEEPS } from '../sweeps';
import { loadView, type ObligationView, performStep, type StepOutcome } from './service';

/** Activities are created with the worker's dependencies (one pool per worker). */
export function obligationActivities(deps: AppDeps) {
  return {
    async probeDatabase(): Promise<string> {
      const res = await deps.db.execute(sql`SELECT now()::text AS now`);
      return String((res.rows[0] as { now: string }).now);
    },
    /** Re-reads the obligation and computes its next step with the activity's clock. */
    async loadObligation(kind: string, id: string): Promise<ObligationView> {
      return loadView(deps.db, kind, id);
    },
    async performObligationStep(
      kind: string,
      id: string,
      stepKey: string,
    ): Promise<{ outcome: StepOutcome; notificationIds: string[]; view: ObligationView }> {
      // The step returns the state it left behind (read in its own transaction).
      return performStep(deps, kind, id, stepKey);
    },
    /** Runs a named sweep (see sweeps.ts). */
    async runSweep(name: string): Promise<Record<string, unknown>> {
      const sweep = SWEEPS[name];
      if (!sweep) throw new Error(`Unknown sweep ${name}`);
      const started = Date.now();
      const result = await sweep(deps);
      deps.log.info({ sweep: name, ...result, ms: Date.now() - started }, 'sweep finished');
      return { ...result, ms: Date.now() - started };
    },
  };
}

export type ObligationActivities = ReturnType<typeof obligationActivities>;
