import type { AuthContext } from '@vigil/kernel/auth';
import { eq } from 'drizzle-orm';
import type { PgColumn, PgTable } from 'drizzle-orm/pg-core';
import { type AuditEntry, audit } from './audit/service';
import { type Db, findInWorkspace } from './db';

/** A workspace's table whose rows carry `updated_at`. */
type PatchableTable = PgTable & { workspaceId: PgColumn; id: PgColumn; updatedAt: PgColumn };

/**
 * The one way a configuration row is patched: 404 unless the row is in the caller's
 * workspace, then `check` (references, 400), then the update and its audit entry in one
 * transaction. Returns the updated row.
 */
export async function patchInWorkspace<T extends PatchableTable>(
  db: Db,
  ctx: AuthContext,
  target: { table: T; what: string; id: string },
  change: {
    check?: () => Promise<void>;
    /** The columns to set, or a function of the row as it was. */
    set: Partial<T['$inferInsert']> | ((before: T['$inferSelect']) => Partial<T['$inferInsert']>);
    audit: (before: T['$inferSelect'], after: T['$inferSelect']) => AuditEntry;
  },
): Promise<T['$inferSelect']> {
  const { table, id } = target;
  const before = await findInWorkspace(db, table, target.what, ctx.workspaceId, id);
  await change.check?.();
  return db.transaction(async (tx) => {
    const [row] = await tx
      .update(table as PgTable & { id: PgColumn })
      .set({
        ...(typeof change.set === 'function' ? change.set(before) : change.set),
        updatedAt: new Date(),
      } as never)
      .where(eq(table.id, id))
      .returning();
    const after = (row ?? before) as T['$inferSelect'];
    await audit(tx, ctx, change.audit(before, after));
    return after;
  });
}
