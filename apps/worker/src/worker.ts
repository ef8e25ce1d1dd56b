import { NativeConnection, Worker } from '@temporalio/worker';
import { createActivities } from '@vigil/domains/activities';
import type { AppDeps } from '@vigil/domains/deps';
import { bundleOptions, hasPrebuiltBundle, PREBUILT_BUNDLE } from './bundle';

export interface WorkerOptions {
  address: string;
  namespace: string;
  taskQueue: string;
  /** Prebuilt bundle code (tests share one); else dist/workflow-bundle.js; else bundle now. */
  bundleCode?: string;
  /** Extra activities (benchmarks register their probes here). */
  extraActivities?: Record<string, (...args: never[]) => Promise<unknown>>;
}

/** Creates a worker that runs every workflow and activity of Vigil on one task queue. */
export async function createWorker(
  deps: AppDeps,
  opts: WorkerOptions,
): Promise<{ worker: Worker; connection: NativeConnection }> {
  const connection = await NativeConnection.connect({ address: opts.address });
  const workflowSource = opts.bundleCode
    ? { workflowBundle: { code: opts.bundleCode } }
    : hasPrebuiltBundle()
      ? { workflowBundle: { codePath: PREBUILT_BUNDLE } }
      : {
          workflowsPath: bundleOptions.workflowsPath,
          bundlerOptions: { webpackConfigHook: bundleOptions.webpackConfigHook },
        };
  const worker = await Worker.create({
    connection,
    namespace: opts.namespace,
    taskQueue: opts.taskQueue,
    activities: { ...createActivities(deps), ...opts.extraActivities },
    ...workflowSource,
    // Sized for bursts of deadlines falling due together (see bench/escalation-lag.ts). A step
    // is a local activity holding one database connection: more of them at once than the pool
    // has connections only queue inside the pool, where a wait over its connect timeout fails
    // the step and costs a retry; queued in the worker instead, each starts when a connection
    // is free. Workflow tasks (which wait for their steps) may be more.
    maxConcurrentActivityTaskExecutions: 100,
    maxConcurrentLocalActivityExecutions: Math.max(2, deps.pool.options.max ?? 10),
    maxConcurrentWorkflowTaskExecutions: 100,
    // Sleeping obligations need no cache: an evicted one is replayed when its timer fires.
    maxCachedWorkflows: deps.config.TEMPORAL_WORKER_CACHE_SIZE,
    shutdownGraceTime: '5 seconds',
  });
  return { worker, connection };
}
