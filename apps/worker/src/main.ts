import { createDeps } from '@vigil/domains/runtime';
import { loadConfig } from '@vigil/kernel/config';
import { createWorker } from './worker';

// The worker process: runs every workflow and activity on the task queue.
async function main() {
  const config = loadConfig();
  const deps = await createDeps(config, 'worker');
  const { worker, connection } = await createWorker(deps, {
    address: deps.temporal.connection.options.address,
    namespace: config.TEMPORAL_NAMESPACE,
    taskQueue: config.TEMPORAL_TASK_QUEUE,
  });
  deps.log.info({ taskQueue: config.TEMPORAL_TASK_QUEUE }, 'Vigil worker running');
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
