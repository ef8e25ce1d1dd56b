// Documents and their versions: register, list, read, change. Every change is one
// transaction holding the row change and its audit entry.
import { type AuthContext, MANAGERS, requireSelfOr } from '@vigil/kernel/auth';
import { onUniqueViolation } from '@vigil/kernel/db';
import { BadRequest, Conflict, NotFound } from '@vigil/kernel/errors';
import type { Page } from '@vigil/kernel/pagination';
import { and, desc, eq, ilike, inArray, isNull, or, sql } from 'drizzle-orm';
import { audit } from '../audit/service';
import { type Db, type Executor, findInWorkspace } from '../db';
import { listPage } from '../paging';
import type { DocumentRow, DocumentWithVersions, ListQuery, VersionRow } from './api-schemas';
import { assertFolder } from './folders';
import {
  likeEscape,
  MAX_TAGS_PER_DOCUMENT,
  MAX_VERSIONS_PER_DOCUMENT,
  mimeFilter,
  normalizeTags,
} from './rules';
import { type DocumentStatus, documents, documentVersions } from './schema';

/** What was stored in S3 and verified: the bytes a version points at. */
export interface StoredObject {
  key: string;
  fileName: string;
  mimeType: string;
  size: number;
  sha256: string;
  etag: string | null;
}

export interface DocumentFields {
  title?: string;
  description?: string | null;
  folder_id?: string | null;
  tags?: string[];
}

export interface RegisterInput extends DocumentFields {
  /** Set to add a new version to this document instead of creating one. */
  document_id?: string;
}

const actorId = (ctx: AuthContext) => (ctx.via === 'SYSTEM' ? null : ctx.memberId);

/** Canonical tags, or 400 naming each invalid entry (`body.tags.2`). */
export function cleanTags(tags: readonly string[], field = 'body.tags'): string[] {
  const { tags: out, issues } = normalizeTags(tags);
  if (issues.length) {
    const errors = issues.map((i) => ({ field: `${field}.${i.index}`, message: i.message }));
    throw new BadRequest(`Invalid ${errors[0]?.field}: ${errors[0]?.message}`, errors);
  }
  if (out.length > MAX_TAGS_PER_DOCUMENT) {
    throw new BadRequest(`At most ${MAX_TAGS_PER_DOCUMENT} tags per document`, [
      { field, message: `At most ${MAX_TAGS_PER_DOCUMENT} tags per document` },
    ]);
  }
  return out;
}

/** A document of the workspace in any status; another workspace's id is a 404. */
export async function getDocument(db: Executor, ws: string, id: string): Promise<DocumentRow> {
  return findInWorkspace(db, documents, 'Document', ws, id);
}

/**
 * Locks a document for a change by the caller: 404 outside the workspace, 409 when
 * deleted, 403 unless the caller owns it or is an admin or manager.
 */
export async function lockForWrite(tx: Executor, ctx: AuthContext, id: string): Promise<DocumentRow> {
  const [row] = await tx
    .select()
    .from(documents)
    .where(and(eq(documents.workspaceId, ctx.workspaceId), eq(documents.id, id)))
    .for('update');
  if (!row) throw new NotFound('Document', id);
  if (row.status === 'DELETED') {
    throw new Conflict(`Document ${id} is deleted`, [
      { field: 'path.doc_id', message: 'A deleted document cannot change' },
    ]);
  }
  requireSelfOr(ctx, row.uploadedById, MANAGERS);
  return row;
}

/** Attaches every version (newest first) to each document. */
export async function withVersions(db: Executor, rows: DocumentRow[]): Promise<DocumentWithVersions[]> {
  if (!rows.length) return [];
  const versions = await db
    .select()
    .from(documentVersions)
    .where(
      inArray(
        documentVersions.documentId,
        rows.map((r) => r.id),
      ),
    )
    .orderBy(desc(documentVersions.version));
  const by = new Map<string, VersionRow[]>();
  for (const v of versions) by.set(v.documentId, [...(by.get(v.documentId) ?? []), v]);
  return rows.map((r) => ({ ...r, versions: by.get(r.id) ?? [] }));
}

export async function getWithVersions(db: Executor, ws: string, id: string): Promise<DocumentWithVersions> {
  const [d] = await withVersions(db, [await getDocument(db, ws, id)]);
  return d as DocumentWithVersions;
}

/**
 * Checks, before any bytes move, that the caller may add a version to `documentId`
 * (exists, ACTIVE, theirs or they manage) and that `folderId` exists.
 */
/** A document that may take a new version from the caller: exists, ACTIVE, theirs or they manage. */
function assertVersionTarget(
  ctx: AuthContext,
  doc: DocumentRow | undefined,
  field: string,
): asserts doc is DocumentRow {
  if (!doc) {
    throw new BadRequest(`${field}: no such document in this workspace`, [
      { field, message: 'No such document in this workspace' },
    ]);
  }
  requireSelfOr(ctx, doc.uploadedById, MANAGERS);
  if (doc.status !== 'ACTIVE') {
    throw new Conflict(`Document ${doc.id} is ${doc.status}; only an ACTIVE document takes new versions`, [
      { field, message: `Document is ${doc.status}` },
    ]);
  }
  if (doc.version >= MAX_VERSIONS_PER_DOCUMENT) {
    throw new Conflict(`A document keeps at most ${MAX_VERSIONS_PER_DOCUMENT} versions`, [
      { field, message: 'Too many versions' },
    ]);
  }
}

