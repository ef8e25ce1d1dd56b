import { Client, Connection } from '@temporalio/client';
import { ServiceUnavailable } from './errors';

export interface TemporalHandle {
  connection: Connection;
  /** A connection without the retry interceptor, for readiness probes that must answer once and fast. */
  probe: Connection;
  client: Client;
  namespace: string;
  taskQueue: string;
}

export async function connectTemporal(opts: {
  address: string;
  namespace: string;
  taskQueue: string;
  connectTimeoutMs?: number;
}): Promise<TemporalHandle> {
  // Lazy: the process starts even while Temporal is down; calls then fail fast as 503 and /readyz says why.
  const connection = Connection.lazy({
    address: opts.address,
    connectTimeout: opts.connectTimeoutMs ?? 5000,
  });
  const probe = Connection.lazy({
    address: opts.address,
    connectTimeout: opts.connectTimeoutMs ?? 5000,
    interceptors: [],
  });
  const client = new Client({ connection, namespace: opts.namespace });
  return { connection, probe, client, namespace: opts.namespace, taskQueue: opts.taskQueue };
}

/** Readiness probe: answers within the deadline or throws. */
/** Closes both connections of a handle. */
export async function closeTemporal(t: TemporalHandle): Promise<void> {
  await Promise.allSettled([t.connection.close(), t.probe.close()]);
}

export async function pingTemporal(t: TemporalHandle, timeoutMs = 2000): Promise<void> {
  await t.probe.withDeadline(Date.now() + timeoutMs, () => t.probe.workflowService.getSystemInfo({}));
}

/** Runs a Temporal call with a deadline; an unreachable server becomes a 503, never a hang. */
export async function withTemporal<T>(t: TemporalHandle, fn: () => Promise<T>, timeoutMs = 5000): Promise<T> {
  try {
    return await t.connection.withDeadline(Date.now() + timeoutMs, fn);
  } catch (err) {
    const code = (err as { code?: number }).code;
    // gRPC UNAVAILABLE (14) and DEADLINE_EXCEEDED (4)
    if (code === 14 || code === 4 || /UNAVAILABLE|DEADLINE_EXCEEDED/.test(String(err))) {
      throw new ServiceUnavailable('The workflow engine is unavailable; try again shortly');
    }
    throw err;
  }
}
