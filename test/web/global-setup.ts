import globalSetup from '../global-setup';
import globalTeardown from '../global-teardown';

/** The integration suite's stack (Postgres, Temporal, the workflow bundle); the return value tears it down. */
export default async function setup(): Promise<() => Promise<void>> {
  await globalSetup();
  return globalTeardown;
}
