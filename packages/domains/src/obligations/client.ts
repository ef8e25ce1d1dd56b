import { SA } from '@vigil/kernel/search-attributes';
import { type TemporalHandle, withTemporal } from '@vigil/kernel/temporal';
import pLimit from 'p-limit';
import type { Db } from '../db';
import { publicationOf } from './publication';
import type { ObligationKind } from './rules';
import { loadViews, type ObligationView, workflowIdFor } from './service';
import { changedSignal, WORKFLOW_TYPES } from './signals';

export { changedSignal, stateQuery } from './signals';
export { workflowIdFor };

export type ObligationRef = {
  kind: ObligationKind;
  id: string;
  workspaceId: string;
  ownerId?: string | null;
};
type ObligationInputArg = { kind: string; id: string; workspaceId: string; initial?: ObligationView };

/** Where a workflow runs: the task queue its command names, else this process's. */
export interface StartOptions {
  taskQueue?: string;
}

/** Workflow id, task queue, input and initial search attributes of an obligation's workflow. */
function workflowOptions(temporal: TemporalHandle, o: ObligationRef, opts: StartOptions = {}) {
  return {
    workflowId: workflowIdFor(o.kind, o.id),
    taskQueue: opts.taskQueue ?? temporal.taskQueue,
    args: [{ kind: o.kind, id: o.id, workspaceId: o.workspaceId }] as [ObligationInputArg],
    typedSearchAttributes: [
      { key: SA.WorkspaceId, value: o.workspaceId },
      { key: SA.ObligationKind, value: o.kind },
      ...(o.ownerId ? [{ key: SA.OwnerId, value: o.ownerId }] : []),
    ],
  };
}

/** Wakes the obligation's workflow after a change (starting it if it is not running). */
export async function signalObligation(
  temporal: TemporalHandle,
  o: ObligationRef,
  opts: StartOptions = {},
): Promise<void> {
  await withTemporal(temporal, () =>
    temporal.client.workflow.signalWithStart(WORKFLOW_TYPES.obligation, {
      ...workflowOptions(temporal, o, opts),
      signal: changedSignal,
      signalArgs: [],
    }),
  );
}

/**
 * Starts the workflows of obligations just committed, with bounded concurrency. Each
 * starts from the state read here set-based (in chunks, read ahead of the starts), with
 * its search attributes and memo, so its first task only arms a timer. The starts run
 * as one continuous stream (no pause at chunk boundaries: the slots stay full). The id
 * is the business key and the conflict policy USE_EXISTING, so a repeat is harmless.
 * Returns the error of each start that failed (by position), for the command relay to retry.
 */
export async function startObligations(
  deps: { db?: Db; temporal: TemporalHandle },
  kind: ObligationKind,
  refs: Array<{ id: string; workspaceId: string; ownerId?: string | null }>,
  opts: StartOptions & { concurrency?: number } = {},
): Promise<{ failed: number; errors: Array<string | undefined> }> {
  const concurrency = opts.concurrency ?? START_CONCURRENCY;
  const limit = pLimit(concurrency);
  const chunk = Math.max(concurrency * 8, 256);
  const errors: Array<string | undefined> = new Array(refs.length).fill(undefined);
  const { db } = deps;
  // A failed read (the database went away) starts those workflows without their initial state.
  const read = (ids: string[]): Promise<Map<string, ObligationView>> =>
    db && ids.length ? loadViews(db, kind, ids).catch(() => new Map()) : Promise.resolve(new Map());
  const starts: Array<Promise<void>> = [];
  let next = read(refs.slice(0, chunk).map((r) => r.id));
  for (let i = 0; i < refs.length; i += chunk) {
    const views = await next;
    // Read the next chunk while this one starts.
    next = read(refs.slice(i + chunk, i + 2 * chunk).map((r) => r.id));
    refs.slice(i, i + chunk).forEach((r, j) => {
      starts.push(
        limit(() => startOne(deps.temporal, kind, r, views.get(r.id), opts)).catch((err: unknown) => {
          errors[i + j] = err instanceof Error ? err.message : String(err);
        }),
      );
    });
  }
  await Promise.all(starts);
  await next;
  return { failed: errors.filter(Boolean).length, errors };
}

/** Concurrent starts per relay pass, as the bulk endpoints used before the outbox. */
export const START_CONCURRENCY = 32;

async function startOne(
  temporal: TemporalHandle,
  kind: ObligationKind,
  r: { id: string; workspaceId: string; ownerId?: string | null },
  view: ObligationView | undefined,
  opts: StartOptions,
): Promise<void> {
  const options = workflowOptions(temporal, { kind, ...r, ownerId: view?.ownerId ?? r.ownerId }, opts);
  const p = view ? publicationOf(view) : null;
  await withTemporal(temporal, () =>
    temporal.client.workflow.start(WORKFLOW_TYPES.obligation, {
      ...options,
      ...(view && p
        ? {
            args: [{ ...options.args[0], initial: view }],
            typedSearchAttributes: p.searchAttributes,
            memo: p.memo,
            staticSummary: p.summary,
            staticDetails: `Obligation ${kind} ${r.id} in workspace ${r.workspaceId}`,
          }
        : {}),
      workflowIdConflictPolicy: 'USE_EXISTING',
    }),
  );
}

/**
 * Starts an obligation's workflow, or leaves the running one alone (conflict policy
 * USE_EXISTING). For operators and the reconcile sweep; services never call it (their
 * changes queue workflow commands, see commands.ts).
 */
export async function startObligation(temporal: TemporalHandle, o: ObligationRef): Promise<void> {
  await withTemporal(temporal, () =>
    temporal.client.workflow.start(WORKFLOW_TYPES.obligation, {
      ...workflowOptions(temporal, o),
      workflowIdConflictPolicy: 'USE_EXISTING',
    }),
  );
}
