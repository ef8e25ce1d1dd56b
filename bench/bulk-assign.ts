import { resolve } from 'node:path';
import { relayWorkflowCommands } from '@vigil/domains/obligations/commands';
import { members } from '@vigil/domains/people/schema';
import { bulkAssign as assignInBulk } from '@vigil/domains/training/bulk';
import { mandatoryTrainings } from '@vigil/domains/training/schema';
import { systemContext } from '@vigil/kernel/auth';
import { newId } from '@vigil/kernel/ids';
import pLimit from 'p-limit';
import { benchStack } from './stack';

/**
 * POST /compliance/assignments/bulk's service call for 10,000 members: pre-validation,
 * chunked inserts and audit in one transaction, then 10,000 workflow starts with bounded
 * concurrency. Baseline: a raw loop of client.workflow.start of a no-op workflow for the
 * same number of workflows at the same concurrency, in the same run. Repeated (default 3
 * rounds, each a new training for the same members, baseline then bulk); the median
 * round's ratio is the result, so one noisy round does not decide it.
 */
export async function bulkAssign(args: string[]): Promise<void> {
  const n = Number(args[0] ?? 10_000);
  const rounds = Number(args[1] ?? 3);
  const concurrency = 32;
  const stack = await benchStack({ workflowsPath: resolve(__dirname, 'workflows.ts') });
  try {
    const { deps } = stack;
    const ws = stack.workspace.workspace.id;
    const ctx = { ...systemContext(ws), memberId: stack.workspace.admin.id, via: 'TOKEN' as const };
    const ids = Array.from({ length: n }, () => newId());
    for (let i = 0; i < n; i += 1000)
      await deps.db
        .insert(members)
        .values(
          ids
            .slice(i, i + 1000)
            .map((id, j) => ({ id, workspaceId: ws, name: `m${i + j}`, email: `m${i + j}@bench.test` })),
        );
    const limit = pLimit(concurrency);
    const results: Array<Record<string, number>> = [];
    for (let round = 1; round <= rounds; round++) {
      const [training] = await deps.db
        .insert(mandatoryTrainings)
        .values({
          workspaceId: ws,
          name: `Bench training ${round}`,
          appliesToType: 'INDIVIDUAL',
          dueDaysAfterAssignment: 30,
        })
        .returning();
      if (!training) throw new Error('training insert failed');

      // Baseline: raw starts of a no-op workflow.
      const runId = `${Date.now()}-${round}`;
      const t0 = performance.now();
      const handles = await Promise.all(
        ids.map((_, i) =>
          limit(() =>
            deps.temporal.client.workflow.start('benchNoopWorkflow', {
              taskQueue: stack.taskQueue,
              workflowId: `bench-noop/${runId}/${i}`,
            }),
          ),
        ),
      );
      const baselineMs = performance.now() - t0;
      // Let the no-op workflows finish before measuring, so both see an idle worker and server.
      await Promise.all(handles.map((h) => limit(() => h.result())));

      // The bulk service call, then the workflow starts its rows queued.
      const t1 = performance.now();
      const result = await assignInBulk(deps.db, ctx, {
        mandatory_training_id: training.id,
        developer_ids: ids,
      });
      const insertMs = performance.now() - t1;
      // The workflow starts the new rows queued, relayed as every API and worker process does.
      for (
        let pass = await relayWorkflowCommands(deps);
        pass.claimed;
        pass = await relayWorkflowCommands(deps)
      )
        if (pass.failed) console.error(`relay: ${pass.failed} command(s) failed; retrying`);
      const totalMs = performance.now() - t1;
      const row = {
        round,
        assigned: result.assigned,
        validate_insert_audit_ms: Math.round(insertMs),
        bulk_total_ms: Math.round(totalMs),
        baseline_raw_starts_ms: Math.round(baselineMs),
        // Bulk throughput relative to raw starts: baseline time / bulk time.
        throughput_ratio: Math.round((baselineMs / totalMs) * 100) / 100,
      };
      console.log(`bulk-assign round ${round}: ${JSON.stringify(row)}`);
      results.push(row);
    }
    const byRatio = [...results].sort((a, b) => (a.throughput_ratio ?? 0) - (b.throughput_ratio ?? 0));
    const median = byRatio[Math.floor((byRatio.length - 1) / 2)];
    console.log(
      JSON.stringify(
        {
          members: n,
          concurrency,
          rounds,
          median_round: median,
          ratios: results.map((r) => r.throughput_ratio),
          goal: 'throughput_ratio >= 0.9',
          met: (median?.throughput_ratio ?? 0) >= 0.9,
        },
        null,
        2,
      ),
    );
  } finally {
    await stack.close();
  }
}
