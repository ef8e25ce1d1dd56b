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

import { isTransactionConflict, pgErrorCode } from '@vigil/kernel/db';
import { Effects } from '@vigil/kernel/effects';
import { routeBuilder } from '@vigil/kernel/http';

/** Route definitions typed with AppDeps. */
export const route = routeBuilder<AppDeps>();

/** Attempts a service call gets when Postgres aborts it as a deadlock or serialization failure. */
const CONFLICT_ATTEMPTS = 3;

/**
 * Runs a service call with an Effects collector, then the post-commit effects (workflow
 * starts/signals). A call that Postgres aborted as a deadlock or serialization failure
 * (its transaction rolled back, nothing written) is run again from the start with fresh
 * effects, up to three times, before the API answers 503.
 */
export async function withEffects<T>(deps: AppDeps, fn: (fx: Effects) => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    const fx = new Effects(deps.temporal);
    let result: T;
    try {
      result = await fn(fx);
    } catch (err) {
      if (attempt >= CONFLICT_ATTEMPTS || !isTransactionConflict(err)) throw err;
      deps.log.info({ attempt, code: pgErrorCode(err) }, 'transaction conflict; running the call again');
      await new Promise((r) => setTimeout(r, 20 * attempt + Math.random() * 30));
      continue;
    }
    await fx.run((name, err) =>
      deps.log.warn({ err, effect: name }, 'post-commit effect failed; reconcile will repair'),
    );
    return result;
  }
}
