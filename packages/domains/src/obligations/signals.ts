import { defineQuery, defineSignal } from '@temporalio/workflow';
import type { ObligationView } from './service';

/**
 * The engine's workflow types, signal and query, defined once: the workflows register these
 * handlers and every client (API, relays, admin CLI, tests) uses the same definitions.
 * Workflow-safe: nothing here touches Node.
 */
export const WORKFLOW_TYPES = {
  obligation: 'obligationWorkflow',
  sweep: 'sweepWorkflow',
  probe: 'probeWorkflow',
} as const satisfies Record<string, keyof typeof import('./workflows')>;

/** Sent after every committed change to an obligation: the workflow re-reads its row. */
export const changedSignal = defineSignal('changed');
/** The obligation's snapshot and next step, as the workflow last read it. */
export const stateQuery = defineQuery<ObligationView | null>('state');
