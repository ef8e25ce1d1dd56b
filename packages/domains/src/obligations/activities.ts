import { sql } from 'drizzle-orm';
import type { AppDeps } from '../deps';

/** Activities are created with the worker's dependencies (one pool per worker). */
export function obligationActivities(deps: Pick<AppDeps, 'db'>) {
  return {
    async probeDatabase(): Promise<string> {
      const res = await deps.db.execute(sql`SELECT now()::text AS now`);
      return String((res.rows[0] as { now: string }).now);
    },
  };
}

export type ObligationActivities = ReturnType<typeof obligationActivities>;
export declare const probeDatabase: ObligationActivities['probeDatabase'];