/**
 * Checks, before any bytes move, that the caller may add a version to `documentId`
 * and that `folderId` exists, so a doomed upload is refused up front.
 */
export async function checkTarget(
  db: Executor,
  ctx: AuthContext,
  t: { documentId?: string; folderId?: string | null },
  prefix: 'body' | 'query',
): Promise<void> {
  if (t.documentId) {
    const [doc] = await db
      .select()
      .from(documents)
      .where(and(eq(documents.workspaceId, ctx.workspaceId), eq(documents.id, t.documentId)));
    assertVersionTarget(ctx, doc, `${prefix}.document_id`);
  }
  if (t.folderId) await assertFolder(db, ctx.workspaceId, t.folderId, `${prefix}.folder_id`);
}

const fileColumns = (o: StoredObject) => ({
  fileName: o.fileName,
  mimeType: o.mimeType,
  sizeBytes: o.size,
  sha256: o.sha256,
  storageKey: o.key,
});

const fileAudit = (o: StoredObject, version: number) => ({
  version,
  file_name: o.fileName,
  mime_type: o.mimeType,
  size_bytes: o.size,
  sha256: o.sha256,
  storage_key: o.key,
});

/**
 * Records a stored object: a new document (version 1), or, with document_id, the
 * next version of an existing one (previous versions stay). Fields given also
 * update the document. A key registered before is a 409 naming storage_key.
 */
export async function registerObject(
  db: Db,
  ctx: AuthContext,
  obj: StoredObject,
  input: RegisterInput,
  names: { prefix: 'body' | 'query'; keyField: string } = { prefix: 'body', keyField: 'body.storage_key' },
): Promise<DocumentWithVersions> {
  const { prefix, keyField } = names;
  const tags = input.tags ? cleanTags(input.tags, `${prefix}.tags`) : undefined;
  const id = await db
    .transaction(async (tx) => {
      const [taken] = await tx
        .select({ id: documentVersions.id })
        .from(documentVersions)
        .where(eq(documentVersions.storageKey, obj.key));
      if (taken) {
        throw new Conflict('This object is already registered', [
          { field: keyField, message: 'Already registered' },
        ]);
      }
      if (input.folder_id) await assertFolder(tx, ctx.workspaceId, input.folder_id, `${prefix}.folder_id`);
      // the fields given, as audited (snake_case) and as columns
      const changed = {
        ...(input.title !== undefined && { title: input.title }),
        ...(input.description !== undefined && { description: input.description }),
        ...(input.folder_id !== undefined && { folder_id: input.folder_id }),
        ...(tags !== undefined && { tags }),
      };
      const { folder_id: folderId, ...same } = changed;
      const fields = { ...same, ...(folderId !== undefined && { folderId }) };
      if (input.document_id) {
        const [doc] = await tx
          .select()
          .from(documents)
          .where(and(eq(documents.workspaceId, ctx.workspaceId), eq(documents.id, input.document_id)))
          .for('update');
        assertVersionTarget(ctx, doc, `${prefix}.document_id`);
        const version = doc.version + 1;
        await tx.insert(documentVersions).values({
          workspaceId: ctx.workspaceId,
          documentId: doc.id,
          version,
          ...fileColumns(obj),
          etag: obj.etag,
          uploadedById: actorId(ctx),
        });
        await tx
          .update(documents)
          .set({ ...fields, ...fileColumns(obj), version, updatedAt: new Date() })
          .where(eq(documents.id, doc.id));
        await audit(tx, ctx, {
          action: 'DOCUMENT_UPLOADED',
          targetType: 'document',
          targetId: doc.id,
          oldValue: { version: doc.version, sha256: doc.sha256, storage_key: doc.storageKey },
          newValue: { ...fileAudit(obj, version), ...changed },
          description: `Version ${version} of "${fields.title ?? doc.title}"`,
        });
        return doc.id;
      }
      const [doc] = await tx
        .insert(documents)
        .values({
          workspaceId: ctx.workspaceId,
          title: obj.fileName,
          ...fields,
          ...fileColumns(obj),
          version: 1,
          uploadedById: actorId(ctx),
        })
        .returning();
      if (!doc) throw new Error('document insert returned nothing');
      await tx.insert(documentVersions).values({
        workspaceId: ctx.workspaceId,
        documentId: doc.id,
        version: 1,
        ...fileColumns(obj),
        etag: obj.etag,
        uploadedById: actorId(ctx),
      });
      await audit(tx, ctx, {
        action: 'DOCUMENT_UPLOADED',
        targetType: 'document',
        targetId: doc.id,
        newValue: { ...fileAudit(obj, 1), title: doc.title, folder_id: doc.folderId, tags: doc.tags },
        description: `Document "${doc.title}" uploaded`,
      });
      return doc.id;
    })
    .catch(onUniqueViolation(keyField, 'This object is already registered'));
  return getWithVersions(db, ctx.workspaceId, id);
}

