import { proxyActivities, upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import { SA } from '@vigil/kernel/search-attributes';
import type * as activities from './activities';

const { probeDatabase } = proxyActivities<typeof activities>({
  startToCloseTimeout: '10 seconds',
  retry: { maximumAttempts: 3 },
});

/**
 * End-to-end probe used by `admin doctor` and the test suite: the worker runs it,
 * it reaches Postgres through an activity, and it is findable by search attributes.
 */
export async function probeWorkflow(input: {
  workspaceId: string;
}): Promise<{ workflowId: string; dbTime: string }> {
  upsertSearchAttributes([
    { key: SA.WorkspaceId, value: input.workspaceId },
    { key: SA.ObligationKind, value: 'probe' },
    { key: SA.ObligationStatus, value: 'DONE' },
  ]);
  const dbTime = await probeDatabase();
  return { workflowId: workflowInfo().workflowId, dbTime };
}
