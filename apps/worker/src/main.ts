import { readFileSync } from 'node:fs';
import { DefaultLogger, Runtime, type Worker } from '@temporalio/worker';
import { startRelays } from '@vigil/domains/relays';
import { createDeps } from '@vigil/domains/runtime';
import { ensureSchedules } from '@vigil/domains/schedules';
import { loadConfig } from '@vigil/kernel/config';
import { createWorker } from './worker';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// The worker process: runs every workflow and activity on the task queue, and the outbox
// relays. It outlives its dependencies: a Temporal or Postgres outage pauses the work, and
// the worker is created again (with backoff) until it can poll; only a signal stops it.
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
  // The SDK's own signal handling stops running workers; ours ends the restart loop.
  Runtime.install({ logger: new DefaultLogger(sdkLevel) });
  const deps = await createDeps(config, 'worker');
  const relays = startRelays(deps);
  let stopping = false;
  let current: Worker | null = null;
  for (const signal of ['SIGINT', 'SIGTERM'] as const)
    process.once(signal, () => {
      stopping = true;
      current?.shutdown();
    });
  const bundleCode = config.VIGIL_WORKFLOW_BUNDLE
    ? readFileSync(config.VIGIL_WORKFLOW_BUNDLE, 'utf8')
    : undefined;
  let schedulesEnsured = false;
  for (let failures = 0; !stopping; ) {
    try {
      const { worker, connection } = await createWorker(deps, {
        address: deps.temporal.connection.options.address,
        namespace: config.TEMPORAL_NAMESPACE,
        taskQueue: config.TEMPORAL_TASK_QUEUE,
        bundleCode,
      });
      current = worker;
      if (!schedulesEnsured)
        schedulesEnsured = await ensureSchedules(deps.temporal).then(
          () => true,
          (err) => {
            deps.log.warn({ err }, 'schedules not ensured yet; will retry at the next start');
            return false;
          },
        );
      deps.log.info({ taskQueue: config.TEMPORAL_TASK_QUEUE }, 'Vigil worker running');
      failures = 0;
      await worker.run();
      await connection.close().catch(() => undefined);
      if (!stopping) deps.log.warn('worker stopped without a signal; starting it again');
    } catch (err) {
      failures++;
      deps.log.error({ err, failures }, 'worker failed; starting it again');
      await sleep(Math.min(500 * 2 ** failures, 5000));
    } finally {
      current = null;
    }
  }
  await relays.stop();
  await deps.close();
  deps.log.info('worker stopped');
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
