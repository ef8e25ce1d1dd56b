import { drizzle, type NodePgDatabase } from 'drizzle-orm/node-postgres';
import { Pool, type PoolConfig } from 'pg';
import { Conflict } from './errors';

export interface DatabaseOptions {
  url: string;
  max?: number;
  statementTimeoutMs?: number;
  connectTimeoutMs?: number;
  applicationName?: string;
  /** The Temporal task queue that workflow commands queued on this pool's sessions name (vigil.task_queue). */
  taskQueue?: string;
}

/** A pool whose waits are bounded: a database that is down gives an error quickly, never a hang. */
export function createPool(opts: DatabaseOptions): Pool {
  const config: PoolConfig = {
    connectionString: opts.url,
    max: opts.max ?? 10,
    connectionTimeoutMillis: opts.connectTimeoutMs ?? 5000,
    idleTimeoutMillis: 30000,
    statement_timeout: opts.statementTimeoutMs ?? 15000,
    application_name: opts.applicationName ?? 'vigil',
    ...(opts.taskQueue
      ? { options: `-c vigil.task_queue=${opts.taskQueue.replace(/[^\w.:/-]/g, '_')}` }
      : {}),
  };
  const pool = new Pool(config);
  // A client that loses its connection must not crash the process: idle ones report on the
  // pool, checked-out ones on the client itself (the query in flight fails and is retried).
  pool.on('error', () => undefined);
  pool.on('connect', (client) => {
    client.on('error', () => undefined);
  });
  return pool;
}

const commitHooks = new WeakMap<object, Array<() => Promise<void>>>();
const committedListeners = new WeakMap<object, Set<() => void>>();

/**
 * Calls `fn` after every transaction of `db` commits (the outbox relays of this process
 * wake up at once instead of at their next poll). Returns a function that removes it.
 */
export function onCommitted(db: object, fn: () => void): () => void {
  let set = committedListeners.get(db);
  if (!set) {
    set = new Set();
    committedListeners.set(db, set);
  }
  set.add(fn);
  return () => set.delete(fn);
}

/**
 * Registers `fn` to run at the end of the transaction `tx`, after its callback and
 * before it commits. Returns false when `tx` is not a transaction opened through
 * createDatabase (then the caller should act at once).
 */
export function beforeCommit(tx: object, fn: () => Promise<void>): boolean {
  const hooks = commitHooks.get(tx);
  if (!hooks) return false;
  hooks.push(fn);
  return true;
}

const memos = new WeakMap<object, Map<string, Promise<unknown>>>();

const memoOf = (tx: object): Map<string, Promise<unknown>> => {
  let memo = memos.get(tx);
  if (!memo) {
    memo = new Map();
    memos.set(tx, memo);
  }
  return memo;
};

/**
 * Within one transaction opened through createDatabase, `fn` runs once per key and later
 * calls share its answer (an engine step reads the workspace settings once, not five times).
 * Outside such a transaction it simply runs `fn`.
 */
export function memoInTransaction<T>(tx: object, key: string, fn: () => Promise<T>): Promise<T> {
  if (!commitHooks.has(tx)) return fn();
  const memo = memoOf(tx);
  let p = memo.get(key) as Promise<T> | undefined;
  if (!p) {
    p = fn();
    memo.set(key, p);
    p.catch(() => memo.delete(key));
  }
  return p;
}

/** Gives a memoInTransaction key its answer, read by a caller as part of another statement. */
export function primeInTransaction<T>(tx: object, key: string, value: T): void {
  if (!commitHooks.has(tx)) return;
  const memo = memoOf(tx);
  if (!memo.has(key)) memo.set(key, Promise.resolve(value));
}

/** Whether memoInTransaction already holds (or is reading) an answer for `key` in `tx`. */
export function memoizedInTransaction(tx: object, key: string): boolean {
  return memos.get(tx)?.has(key) ?? false;
}

/** Drops a memoised answer after the transaction changed what it read. */
export function forgetInTransaction(tx: object, key: string): void {
  memos.get(tx)?.delete(key);
}

/** Drizzle over the pool; `db.transaction` runs the transaction's beforeCommit hooks before it commits. */
export function createDatabase<TSchema extends Record<string, unknown>>(
  pool: Pool,
  schema: TSchema,
): NodePgDatabase<TSchema> {
  const db = drizzle(pool, { schema });
  const open = db.transaction.bind(db);
  db.transaction = (async (fn, config) => {
    const result = await open(async (tx) => {
      const hooks: Array<() => Promise<void>> = [];
      commitHooks.set(tx, hooks);
      const out = await fn(tx);
      for (let i = 0; i < hooks.length; i++) await hooks[i]?.();
      return out;
    }, config);
    for (const listener of committedListeners.get(db) ?? []) listener();
    return result;
  }) as typeof db.transaction;
  return db;
}

const UNAVAILABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'ENOTFOUND',
  '57P01',
  '57P03',
  '53300',
]);

/** True when an error means "the database is unreachable or overloaded", which the API answers with 503. */
export function isDatabaseUnavailable(err: unknown): boolean {
  if (!err || typeof err !== 'object') return false;
  const e = err as { code?: string; message?: string; cause?: unknown };
  if (e.code && UNAVAILABLE_CODES.has(e.code)) return true;
  if (
    typeof e.message === 'string' &&
    /timeout exceeded when trying to connect|Connection terminated/i.test(e.message)
  )
    return true;
  return e.cause ? isDatabaseUnavailable(e.cause) : false;
}

/** Postgres error codes the HTTP layer translates (unique and foreign-key violations). */
export function pgErrorCode(err: unknown): string | undefined {
  let cur: unknown = err;
  for (let i = 0; i < 4 && cur && typeof cur === 'object'; i++) {
    const e = cur as { code?: unknown; cause?: unknown };
    if (typeof e.code === 'string' && /^[0-9A-Z]{5}$/.test(e.code)) return e.code;
    cur = e.cause;
  }
  return undefined;
}

/** A deadlock (40P01) or serialization failure (40001): the transaction was rolled back and may be retried. */
export function isTransactionConflict(err: unknown): boolean {
  const code = pgErrorCode(err);
  return code === '40P01' || code === '40001';
}

/** `.catch(onUniqueViolation(...))`: a unique-constraint violation becomes a 409 naming the field. */
export function onUniqueViolation(field: string, message: string) {
  return (err: unknown): never => {
    if (pgErrorCode(err) === '23505') throw new Conflict(message, [{ field, message: 'Already used' }]);
    throw err;
  };
}
