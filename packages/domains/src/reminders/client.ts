import { SA } from '@vigil/kernel/search-attributes';
import { type TemporalHandle, withTemporal } from '@vigil/kernel/temporal';
import { REMINDER_WORKFLOW, reminderChangedSignal, reminderWorkflowId } from './signals';

export { reminderWorkflowId };

type ReminderRef = { id: string; workspaceId: string };

const options = (temporal: TemporalHandle, r: ReminderRef) => ({
  workflowId: reminderWorkflowId(r.id),
  taskQueue: temporal.taskQueue,
  args: [{ reminderId: r.id, workspaceId: r.workspaceId }] as [{ reminderId: string; workspaceId: string }],
  typedSearchAttributes: [{ key: SA.WorkspaceId, value: r.workspaceId }],
});

/** Starts (or wakes) the reminder's long-lived planner workflow. */
export async function signalReminder(temporal: TemporalHandle, r: ReminderRef): Promise<void> {
  await withTemporal(temporal, () =>
    temporal.client.workflow.signalWithStart(REMINDER_WORKFLOW, {
      ...options(temporal, r),
      signal: reminderChangedSignal,
      signalArgs: [],
    }),
  );
}

/** Starts the planner if it is not running (the daily reconcile); a running one is left alone. */
export async function ensureReminderWorkflow(temporal: TemporalHandle, r: ReminderRef): Promise<void> {
  await withTemporal(temporal, () =>
    temporal.client.workflow.start(REMINDER_WORKFLOW, {
      ...options(temporal, r),
      workflowIdConflictPolicy: 'USE_EXISTING',
    }),
  );
}
