import {
  ActivityFailure,
  condition,
  continueAsNew,
  defineQuery,
  defineSignal,
  proxyActivities,
  proxyLocalActivities,
  setHandler,
  upsertMemo,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import { SA } from '@vigil/kernel/search-attributes';
import type { NotificationActivities } from '../notifications/activities';
import type { ObligationActivities } from './activities';
import { publicationOf } from './publication';
import type { ObligationView } from './service';

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

/** Delivery retries on its own schedule (a 429 waits its Retry-After) and never blocks the ladder. */
const { deliverNotifications } = proxyActivities<NotificationActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '5 minutes', maximumAttempts: 12 },
});

export const changedSignal = defineSignal('changed');
export const stateQuery = defineQuery<ObligationView | null>('state');

export interface ObligationInput {
  kind: string;
  id: string;
  workspaceId: string;
  /** Deliveries deferred past quiet hours, carried across continue-as-new. */
  deferred?: Array<{ ids: string[]; at: number }>;
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
 * the step idempotently, deliver its notifications in the background, repeat.
 * Ends when the obligation is terminal; continues-as-new before history grows.
 */
export async function obligationWorkflow(input: ObligationInput): Promise<string> {
  let changed = false;
  /** Set when a delivery comes back deferred, so the loop re-plans its wake-up time. */
  let replan = false;
  let view: ObligationView | null = null;
  const deferred = [...(input.deferred ?? [])];
  const inFlight = new Set<Promise<void>>();
  setHandler(changedSignal, () => {
    changed = true;
  });
  setHandler(stateQuery, () => view);

  const deliver = (ids: string[]) => {
    if (!ids.length) return;
    const p: Promise<void> = deliverNotifications(ids)
      .then((res) => {
        for (const d of res.deferred) deferred.push({ ids: [d.id], at: new Date(d.at).getTime() });
        if (res.deferred.length) replan = true;
      })
      .catch((err) => {
        // Delivery gave up: the rows stay PENDING/FAILED in the outbox for operators; the ladder goes on.
        if (!(err instanceof ActivityFailure)) throw err;
      })
      .finally(() => inFlight.delete(p));
    inFlight.add(p);
  };

  let published = input.initial ? publicationOf(input.initial).key : '';
  let current: ObligationView = input.initial ?? (await loadObligation(input.kind, input.id));
  for (let i = 0; ; i++) {
    changed = false;
    replan = false;
    view = current;
    if (!current.found) break;
    published = publish(current, published);
    if (current.next.type === 'DONE' && !deferred.length) break;

    const now = Date.now();
    const dueDeferred = deferred.filter((d) => d.at <= now);
    if (dueDeferred.length) {
      for (const d of dueDeferred) deferred.splice(deferred.indexOf(d), 1);
      deliver(dueDeferred.flatMap((d) => d.ids));
    }
    const stepAt = current.next.type === 'STEP' ? (current.next.at ?? now) : Number.POSITIVE_INFINITY;
    const wakeAt = Math.min(stepAt, ...deferred.map((d) => d.at));
    let woke = false;
    if (wakeAt > now) {
      const wake = () => changed || replan;
      woke = Number.isFinite(wakeAt)
        ? await condition(wake, wakeAt - now)
        : await condition(wake).then(() => true);
    }
    if (!woke && current.next.type === 'STEP' && current.next.key && (current.next.at ?? 0) <= Date.now()) {
      // The step re-reads the row under lock and returns the state it left behind.
      const res = await performObligationStep(input.kind, input.id, current.next.key);
      deliver(res.notificationIds);
      current = res.view;
    } else {
      current = await loadObligation(input.kind, input.id);
    }
    if (workflowInfo().continueAsNewSuggested || i >= MAX_ITERATIONS) {
      await Promise.all([...inFlight]);
      await continueAsNew<typeof obligationWorkflow>({
        kind: input.kind,
        id: input.id,
        workspaceId: input.workspaceId,
        deferred,
      });
    }
  }
  await Promise.all([...inFlight]);
  return view?.found ? 'DONE' : 'GONE';
}

/**
 * Publishes search attributes and the readable memo when they differ from what was
 * last published (returned as a key), so a wake-up that changed nothing adds no commands.
 */
function publish(view: ObligationView, last: string): string {
  const p = publicationOf(view);
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
