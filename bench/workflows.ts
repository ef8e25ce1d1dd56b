import { proxyActivities, sleep } from '@temporalio/workflow';

// The product's workflows plus the baselines benchmarks compare against.
export * from '../packages/domains/src/workflows';

const { benchNow } = proxyActivities<{ benchNow(): Promise<number> }>({ startToCloseTimeout: '10 seconds' });

/** Baseline for escalation lag: a bare timer to the same deadline, then one activity. */
export async function benchTimerWorkflow(at: number): Promise<number> {
  const wait = at - Date.now();
  if (wait > 0) await sleep(wait);
  return (await benchNow()) - at;
}
