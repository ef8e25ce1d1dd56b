import type { Config } from '@vigil/kernel/config';
import type { Logger } from '@vigil/kernel/logger';
import type { TemporalHandle } from '@vigil/kernel/temporal';
import type { Pool } from 'pg';
import type { Db } from './db';

/** What route handlers and activities get from the composition root. */
export interface AppDeps {
  db: Db;
  pool: Pool;
  temporal: TemporalHandle;
  config: Config;
  log: Logger;
}

import { Effects } from '@vigil/kernel/effects';
import { routeBuilder } from '@vigil/kernel/http';

/** Route definitions typed with AppDeps. */
export const route = routeBuilder<AppDeps>();

/** Runs a service call with an Effects collector, then the post-commit effects (workflow starts/signals). */
export async function withEffects<T>(deps: AppDeps, fn: (fx: Effects) => Promise<T>): Promise<T> {
  const fx = new Effects(deps.temporal);
  const result = await fn(fx);
  await fx.run((name, err) =>
    deps.log.warn({ err, effect: name }, 'post-commit effect failed; reconcile will repair'),
  );
  return result;
}
