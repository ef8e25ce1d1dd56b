import { Column, eq, is, type SQL, sql } from 'drizzle-orm';
import type { PgColumn, PgTable } from 'drizzle-orm/pg-core';
import type { Executor } from '../db';
import { type LoadedObligation, progressColumns, qualified } from './kinds';
import { peopleColumns, peopleOf } from './presentation';
import type { ObligationKind } from './rules';

type Row<T extends PgTable> = T['$inferSelect'];

/**
 * An obligation's own row (under lock when asked) with what the engine and the Web UI need
 * beside it: its performed steps, whether an escalation was acknowledged, its owner's name and
 * the escalations fired with whom they notified. One statement, for every kind's `load`.
 */
export async function loadObligationRow<T extends PgTable & { id: PgColumn }>(
  db: Executor,
  kind: ObligationKind,
  table: T,
  owner: PgColumn | SQL,
  id: string,
  lock: boolean,
): Promise<{
  row: Row<T>;
  progress: { done: string[]; acked: boolean };
  people: NonNullable<LoadedObligation['people']>;
} | null> {
  const ownerSql = is(owner, Column) ? qualified(owner as PgColumn) : (owner as SQL);
  const q = db
    .select({
      row: table as PgTable,
      ...progressColumns(kind, table.id),
      ...peopleColumns(kind, table.id, ownerSql),
    } as never)
    .from(table as PgTable)
    .where(eq(table.id, sql.placeholder('id')));
  // A named prepared statement (its text is fixed by the kind and the lock): each connection
  // parses and plans it once, not on every step.
  const prepared = (lock ? q.for('update', { of: table as PgTable }) : q).prepare(
    `load_${kind}${lock ? '_locked' : ''}`,
  );
  const [found] = (await prepared.execute({ id })) as Array<{
    row: Row<T>;
    done: string[] | null;
    acked: boolean;
    fired: Parameters<typeof peopleOf>[0]['fired'];
    ownerName: string | null;
  }>;
  if (!found) return null;
  return {
    row: found.row,
    progress: { done: found.done ?? [], acked: found.acked },
    people: peopleOf(found),
  };
}
