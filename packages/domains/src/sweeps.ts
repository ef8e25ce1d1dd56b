import type { AppDeps } from './deps';
import { DOMAIN_MODULES } from './modules';
import { notificationActivities } from './notifications/activities';
import { queueDailyDigests } from './notifications/digest';
import { reconcileObligations } from './obligations/reconcile';

/**
 * Set-based safety nets, run by Temporal Schedules through `sweepWorkflow`.
 * Each returns counts of what it corrected, recorded in the workflow result.
 */
export const SWEEPS: Record<string, (deps: AppDeps) => Promise<Record<string, unknown>>> = {
  ...Object.assign({}, ...DOMAIN_MODULES.map((m) => m.sweeps ?? {})),
  'process-reminder-escalations': async (deps) => ({ ...(await reconcileObligations(deps)) }),
  'send-daily-reminder-digest': async (deps) => {
    const queued = await queueDailyDigests(deps);
    const delivered = await notificationActivities(deps).deliverNotifications(queued.pending);
    return { queued: queued.ids.length, sent: delivered.sent, deferred: delivered.deferred.length };
  },
};
