import type { Effects } from '@vigil/kernel/effects';
import { SA } from '@vigil/kernel/search-attributes';
import { type TemporalHandle, withTemporal } from '@vigil/kernel/temporal';
import pLimit from 'p-limit';
import type { Db } from '../db';
import { publicationOf } from './publication';
import type { ObligationKind } from './rules';
import { loadViews, type ObligationView, workflowIdFor } from './service';

/** Starts (or wakes) the obligation's workflow after the transaction that changed it has committed. */
export function signalAfterCommit(
  fx: Effects,
  temporal: TemporalHandle,
  o: { kind: ObligationKind; id: string; workspaceId: string; ownerId?: string | null },
): void {
  fx.add(`signal ${workflowIdFor(o.kind, o.id)}`, () => signalObligation(temporal, o));
}

type ObligationRef = { kind: ObligationKind; id: string; workspaceId: string; ownerId?: string | null };

/** Workflow id, task queue, input and initial search attributes of an obligation's workflow. */
function workflowOptions(temporal: TemporalHandle, o: ObligationRef) {
  return {
    workflowId: workflowIdFor(o.kind, o.id),
    taskQueue: temporal.taskQueue,
    args: [{ kind: o.kind, id: o.id, workspaceId: o.workspaceId }] as [ObligationInputArg],
    typedSearchAttributes: [
      { key: SA.WorkspaceId, value: o.workspaceId },
      { key: SA.ObligationKind, value: o.kind },
      ...(o.ownerId ? [{ key: SA.OwnerId, value: o.ownerId }] : []),
    ],
  };
}
type ObligationInputArg = { kind: string; id: string; workspaceId: string; initial?: ObligationView };

/** Wakes the obligation's workflow after a change (starting it if it is not running). */
export async function signalObligation(temporal: TemporalHandle, o: ObligationRef): Promise<void> {
  await withTemporal(temporal, () =>
    temporal.client.workflow.signalWithStart('obligationWorkflow', {
      ...workflowOptions(temporal, o),
      signal: 'changed',
      signalArgs: [],
    }),
  );
}

/**
 * Starts the workflows of obligations just committed, with bounded concurrency. Each
 * starts from the state read here in one set-based pass, with its search attributes
 * and memo, so its first task only arms a timer. Returns how many starts failed
 * (the reconcile sweep starts those later).
 */
export async function startObligations(
  deps: { db?: Db; temporal: TemporalHandle },
  kind: ObligationKind,
  refs: Array<{ id: string; workspaceId: string; ownerId?: string | null }>,
  concurrency = 32,
): Promise<number> {
  const limit = pLimit(concurrency);
  const chunk = Math.max(concurrency * 8, 256);
  let failed = 0;
  const { db } = deps;
  const read = (ids: string[]) =>
    db ? loadViews(db, kind, ids) : Promise.resolve(new Map<string, ObligationView>());
  let next = read(refs.slice(0, chunk).map((r) => r.id));
  for (let i = 0; i < refs.length; i += chunk) {
    const views = await next.catch(() => new Map<string, ObligationView>());
    const batch = refs.slice(i, i + chunk);
    // Read the next batch while this one starts.
    next = read(refs.slice(i + chunk, i + 2 * chunk).map((r) => r.id));
    const results = await Promise.allSettled(
      batch.map((r) =>
        limit(async () => {
          const view = views.get(r.id);
          if (!view) return startObligation(deps.temporal, { kind, ...r });
          const p = publicationOf(view);
          const options = workflowOptions(deps.temporal, { kind, ...r });
          await withTemporal(deps.temporal, () =>
            deps.temporal.client.workflow.start('obligationWorkflow', {
              ...options,
              args: [{ ...options.args[0], initial: view }],
              typedSearchAttributes: p.searchAttributes,
              memo: p.memo,
              workflowIdConflictPolicy: 'USE_EXISTING',
            }),
          );
        }),
      ),
    );
    failed += results.filter((r) => r.status === 'rejected').length;
  }
  await next.catch(() => undefined);
  return failed;
}

/**
 * Starts a new obligation's workflow, or leaves the running one alone (conflict
 * policy USE_EXISTING): the id is the business key, so a repeat is harmless.
 */
export async function startObligation(temporal: TemporalHandle, o: ObligationRef): Promise<void> {
  await withTemporal(temporal, () =>
    temporal.client.workflow.start('obligationWorkflow', {
      ...workflowOptions(temporal, o),
      workflowIdConflictPolicy: 'USE_EXISTING',
    }),
  );
}
