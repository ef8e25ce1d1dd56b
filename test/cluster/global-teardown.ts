import globalTeardown from '../global-teardown';

export default async function clusterTeardown(): Promise<void> {
  await globalTeardown();
  const cluster = (globalThis as Record<string, unknown>).__vigilCluster as
    | { stop(): Promise<void> }
    | undefined;
  await cluster?.stop();
}
