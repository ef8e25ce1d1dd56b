import { type Page, toPage } from '@vigil/kernel/pagination';
import { and, asc, desc, eq, gt, type InferSelectModel, lt, type SQL } from 'drizzle-orm';
import type { AnyPgColumn, PgTable } from 'drizzle-orm/pg-core';
import type { Executor } from './db';

/** The `?limit=&cursor=` half of a list filter (see pageQuery). */
export interface PageArgs {
  limit: number;
  cursor?: string;
}

/**
 * One page of the `table` rows matching `where`, by time-ordered id: newest first (`desc`, every
 * list but members) or oldest first (`asc`). Reads `limit + 1` rows past the cursor; toPage cuts
 * the extra row into `next_cursor`.
 */
export async function listPage<T extends PgTable & { id: AnyPgColumn }>(
  db: Executor,
  table: T,
  where: (SQL | undefined)[],
  f: PageArgs,
  order: 'asc' | 'desc' = 'desc',
): Promise<Page<InferSelectModel<T>>> {
  const id = table.id;
  const after = f.cursor ? (order === 'desc' ? lt(id, f.cursor) : gt(id, f.cursor)) : undefined;
  const rows = await db
    .select()
    .from(table as PgTable)
    .where(and(...where, after))
    .orderBy(order === 'desc' ? desc(id) : asc(id))
    .limit(f.limit + 1);
  return toPage(rows as { id: string }[], f.limit) as Page<InferSelectModel<T>>;
}

/** `column = value` for each filter field that is set (a list's `?field=` equality filters). */
export function filterEquals<F extends object>(f: F, columns: { [K in keyof F]?: AnyPgColumn }): SQL[] {
  const out: SQL[] = [];
  for (const [field, column] of Object.entries(columns) as Array<[keyof F, AnyPgColumn]>) {
    const value = f[field];
    if (value) out.push(eq(column, value));
  }
  return out;
}
