import { proxyActivities, sleep } from '@temporalio/workflow';

// The product's workflows plus the baselines benchmarks compare against.
export * from '../packages/domains/src/workflows';

const { benchNow } = proxyActivities<{ benchNow(): Promise<number> }>({ startToCloseTimeout: '10 seconds' });

/** Baseline for bulk starts: a workflow that does nothing. */
export async function benchNoopWorkflow(): Promise<void> {}

/** Baseline for escalation lag: a bare timer to the same deadline, then one activity. */
export async function benchTimerWorkflow(at: number): Promise<number> {
  const wait = at - Date.now();
  if (wait > 0) await sleep(wait);
  return (await benchNow()) - at;
}

/** The floor for escalation lag: how late the worker runs a workflow whose bare timer fired. */
export async function benchWakeWorkflow(at: number): Promise<number> {
  const wait = at - Date.now();
  if (wait > 0) await sleep(wait);
  return Date.now() - at;
}
