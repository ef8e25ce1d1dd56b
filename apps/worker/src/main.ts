import { readFileSync } from 'node:fs';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { createDeps } from '@vigil/domains/runtime';
import { ensureSchedules } from '@vigil/domains/schedules';
import { loadConfig } from '@vigil/kernel/config';
import { createWorker } from './worker';

// The worker process: runs every workflow and activity on the task queue.
async function main() {
  const config = loadConfig();
  const sdkLevel = (
    {
      fatal: 'ERROR',
      error: 'ERROR',
      warn: 'WARN',
      info: 'INFO',
      debug: 'DEBUG',
      trace: 'TRACE',
      silent: 'ERROR',
    } as const
  )[config.LOG_LEVEL];
  Runtime.install({ logger: new DefaultLogger(sdkLevel) });
  const deps = await createDeps(config, 'worker');
  const { worker, connection } = await createWorker(deps, {
    address: deps.temporal.connection.options.address,
    namespace: config.TEMPORAL_NAMESPACE,
    taskQueue: config.TEMPORAL_TASK_QUEUE,
    bundleCode: config.VIGIL_WORKFLOW_BUNDLE ? readFileSync(config.VIGIL_WORKFLOW_BUNDLE, 'utf8') : undefined,
  });
  await ensureSchedules(deps.temporal);
  deps.log.info({ taskQueue: config.TEMPORAL_TASK_QUEUE }, 'Vigil worker running; schedules ensured');
  // Worker.run() handles SIGINT/SIGTERM itself: it stops polling and drains.
  await worker.run();
  await connection.close();
  await deps.close();
  deps.log.info('worker stopped');
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
