import { Conflict } from '@vigil/kernel/errors';
import { and, eq, inArray, type SQL } from 'drizzle-orm';
import type { PgColumn, PgTable } from 'drizzle-orm/pg-core';
import type { Executor } from '../db';

/**
 * The guard of a read-then-write transition on an obligation row: the UPDATE applies only
 * to the row with this id that is still in the status the transition was checked against.
 * Under READ COMMITTED a concurrent writer's UPDATE waits for the first to commit and then
 * re-checks the guard, so of two racing transitions (complete and waive) exactly one applies.
 */
export const stillIn = (cols: { id: PgColumn; status: PgColumn }, id: string, status: string): SQL =>
  and(eq(cols.id, id), eq(cols.status, status)) as SQL;

/** The loser of a race: the row changed between the read and the write. */
export const changedConcurrently = (what: string, id: string) =>
  new Conflict(`${what} ${id} was changed by another request; reload it and try again`, [
    { field: 'status', message: 'Changed concurrently' },
  ]);

/**
 * The guarded status write of an engine step: moves the row to `to` only if it is still in one
 * of `from` (a concurrent completion wins). True when it changed the row.
 */
export async function moveStatus(
  tx: Executor,
  table: PgTable & { id: PgColumn; status: PgColumn; updatedAt: PgColumn },
  id: string,
  from: readonly string[],
  to: string,
  now: Date,
): Promise<boolean> {
  const changed = await tx
    .update(table as PgTable & { id: PgColumn })
    .set({ status: to, updatedAt: now } as never)
    .where(and(eq(table.id, id), inArray(table.status, [...from])))
    .returning({ id: table.id });
  return changed.length > 0;
}
