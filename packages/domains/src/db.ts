import { NotFound } from '@vigil/kernel/errors';
import { and, eq } from 'drizzle-orm';
import type { NodePgDatabase } from 'drizzle-orm/node-postgres';
import type { PgColumn, PgTable } from 'drizzle-orm/pg-core';
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
