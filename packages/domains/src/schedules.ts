import { ScheduleOverlapPolicy, type ScheduleSpec } from '@temporalio/client';
import type { TemporalHandle } from '@vigil/kernel/temporal';
import type { AppDeps } from './deps';
import { DOMAIN_MODULES } from './modules';
import { WORKFLOW_TYPES } from './obligations/signals';

/**
 * A sweep, declared once: its id (also the Temporal Schedule's id), what it does, when it
 * runs, and the set-based work itself, which returns counts of what it corrected. Each
 * schedule runs `sweepWorkflow(id)`, which runs `run` in an activity.
 */
export interface Sweep {
  id: string;
  description: string;
  spec: ScheduleSpec;
  run: (deps: AppDeps) => Promise<Record<string, unknown>>;
}
export type SweepSchedule = Omit<Sweep, 'run'>;

/** Creates or updates every schedule; safe at every worker start. */
export async function ensureSchedules(temporal: TemporalHandle, schedules = SWEEP_SCHEDULES): Promise<void> {
  for (const s of schedules) {
    const action = {
      type: 'startWorkflow' as const,
      workflowType: WORKFLOW_TYPES.sweep,
      workflowId: `sweep/${s.id}`,
      taskQueue: temporal.taskQueue,
      args: [{ name: s.id }],
    };
    const options = {
      scheduleId: s.id,
      spec: s.spec,
      action,
      policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '1 hour' as const },
      memo: { description: s.description },
    };
    try {
      await temporal.client.schedule.create(options);
    } catch (err) {
      if ((err as Error).name !== 'ScheduleAlreadyRunning') throw err;
      await temporal.client.schedule.getHandle(s.id).update((prev) => ({ ...prev, spec: s.spec, action }));
    }
  }
}

/** Every schedule: the engine's and each domain's. */
export const SWEEP_SCHEDULES: SweepSchedule[] = DOMAIN_MODULES.flatMap((m) => m.sweeps ?? []).map(
  ({ run: _run, ...schedule }) => schedule,
);
