// Document folders: a tree per workspace. Structural changes take a per-workspace
// advisory lock, so two concurrent moves can never close a loop between them.
import type { AuthContext } from '@vigil/kernel/auth';
import { BadRequest, Conflict, NotFound } from '@vigil/kernel/errors';
import { and, eq, inArray, isNotNull, ne, sql } from 'drizzle-orm';
import { audit } from '../audit/service';
import type { Db, Executor } from '../db';
import {
  buildTree,
  depthOf,
  folderNameIssue,
  MAX_FOLDER_DEPTH,
  MAX_FOLDERS_PER_WORKSPACE,
  parentLookup,
  subtreeHeight,
  subtreeIds,
  wouldCreateCycle,
} from './rules';
import { documentFolders, documents } from './schema';

export type FolderRow = typeof documentFolders.$inferSelect;

const bad = (field: string, message: string) => new BadRequest(`${field}: ${message}`, [{ field, message }]);

/** A folder of the workspace named by a request field; otherwise 400 naming that field. */
export async function assertFolder(db: Executor, ws: string, id: string, field: string): Promise<FolderRow> {
  const [row] = await db
    .select()
    .from(documentFolders)
    .where(and(eq(documentFolders.workspaceId, ws), eq(documentFolders.id, id)));
  if (!row) throw bad(field, 'No such folder in this workspace');
  return row;
}

async function lockTree(tx: Executor, ws: string): Promise<FolderRow[]> {
  await tx.execute(sql`SELECT pg_advisory_xact_lock(hashtextextended(${`document_folders:${ws}`}, 0))`);
  return tx.select().from(documentFolders).where(eq(documentFolders.workspaceId, ws));
}

function cleanName(name: string, field = 'body.name'): string {
  const issue = folderNameIssue(name);
  if (issue) throw bad(field, issue);
  return name.trim();
}

function assertUniqueSibling(all: FolderRow[], parentId: string | null, name: string, selfId?: string) {
  const lower = name.toLowerCase();
  const clash = all.find((f) => f.parentId === parentId && f.id !== selfId && f.name.toLowerCase() === lower);
  if (clash) {
    throw new Conflict(`A folder named "${name}" already exists there`, [
      { field: 'body.name', message: 'Already used by a sibling folder' },
    ]);
  }
}

const folderAudit = (f: FolderRow) => ({ name: f.name, parent_id: f.parentId });

export async function createFolder(
  db: Db,
  ctx: AuthContext,
  input: { name: string; parent_id?: string | null },
): Promise<FolderRow> {
  const name = cleanName(input.name);
  const parentId = input.parent_id ?? null;
  return db.transaction(async (tx) => {
    const all = await lockTree(tx, ctx.workspaceId);
    if (all.length >= MAX_FOLDERS_PER_WORKSPACE) {
      throw new Conflict(`A workspace has at most ${MAX_FOLDERS_PER_WORKSPACE} folders`);
    }
    if (parentId && !all.some((f) => f.id === parentId)) {
      throw bad('body.parent_id', 'No such folder in this workspace');
    }
    if (depthOf(parentId, parentLookup(all)) + 1 > MAX_FOLDER_DEPTH) {
      throw bad('body.parent_id', `Folders nest at most ${MAX_FOLDER_DEPTH} levels deep`);
    }
    assertUniqueSibling(all, parentId, name);
    const [row] = await tx
      .insert(documentFolders)
      .values({
        workspaceId: ctx.workspaceId,
        name,
        parentId,
        createdById: ctx.via === 'SYSTEM' ? null : ctx.memberId,
      })
      .returning();
    if (!row) throw new Error('folder insert returned nothing');
    await audit(tx, ctx, {
      action: 'FOLDER_CHANGED',
      targetType: 'document_folder',
      targetId: row.id,
      newValue: folderAudit(row),
      description: `Folder "${name}" created`,
    });
    return row;
  });
}

/** Every folder of the workspace nested under its parent, each with its count of documents (not deleted). */
export async function folderTree(db: Executor, ws: string) {
  const all = await db.select().from(documentFolders).where(eq(documentFolders.workspaceId, ws));
  const counts = await db
    .select({ folderId: documents.folderId, n: sql<number>`count(*)::int` })
    .from(documents)
    .where(and(eq(documents.workspaceId, ws), ne(documents.status, 'DELETED'), isNotNull(documents.folderId)))
    .groupBy(documents.folderId);
  const byFolder = new Map(counts.map((c) => [c.folderId, Number(c.n)]));
  return buildTree(all.map((f) => ({ ...f, documentCount: byFolder.get(f.id) ?? 0 })));
}

