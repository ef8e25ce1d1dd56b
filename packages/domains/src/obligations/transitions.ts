import { Conflict } from '@vigil/kernel/errors';
import { and, eq, type SQL } from 'drizzle-orm';
import type { PgColumn } from 'drizzle-orm/pg-core';

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
