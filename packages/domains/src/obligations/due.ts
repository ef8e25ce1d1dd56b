import { type AnyColumn, type SQL, sql } from 'drizzle-orm';

/**
 * `isPastDue` (obligations/rules.ts) in SQL: the deadline `due` has passed at `now` (the
 * statement's clock unless given), due at exactly `now` included. Every sweep, list and
 * report that asks "overdue?" of a column uses this.
 */
export const pastDueSql = (due: AnyColumn | SQL, now: Date | SQL = sql`now()`): SQL =>
  sql`(${due} <= ${now instanceof Date ? sql`${now.toISOString()}::timestamptz` : now})`;

/** A raw column name of the current query, for the report queries written as SQL text. */
export const col = (name: string): SQL => sql.raw(name);
