// Tables of the compliance documents domain. The bytes live in S3 under
// workspaces/<ws>/documents/<uuid>/<file name>; these rows hold what was stored,
// who stored it, its size and sha256, and where it sits (folder, tags, links).
import { sql } from 'drizzle-orm';
import {
  type AnyPgColumn,
  bigint,
  index,
  integer,
  jsonb,
  pgTable,
  text,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { createdAt, idColumn, tstz, updatedAt } from '../columns';

export const DOCUMENT_STATUSES = ['ACTIVE', 'ARCHIVED', 'DELETED'] as const;
/** Where a version's metadata extraction stands (drizzle/0010_document_extraction.sql). */
export const EXTRACTION_STATUSES = ['PENDING', 'DONE', 'FAILED'] as const;
export type ExtractionStatus = (typeof EXTRACTION_STATUSES)[number];
export type DocumentStatus = (typeof DOCUMENT_STATUSES)[number];

/** What a document can be linked to; each names a table checked for existence in the caller's workspace. */
export const LINK_ENTITY_TYPES = [
  'REMINDER',
  'REMINDER_INSTANCE',
  'CERTIFICATION',
  'DEVELOPER_CERTIFICATION',
  'TRAINING',
  'TRAINING_ASSIGNMENT',
  'POLICY',
  'QUESTIONNAIRE',
  'TICKET',
] as const;
export type LinkEntityType = (typeof LINK_ENTITY_TYPES)[number];

/**
 * Folders form a tree per workspace (parent_id null = top level). Sibling names
 * are unique case-insensitively. A folder is removed for good (the audit log keeps
 * the record); documents that still point at it fall back to the top level.
 */
export const documentFolders = pgTable(
  'document_folders',
  {
    id: idColumn(),
    workspaceId: uuid('workspace_id').notNull(),
    name: text('name').notNull(),
    // checked at the end of each statement, so a folder and its sub-folders go in one DELETE
    parentId: uuid('parent_id').references((): AnyPgColumn => documentFolders.id),
    createdById: uuid('created_by_id'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index('document_folders_ws_idx').on(t.workspaceId, t.parentId),
    uniqueIndex('document_folders_sibling_name_uq').on(
      t.workspaceId,
      sql`coalesce(${t.parentId}, '00000000-0000-0000-0000-000000000000'::uuid)`,
      sql`lower(${t.name})`,
    ),
  ],
);

/**
 * One document; its current file is the newest row of document_versions, copied
 * here (version, file_name, mime_type, size_bytes, sha256, storage_key) so lists
 * need no join. uploaded_by_id is who registered version 1: the owner a member
 * must be to change it. DELETE is a soft delete (status DELETED, deleted_at): the
 * row, its versions and the stored objects stay.
 */
export const documents = pgTable(
  'documents',
  {
    id: idColumn(),
    workspaceId: uuid('workspace_id').notNull(),
    title: text('title').notNull(),
    description: text('description'),
    folderId: uuid('folder_id').references(() => documentFolders.id, { onDelete: 'set null' }),
    status: text('status').$type<DocumentStatus>().notNull().default('ACTIVE'),
    tags: jsonb('tags').$type<string[]>().notNull().default([]),
    version: integer('version').notNull().default(1),
    fileName: text('file_name').notNull(),
    mimeType: text('mime_type').notNull(),
    sizeBytes: bigint('size_bytes', { mode: 'number' }).notNull(),
    sha256: text('sha256').notNull(),
    storageKey: text('storage_key').notNull(),
    uploadedById: uuid('uploaded_by_id'),
    archivedAt: tstz('archived_at'),
    deletedAt: tstz('deleted_at'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index('documents_ws_status_idx').on(t.workspaceId, t.status, t.id),
    index('documents_ws_folder_idx').on(t.workspaceId, t.folderId),
    index('documents_tags_idx').using('gin', t.tags),
  ],
);

/** Every file ever registered for a document; version numbers start at 1 and never repeat. */
export const documentVersions = pgTable(
  'document_versions',
  {
    id: idColumn(),
    workspaceId: uuid('workspace_id').notNull(),
    documentId: uuid('document_id')
      .notNull()
      .references(() => documents.id, { onDelete: 'cascade' }),
    version: integer('version').notNull(),
    fileName: text('file_name').notNull(),
    mimeType: text('mime_type').notNull(),
    sizeBytes: bigint('size_bytes', { mode: 'number' }).notNull(),
    sha256: text('sha256').notNull(),
    storageKey: text('storage_key').notNull(),
    etag: text('etag'),
    uploadedById: uuid('uploaded_by_id'),
    /** What extractDocumentMetadata found in the bytes (see extract.ts); null until it ran. */
    metadata: jsonb('metadata').$type<Record<string, unknown>>(),
    extractionStatus: text('extraction_status').$type<ExtractionStatus>().notNull().default('PENDING'),
    extractionError: text('extraction_error'),
    extractedAt: tstz('extracted_at'),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('document_versions_doc_version_uq').on(t.documentId, t.version),
    uniqueIndex('document_versions_key_uq').on(t.storageKey),
  ],
);

/** A document linked to a compliance entity (evidence for a reminder instance, a certificate scan...). */
export const documentLinks = pgTable(
  'document_links',
  {
    id: idColumn(),
    workspaceId: uuid('workspace_id').notNull(),
    documentId: uuid('document_id')
      .notNull()
      .references(() => documents.id, { onDelete: 'cascade' }),
    entityType: text('entity_type').$type<LinkEntityType>().notNull(),
    entityId: uuid('entity_id').notNull(),
    createdById: uuid('created_by_id'),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('document_links_doc_entity_uq').on(t.documentId, t.entityType, t.entityId),
    index('document_links_entity_idx').on(t.workspaceId, t.entityType, t.entityId),
  ],
);
