import { defineSignal } from '@temporalio/workflow';

/** The reminder planner's workflow type and signal, shared by its workflow and its client. Workflow-safe. */
export const REMINDER_WORKFLOW = 'reminderWorkflow' as const satisfies keyof typeof import('./workflows');
/** A reminder's definition changed: the planner re-plans its next occurrence. */
export const reminderChangedSignal = defineSignal('changed');
export const reminderWorkflowId = (id: string) => `reminder/${id}`;
