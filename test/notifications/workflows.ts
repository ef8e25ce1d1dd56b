import { proxyActivities } from '@temporalio/workflow';
import type { NotificationActivities } from '@vigil/domains/notifications/activities';

/** Test-only: the delivery activity with a short initial retry interval and no other retry settings. */
const { deliverNotifications } = proxyActivities<NotificationActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '100 milliseconds', backoffCoefficient: 1, maximumAttempts: 5 },
});

export async function deliverOnce(
  ids: string[],
): Promise<{ sent: number; deferred: Array<{ id: string; at: string }> }> {
  return deliverNotifications(ids);
}