export async function listDocuments(db: Executor, ws: string, f: ListQuery): Promise<Page<DocumentRow>> {
  const where = [eq(documents.workspaceId, ws), eq(documents.status, f.status)];
  if (f.folder_id === 'root') where.push(isNull(documents.folderId));
  else if (f.folder_id) where.push(eq(documents.folderId, f.folder_id));
  const mime = f.mime_type ? mimeFilter(f.mime_type) : null;
  if (mime && 'exact' in mime) where.push(eq(documents.mimeType, mime.exact));
  if (mime && 'prefix' in mime) where.push(sql`starts_with(${documents.mimeType}, ${mime.prefix})`);
  if (f.tags?.length) {
    const tags = cleanTags(f.tags, 'query.tags');
    where.push(sql`${documents.tags} @> ${JSON.stringify(tags)}::jsonb`);
  }
  if (f.search) {
    const like = `%${likeEscape(f.search)}%`;
    where.push(or(ilike(documents.title, like), ilike(documents.fileName, like)) ?? sql`true`);
  }
  if (f.uploader_id) where.push(eq(documents.uploadedById, f.uploader_id));
  return listPage(db, documents, where, f);
}

export interface DocumentPatch {
  title?: string;
  description?: string | null;
  tags?: string[];
  status?: Exclude<DocumentStatus, 'DELETED'>;
}

/** Changes metadata; status ARCHIVED archives, ACTIVE restores an archived document. */
export async function updateDocument(db: Db, ctx: AuthContext, id: string, patch: DocumentPatch) {
  const tags = patch.tags ? cleanTags(patch.tags) : undefined;
  await db.transaction(async (tx) => {
    const before = await lockForWrite(tx, ctx, id);
    const now = new Date();
    const statusChange = patch.status && patch.status !== before.status ? patch.status : undefined;
    const set = {
      ...(patch.title !== undefined && { title: patch.title }),
      ...(patch.description !== undefined && { description: patch.description }),
      ...(tags !== undefined && { tags }),
      ...(statusChange && { status: statusChange, archivedAt: statusChange === 'ARCHIVED' ? now : null }),
    };
    await tx
      .update(documents)
      .set({ ...set, updatedAt: now })
      .where(eq(documents.id, id));
    await audit(tx, ctx, {
      action: statusChange === 'ARCHIVED' ? 'DOCUMENT_ARCHIVED' : 'DOCUMENT_UPDATED',
      targetType: 'document',
      targetId: id,
      oldValue: {
        title: before.title,
        description: before.description,
        tags: before.tags,
        status: before.status,
      },
      newValue: { ...patch, ...(tags && { tags }) },
    });
  });
  return getWithVersions(db, ctx.workspaceId, id);
}

export async function moveDocument(db: Db, ctx: AuthContext, id: string, folderId: string | null) {
  await db.transaction(async (tx) => {
    const before = await lockForWrite(tx, ctx, id);
    if (folderId) await assertFolder(tx, ctx.workspaceId, folderId, 'body.folder_id');
    if (before.folderId === folderId) return;
    await tx.update(documents).set({ folderId, updatedAt: new Date() }).where(eq(documents.id, id));
    await audit(tx, ctx, {
      action: 'DOCUMENT_MOVED',
      targetType: 'document',
      targetId: id,
      oldValue: { folder_id: before.folderId },
      newValue: { folder_id: folderId },
    });
  });
  return getWithVersions(db, ctx.workspaceId, id);
}

/** Archives (idempotent): hidden from the default list, kept, still downloadable and linkable. */
export async function archiveDocument(db: Db, ctx: AuthContext, id: string) {
  await db.transaction(async (tx) => {
    const before = await lockForWrite(tx, ctx, id);
    if (before.status === 'ARCHIVED') return;
    const now = new Date();
    await tx
      .update(documents)
      .set({ status: 'ARCHIVED', archivedAt: now, updatedAt: now })
      .where(eq(documents.id, id));
    await audit(tx, ctx, {
      action: 'DOCUMENT_ARCHIVED',
      targetType: 'document',
      targetId: id,
      oldValue: { status: before.status },
      newValue: { status: 'ARCHIVED' },
    });
  });
  return getWithVersions(db, ctx.workspaceId, id);
}

/** Soft delete: status DELETED; the row, versions, links and stored objects are kept for the audit trail. */
export async function deleteDocument(db: Db, ctx: AuthContext, id: string): Promise<void> {
  await db.transaction(async (tx) => {
    const before = await lockForWrite(tx, ctx, id);
    const now = new Date();
    await tx
      .update(documents)
      .set({ status: 'DELETED', deletedAt: now, updatedAt: now })
      .where(eq(documents.id, id));
    await audit(tx, ctx, {
      action: 'DOCUMENT_DELETED',
      targetType: 'document',
      targetId: id,
      oldValue: { status: before.status, title: before.title, version: before.version },
      newValue: { status: 'DELETED' },
    });
  });
}
