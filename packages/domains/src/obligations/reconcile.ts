import type { TemporalHandle } from '@vigil/kernel/temporal';
import type { Db } from '../db';
import { startObligation } from './client';
import { registeredKinds } from './kinds';
import { workflowIdFor } from './service';

export interface ReconcileResult {
  checked: number;
  started: number;
  byKind: Record<string, { checked: number; started: number }>;
}

/**
 * Starts every obligation workflow that should be running and is not (the API
 * failed to start it, or it was terminated). Open rows come from Postgres;
 * running workflows from a visibility query; starts use USE_EXISTING, so a race
 * with visibility lag is harmless.
 */
export async function reconcileObligations(
  deps: { db: Db; temporal: TemporalHandle },
  opts: {
    workspaceId?: string | null;
    batch?: number;
    onProgress?: (done: number, kind: string) => void;
  } = {},
): Promise<ReconcileResult> {
  const result: ReconcileResult = { checked: 0, started: 0, byKind: {} };
  const batch = opts.batch ?? 500;
  for (const adapter of registeredKinds()) {
    if (!adapter.openIds) continue;
    const stats = { checked: 0, started: 0 };
    result.byKind[adapter.kind] = stats;
    const running = new Set<string>();
    const scope = opts.workspaceId ? ` AND WorkspaceId = '${opts.workspaceId}'` : '';
    for await (const wf of deps.temporal.client.workflow.list({
      query: `ObligationKind = '${adapter.kind}' AND ExecutionStatus = 'Running'${scope}`,
    })) {
      running.add(wf.workflowId);
    }
    let after: string | null = null;
    for (;;) {
      const rows = await adapter.openIds(deps.db, opts.workspaceId ?? null, batch, after);
      if (!rows.length) break;
      for (const row of rows) {
        stats.checked++;
        const workflowId = workflowIdFor(adapter.kind, row.id);
        if (running.has(workflowId)) continue;
        await startObligation(deps.temporal, {
          kind: adapter.kind,
          id: row.id,
          workspaceId: row.workspaceId,
        });
        stats.started++;
      }
      after = rows[rows.length - 1]?.id ?? null;
      opts.onProgress?.(stats.checked, adapter.kind);
    }
    result.checked += stats.checked;
    result.started += stats.started;
  }
  return result;
}
