import { SA } from '@vigil/kernel/search-attributes';
import { type TemporalHandle, withTemporal } from '@vigil/kernel/temporal';
import pLimit from 'p-limit';
import type { WorkflowStarter } from '../obligations/commands';
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

/** The workflow-command kind a reminder definition's change queues (drizzle/0016_reminder_commands.sql). */
export const REMINDER_COMMAND_KIND = 'reminder';

/**
 * The relay's starter for that kind: wakes (or starts) each reminder's planner with a
 * signal-with-start, so a change reaches a running planner and starts a missing one.
 */
export const signalReminders: WorkflowStarter = async ({ temporal }, refs, opts) => {
  const limit = pLimit(16);
  const handle = { ...temporal, taskQueue: opts.taskQueue };
  const results = await Promise.allSettled(refs.map((r) => limit(() => signalReminder(handle, r))));
  const errors = results.map((r) =>
    r.status === 'rejected' ? (r.reason instanceof Error ? r.reason.message : String(r.reason)) : undefined,
  );
  return { failed: errors.filter(Boolean).length, errors };
};