/** Renames and/or re-parents a folder; a parent inside its own subtree is a 400 naming parent_id. */
export async function updateFolder(
  db: Db,
  ctx: AuthContext,
  id: string,
  input: { name?: string; parent_id?: string | null },
): Promise<FolderRow> {
  const name = input.name !== undefined ? cleanName(input.name) : undefined;
  return db.transaction(async (tx) => {
    const all = await lockTree(tx, ctx.workspaceId);
    const before = all.find((f) => f.id === id);
    if (!before) throw new NotFound('Folder', id);
    const parentId = input.parent_id !== undefined ? input.parent_id : before.parentId;
    if (input.parent_id !== undefined && parentId !== before.parentId) {
      if (parentId && !all.some((f) => f.id === parentId)) {
        throw bad('body.parent_id', 'No such folder in this workspace');
      }
      if (parentId && wouldCreateCycle(id, parentId, parentLookup(all))) {
        throw bad('body.parent_id', 'A folder cannot move inside itself or its own sub-folders');
      }
      const depth = depthOf(parentId, parentLookup(all)) + 1 + subtreeHeight(id, all);
      if (depth > MAX_FOLDER_DEPTH) {
        throw bad('body.parent_id', `Folders nest at most ${MAX_FOLDER_DEPTH} levels deep`);
      }
    }
    const newName = name ?? before.name;
    assertUniqueSibling(all, parentId, newName, id);
    const [row] = await tx
      .update(documentFolders)
      .set({ name: newName, parentId, updatedAt: new Date() })
      .where(eq(documentFolders.id, id))
      .returning();
    if (!row) throw new NotFound('Folder', id);
    await audit(tx, ctx, {
      action: 'FOLDER_CHANGED',
      targetType: 'document_folder',
      targetId: id,
      oldValue: folderAudit(before),
      newValue: folderAudit(row),
      description: `Folder "${newName}" updated`,
    });
    return row;
  });
}

export interface FolderDeleteResult {
  ok: true;
  folders_deleted: number;
  documents_moved: number;
}

/**
 * Deletes a folder. One holding sub-folders or documents (not deleted) is a 409
 * unless `force`: then its sub-folders go too and their documents move up to the
 * deleted folder's parent (the top level if none); no document is ever deleted here.
 */
export async function deleteFolder(
  db: Db,
  ctx: AuthContext,
  id: string,
  force: boolean,
): Promise<FolderDeleteResult> {
  return db.transaction(async (tx) => {
    const all = await lockTree(tx, ctx.workspaceId);
    const folder = all.find((f) => f.id === id);
    if (!folder) throw new NotFound('Folder', id);
    const ids = subtreeIds(id, all);
    const held = await tx
      .select({ id: documents.id, folderId: documents.folderId })
      .from(documents)
      .where(
        and(
          eq(documents.workspaceId, ctx.workspaceId),
          inArray(documents.folderId, ids),
          ne(documents.status, 'DELETED'),
        ),
      );
    const subfolders = ids.length - 1;
    if (!force && (subfolders > 0 || held.length > 0)) {
      throw new Conflict(
        `Folder "${folder.name}" is not empty (${subfolders} sub-folders, ${held.length} documents); ` +
          'pass force=true to delete its sub-folders and move its documents to the parent folder',
        [{ field: 'query.force', message: 'The folder is not empty' }],
      );
    }
    if (held.length) {
      await tx
        .update(documents)
        .set({ folderId: folder.parentId, updatedAt: new Date() })
        .where(
          inArray(
            documents.id,
            held.map((d) => d.id),
          ),
        );
    }
    await tx.delete(documentFolders).where(inArray(documentFolders.id, ids));
    await audit(tx, ctx, [
      ...held.map((d) => ({
        action: 'DOCUMENT_MOVED' as const,
        targetType: 'document',
        targetId: d.id,
        oldValue: { folder_id: d.folderId },
        newValue: { folder_id: folder.parentId },
        description: `Folder "${folder.name}" deleted`,
      })),
      ...ids.map((fid) => {
        const f = all.find((x) => x.id === fid) as FolderRow;
        return {
          action: 'FOLDER_CHANGED' as const,
          targetType: 'document_folder',
          targetId: fid,
          oldValue: folderAudit(f),
          newValue: null,
          description: `Folder "${f.name}" deleted`,
        };
      }),
    ]);
    return { ok: true as const, folders_deleted: ids.length, documents_moved: held.length };
  });
}
