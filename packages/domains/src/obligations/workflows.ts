import {
  condition,
  continueAsNew,
  proxyActivities,
  proxyLocalActivities,
  setCurrentDetails,
  setHandler,
  upsertMemo,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import { SA } from '@vigil/kernel/search-attributes';
import type { ObligationActivities } from './activities';
import { publicationOf } from './publication';
import type { ObligationView } from './service';
import { changedSignal, stateQuery } from './signals';

const { probeDatabase, runSweep } = proxyActivities<ObligationActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '200 milliseconds', maximumInterval: '30 seconds' },
});

/**
 * Loading and performing run as local activities: they execute inside the workflow
 * task that woke the loop, so a deadline costs one workflow task, not three round
 * trips through the server. Retries longer than the threshold become durable timers.
 */
const { loadObligation, performObligationStep } = proxyLocalActivities<ObligationActivities>({
  startToCloseTimeout: '30 seconds',
  localRetryThreshold: '10 seconds',
  retry: { initialInterval: '200 milliseconds', maximumInterval: '30 seconds' },
});

export interface ObligationInput {
  kind: string;
  id: string;
  workspaceId: string;
  /**
   * The state the API had just committed when it started the workflow, published as the
   * start's search attributes and memo: the first task only arms the timer. Any later
   * change arrives as a `changed` signal, and every step re-reads the row under lock.
   */
  initial?: ObligationView;
}

const MAX_ITERATIONS = 500;

/**
 * The one obligation engine loop: load (through an activity), publish search
 * attributes and details, sleep until the next step or a `changed` signal, perform
 * the step idempotently (its notifications are queued in the step's transaction and
 * delivered by the outbox relay), repeat. Ends when the obligation is terminal;
 * continues-as-new before history grows.
 */
export async function obligationWorkflow(input: ObligationInput): Promise<string> {
  let changed = false;
  let view: ObligationView | null = null;
  setHandler(changedSignal, () => {
    changed = true;
  });
  setHandler(stateQuery, () => view);

  let published = input.initial ? publicationOf(input.initial).key : '';
  let current: ObligationView = input.initial ?? (await loadObligation(input.kind, input.id));
  for (let i = 0; ; i++) {
    changed = false;
    view = current;
    if (!current.found) break;
    published = publish(current, published);
    if (current.next.type === 'DONE') break;

    // The task's clock is when it started; a view computed later in it (by a local activity)
    // is closer to when the timer starts.
    const now = Math.max(Date.now(), current.asOf ?? 0);
    const stepAt = current.next.type === 'STEP' ? (current.next.at ?? now) : Number.POSITIVE_INFINITY;
    let woke = false;
    if (stepAt > now) {
      // The timer is named after the step it waits for ("until ESCALATE:L3") in the Web UI.
      woke = Number.isFinite(stepAt)
        ? await condition(() => changed, stepAt - now, { summary: `until ${current.next.key}` })
        : await condition(() => changed).then(() => true);
    }
    if (
      !woke &&
      current.next.type === 'STEP' &&
      current.next.key &&
      (current.next.at ?? 0) <= Math.max(Date.now(), now)
    ) {
      // The step re-reads the row under lock and returns the state it left behind.
      current = (await performObligationStep(input.kind, input.id, current.next.key)).view;
    } else {
      current = await loadObligation(input.kind, input.id);
    }
    if (workflowInfo().continueAsNewSuggested || i >= MAX_ITERATIONS) {
      await continueAsNew<typeof obligationWorkflow>({
        kind: input.kind,
        id: input.id,
        workspaceId: input.workspaceId,
      });
    }
  }
  return view?.found ? 'DONE' : 'GONE';
}

/**
 * Publishes search attributes and the readable memo when they differ from what was
 * last published (returned as a key), so a wake-up that changed nothing adds no commands.
 */
function publish(view: ObligationView, last: string): string {
  const p = publicationOf(view);
  // Current details live in the workflow's memory (no history event): refreshed on every change.
  setCurrentDetails(p.details);
  if (p.key === last) return last;
  upsertSearchAttributes(p.searchAttributes);
  upsertMemo(p.memo);
  return p.key;
}

/** A schedule's action: runs one named set-based sweep in an activity and returns its counts. */
export async function sweepWorkflow(input: { name: string }): Promise<Record<string, unknown>> {
  return runSweep(input.name);
}

/**
 * End-to-end probe used by `admin doctor` and the test suite: the worker runs it,
 * it reaches Postgres through an activity, and it is findable by search attributes.
 */
export async function probeWorkflow(input: {
  workspaceId: string;
}): Promise<{ workflowId: string; dbTime: string }> {
  upsertSearchAttributes([
    { key: SA.WorkspaceId, value: input.workspaceId },
    { key: SA.ObligationKind, value: 'probe' },
    { key: SA.ObligationStatus, value: 'DONE' },
  ]);
  const dbTime = await probeDatabase();
  return { workflowId: workflowInfo().workflowId, dbTime };
}
