/**
 * Stored references are checked against the caller's workspace. Every id a request
 * body or JSON config names (a manager, a ladder target, a ticket's obligation, an
 * acknowledgement scope, ...) must be a row of the caller's workspace: another
 * workspace's id, or no row at all, answers 400 naming the field. An id in the path
 * answers 404 instead. Each table is read once per request, for all the fields that
 * point into it.
 */
import { BadRequest, type FieldError, NotFound } from '@vigil/kernel/errors';
import { and, eq, inArray, type SQL } from 'drizzle-orm';
import type { AnyPgColumn, PgTable } from 'drizzle-orm/pg-core';
import type { Executor } from './db';

/** Rows that belong to a workspace: the table, its id and workspace_id columns, and what to call a row. */
export interface WorkspaceRows {
  table: PgTable;
  id: AnyPgColumn;
  workspaceId: AnyPgColumn;
  noun: string;
  /** Rows that do not count (e.g. deleted ones) are filtered out by this condition. */
  where?: SQL;
}

/** Describes a workspace-scoped table with `id` and `workspaceId` columns. */
export const workspaceRows = (
  table: PgTable & { id: AnyPgColumn; workspaceId: AnyPgColumn },
  noun: string,
  where?: SQL,
): WorkspaceRows => ({ table, id: table.id, workspaceId: table.workspaceId, noun, ...(where && { where }) });

/** One field's ids into one table; empty lists, nulls and undefined are skipped. */
export interface Ref {
  field: string;
  rows: WorkspaceRows;
  ids: ReadonlyArray<string | null | undefined>;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const isUuid = (id: string): boolean => UUID.test(id);

/** Which of `ids` name a row of `rows` in the workspace, in one query (a malformed id names none). */
export async function existingIds(
  db: Executor,
  workspaceId: string,
  rows: WorkspaceRows,
  ids: Iterable<string>,
): Promise<Set<string>> {
  const wanted = [...new Set(ids)].filter(isUuid);
  if (!wanted.length) return new Set();
  const found = await db
    .select({ id: rows.id })
    .from(rows.table)
    .where(and(eq(rows.workspaceId, workspaceId), inArray(rows.id, wanted), rows.where));
  return new Set(found.map((r) => String(r.id)));
}

/** Checks every reference at once; throws one 400 naming each field with an id outside the workspace. */
export async function assertRefs(db: Executor, workspaceId: string, refs: readonly Ref[]): Promise<void> {
  const present = refs
    .map((r) => ({ ...r, ids: [...new Set(r.ids.filter((id): id is string => typeof id === 'string'))] }))
    .filter((r) => r.ids.length > 0);
  const wantedByRows = new Map<WorkspaceRows, Set<string>>();
  for (const r of present) {
    const wanted = wantedByRows.get(r.rows) ?? new Set<string>();
    for (const id of r.ids) wanted.add(id);
    wantedByRows.set(r.rows, wanted);
  }
  const foundByRows = new Map<WorkspaceRows, Set<string>>();
  for (const [rows, wanted] of wantedByRows)
    foundByRows.set(rows, await existingIds(db, workspaceId, rows, wanted));
  const errors: FieldError[] = [];
  for (const r of present) {
    const missing = r.ids.filter((id) => !foundByRows.get(r.rows)?.has(id));
    if (missing.length)
      errors.push({
        field: r.field,
        message: `No such ${r.rows.noun} in this workspace: ${missing.join(', ')}`,
      });
  }
  if (errors.length) throw new BadRequest(errors.map((e) => `${e.field}: ${e.message}`).join('; '), errors);
}

/** A path id: 404 unless it names a row of the caller's workspace. */
export async function assertFound(db: Executor, workspaceId: string, rows: WorkspaceRows, id: string) {
  if (!(await existingIds(db, workspaceId, rows, [id])).has(id)) {
    const noun = rows.noun.charAt(0).toUpperCase() + rows.noun.slice(1);
    throw new NotFound(noun, id);
  }
}
