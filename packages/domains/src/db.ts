import { createHash } from 'node:crypto';
import { NotFound } from '@vigil/kernel/errors';
import { and, eq, type Query, type SQL, sql } from 'drizzle-orm';
import type { NodePgDatabase } from 'drizzle-orm/node-postgres';
import { type PgColumn, PgDialect, type PgTable } from 'drizzle-orm/pg-core';
import type * as schema from './schema';

export type Db = NodePgDatabase<typeof schema>;
/** A transaction or the database itself: services take this so callers can compose transactions. */
export type Executor = Db | Parameters<Parameters<Db['transaction']>[0]>[0];

/** A table whose rows belong to a workspace and have an `id`. */
type WorkspaceTable = PgTable & { workspaceId: PgColumn; id: PgColumn };

/** The row `id` of `table` in the workspace, or 404 naming `what` (another workspace's id is 404 too). */
export async function findInWorkspace<T extends WorkspaceTable>(
  db: Executor,
  table: T,
  what: string,
  workspaceId: string,
  id: string,
): Promise<T['$inferSelect']> {
  const [row] = await db
    .select()
    .from(table as PgTable)
    .where(and(eq(table.workspaceId, workspaceId), eq(table.id, id)));
  if (!row) throw new NotFound(what, id);
  return row as T['$inferSelect'];
}

/**
 * Runs data-modifying statements as one (one round trip): each but the last as a CTE of the
 * last, whose rows it returns. They share one snapshot, so none sees another's rows: for
 * writes to different tables that do not read each other (an engine step's escalation, outbox
 * rows and audit entries). None may itself begin with WITH.
 */
export async function executeTogether<T extends Record<string, unknown>>(
  db: Executor,
  statements: SQL[],
): Promise<T[]> {
  const last = statements.at(-1);
  if (!last) return [];
  const ctes = statements.slice(0, -1).map((s, i) => sql`${sql.raw(`w${i}`)} AS (${s})`);
  const res = await db.execute<T>(ctes.length ? sql`WITH ${sql.join(ctes, sql`, `)} ${last}` : last);
  return res.rows as T[];
}

const dialect = new PgDialect();

/**
 * A statement whose text never changes, built once and run as a named prepared statement:
 * `build` writes it with `sql.placeholder(name)` for each value, and `run` fills them. Each
 * connection parses and plans it once, where an unnamed statement is parsed and planned on every
 * run (for the engine step's org read, 0.5 ms of planning a step), and the text is not rebuilt.
 * The name carries a hash of the text, so two texts never share one. Named statements live as
 * long as their connection: behind a pooler, that needs session pooling (or prepared-statement
 * support such as PgBouncer's max_prepared_statements).
 */
export function preparedStatement<V extends Record<string, unknown>>(label: string, build: () => SQL) {
  let compiled: { query: Query; name: string } | undefined;
  return async <T extends Record<string, unknown>>(db: Executor, values: V): Promise<T[]> => {
    if (!compiled) {
      const query = dialect.sqlToQuery(build());
      const hash = createHash('sha1').update(query.sql).digest('hex').slice(0, 12);
      compiled = { query, name: `${label}_${hash}` };
    }
    const res = (await db._.session
      .prepareQuery(compiled.query, undefined, compiled.name, false)
      .execute(values)) as {
      rows: T[];
    };
    return res.rows;
  };
}
