// Deterministic workflow code for the reminders domain.
import { condition, continueAsNew, proxyActivities, setHandler } from '@temporalio/workflow';
import type { ReminderActivities } from './planner';
import { reminderChangedSignal } from './signals';

const { planReminderOccurrence, materializeReminderInstance } = proxyActivities<ReminderActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '200 milliseconds', maximumInterval: '30 seconds' },
});

export interface ReminderWorkflowInput {
  reminderId: string;
  workspaceId: string;
}

/**
 * One long-lived workflow per reminder (`reminder/<id>`): asks an activity for the next
 * occurrence, sleeps until it should be materialized (a `changed` signal re-plans),
 * materializes the instance through an activity, then continues-as-new for the next one.
 * PAUSED waits for a signal; ARCHIVED (or a deleted reminder, or an ended schedule) ends it.
 */
export async function reminderWorkflow(input: ReminderWorkflowInput): Promise<string> {
  let changed = false;
  setHandler(reminderChangedSignal, () => {
    changed = true;
  });
  for (;;) {
    changed = false;
    const plan = await planReminderOccurrence(input.reminderId);
    if (plan.status === 'GONE' || plan.status === 'ARCHIVED') return plan.status;
    if (plan.status === 'PAUSED') {
      await condition(() => changed);
      continue;
    }
    if (plan.dueAt === null || plan.materializeAt === null) return 'ENDED';
    const wait = plan.materializeAt - Date.now();
    if (wait > 0 && (await condition(() => changed, wait))) continue;
    const res = await materializeReminderInstance(input.reminderId, plan.dueAt);
    if (res.outcome === 'NOT_ACTIVE') continue;
    await continueAsNew<typeof reminderWorkflow>(input);
  }
}
