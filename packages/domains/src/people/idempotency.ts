import { createHash } from 'node:crypto';
import { BadRequest, Conflict, Unprocessable } from '@vigil/kernel/errors';
import { and, eq, sql } from 'drizzle-orm';
import type { Db } from '../db';
import { idempotencyKeys } from './schema';

/** How long a key's first response is replayed. */
export const IDEMPOTENCY_TTL_HOURS = 24;
/** How long a request may hold its key before a retry may take it over (it died). */
const LOCK_MS = 60_000;
/** How long a concurrent duplicate waits for the first request to finish before it gets 409. */
const WAIT_MS = 10_000;

const KEY_RE = /^[\x21-\x7e]{1,255}$/;

export interface IdempotentRequest {
  workspaceId: string;
  caller: string;
  key: string;
  method: string;
  path: string;
  body: unknown;
}

export type IdempotencyClaim = { type: 'new' } | { type: 'replay'; status: number; body: string };

type KeyRef = Pick<IdempotentRequest, 'workspaceId' | 'caller' | 'key'>;
const byKey = (r: KeyRef) =>
  and(
    eq(idempotencyKeys.workspaceId, r.workspaceId),
    eq(idempotencyKeys.caller, r.caller),
    eq(idempotencyKeys.key, r.key),
  );

/** Canonical JSON (sorted keys), so the same body hashes the same whatever its key order. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

export const requestHash = (r: Pick<IdempotentRequest, 'method' | 'path' | 'body'>): string =>
  createHash('sha256')
    .update(`${r.method} ${r.path}\n${canonical(r.body)}`)
    .digest('hex');

export function validateIdempotencyKey(key: string): void {
  if (!KEY_RE.test(key))
    throw new BadRequest('Invalid Idempotency-Key header', [
      { field: 'header.idempotency-key', message: 'Must be 1 to 255 visible ASCII characters' },
    ]);
}

/**
 * Claims a key for a request. A new (or expired, or abandoned) key is the caller's to run;
 * a key whose first request finished replays that response when the body is the same, and
 * is 422 when it differs; while the first request is still running, a duplicate waits for
 * it (up to 10 s) and then replays, or gets 409.
 */
export async function claimIdempotencyKey(db: Db, r: IdempotentRequest): Promise<IdempotencyClaim> {
  const hash = requestHash(r);
  const deadline = Date.now() + WAIT_MS;
  for (;;) {
    const res = await db.execute(sql`
      INSERT INTO idempotency_keys (workspace_id, caller, key, method, path, request_hash, locked_until)
      VALUES (${r.workspaceId}, ${r.caller}, ${r.key}, ${r.method}, ${r.path}, ${hash},
              now() + make_interval(secs => ${LOCK_MS / 1000}))
      ON CONFLICT (workspace_id, caller, key) DO UPDATE
        SET method = excluded.method, path = excluded.path, request_hash = excluded.request_hash,
            status = 'IN_PROGRESS', response_status = NULL, response_body = NULL,
            locked_until = excluded.locked_until, created_at = now()
        WHERE idempotency_keys.created_at < now() - make_interval(hours => ${IDEMPOTENCY_TTL_HOURS})
           OR (idempotency_keys.status = 'IN_PROGRESS' AND idempotency_keys.locked_until < now()
               AND idempotency_keys.request_hash = excluded.request_hash)
      RETURNING 1`);
    if (res.rows.length) return { type: 'new' };
    const [row] = await db.select().from(idempotencyKeys).where(byKey(r));
    if (!row) continue;
    if (row.requestHash !== hash)
      throw new Unprocessable('This Idempotency-Key was used with a different request', [
        { field: 'header.idempotency-key', message: 'Already used for another method, path or body' },
      ]);
    if (row.status === 'DONE')
      return { type: 'replay', status: row.responseStatus ?? 200, body: row.responseBody ?? 'null' };
    if (Date.now() > deadline)
      throw new Conflict('A request with this Idempotency-Key is still in progress', [
        { field: 'header.idempotency-key', message: 'In progress; retry later' },
      ]);
    await new Promise((res) => setTimeout(res, 50));
  }
}

/** Records the first response, to be replayed. */
export async function completeIdempotencyKey(db: Db, r: KeyRef, status: number, body: string): Promise<void> {
  await db
    .update(idempotencyKeys)
    .set({ status: 'DONE', responseStatus: status, responseBody: body })
    .where(byKey(r));
}

/** A request that failed leaves nothing to replay: the key is free for a retry. */
export async function releaseIdempotencyKey(db: Db, r: KeyRef): Promise<void> {
  await db.delete(idempotencyKeys).where(and(byKey(r), eq(idempotencyKeys.status, 'IN_PROGRESS')));
}

/** The sweep: keys past their 24 h are deleted. */
export async function purgeIdempotencyKeys(db: Db): Promise<{ deleted: number }> {
  const res = await db.execute(
    sql`DELETE FROM idempotency_keys WHERE created_at < now() - make_interval(hours => ${IDEMPOTENCY_TTL_HOURS})`,
  );
  return { deleted: res.rowCount ?? 0 };
}
