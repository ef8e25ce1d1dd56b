import { type SQL, sql } from 'drizzle-orm';

/** A constant status list (from a rules.ts) as a SQL literal list, `('A', 'B')`, for raw queries. */
export const sqlIn = (values: readonly string[]): SQL =>
  sql.raw(`(${values.map((v) => `'${v.replace(/'/g, "''")}'`).join(', ')})`);
