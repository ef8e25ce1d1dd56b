import type { AppDeps } from './deps';
import { DOMAIN_MODULES } from './modules';
import { queueDailyDigests } from './notifications/digest';
import { reconcileObligations } from './obligations/reconcile';
import { purgeIdempotencyKeys } from './people/idempotency';

/**
 * Set-based safety nets, run by Temporal Schedules through `sweepWorkflow`.
 * Each returns counts of what it corrected, recorded in the workflow result.
 */
export const SWEEPS: Record<string, (deps: AppDeps) => Promise<Record<string, unknown>>> = {
  ...Object.assign({}, ...DOMAIN_MODULES.map((m) => m.sweeps ?? {})),
  'process-reminder-escalations': async (deps) => ({ ...(await reconcileObligations(deps)) }),
  'purge-idempotency-keys': (deps) => purgeIdempotencyKeys(deps.db),
  // Queued in the outbox; the delivery relay sends them (after each recipient's quiet hours).
  'send-daily-reminder-digest': async (deps) => ({ queued: (await queueDailyDigests(deps)).ids.length }),
};
