// Request and response schemas of the documents API, and the row-to-JSON mapping.
import { pageQuery } from '@vigil/kernel/pagination';
import { toJson } from '@vigil/kernel/serialize';
import { z } from 'zod';
import { nullableTs, ts } from '../api-schemas';
import { CRITERION_IDS, TRUST_SERVICES_CATEGORIES } from './criteria';
import {
  MAX_FILE_NAME_LENGTH,
  MAX_TAG_LENGTH,
  MAX_TAGS_PER_DOCUMENT,
  mimeFilter,
  normalizeMime,
} from './rules';
import {
  DOCUMENT_STATUSES,
  type documents,
  type documentVersions,
  EXTRACTION_STATUSES,
  LINK_ENTITY_TYPES,
} from './schema';

export type DocumentRow = typeof documents.$inferSelect;
export type VersionRow = typeof documentVersions.$inferSelect;
export type DocumentWithVersions = DocumentRow & { versions: VersionRow[] };

export const docParam = z.object({ ws: z.uuid(), doc_id: z.uuid() });

export const titleField = z.string().trim().min(1).max(300);
export const descriptionField = z.string().max(5000).nullable();
export const tagList = z
  .array(z.string().max(MAX_TAG_LENGTH * 4))
  .max(MAX_TAGS_PER_DOCUMENT, `At most ${MAX_TAGS_PER_DOCUMENT} tags per document`);
export const mimeField = z
  .string()
  .max(255)
  .transform((v, c) => {
    const m = normalizeMime(v);
    if (!m) {
      c.addIssue({ code: 'custom', message: 'A MIME type like application/pdf (no parameters)' });
      return z.NEVER;
    }
    return m;
  });
export const sha256Field = z
  .string()
  .regex(/^[0-9a-fA-F]{64}$/, 'sha256 as 64 hex characters')
  .transform((v) => v.toLowerCase());
export const fileNameField = z.string().trim().min(1).max(MAX_FILE_NAME_LENGTH);

/** What extractDocumentMetadata found in a version's bytes (documents/extract.ts). */
export const extractionMetadataSchema = z
  .object({
    content_type: z.string().nullable().describe('Sniffed from the bytes, not the name or the declared type'),
    declared_type: z.string().describe('The MIME type the upload declared'),
    type_matches: z.boolean().optional(),
    format: z.enum(['PDF', 'DOCX', 'SPREADSHEET', 'CSV', 'IMAGE', 'TEXT', 'OTHER']).optional(),
    size_bytes: z.number().int(),
    page_count: z
      .number()
      .int()
      .nullable()
      .optional()
      .describe('PDF pages; for a DOCX, the count Word saved'),
    pages_read: z
      .number()
      .int()
      .optional()
      .describe('PDF pages whose text was read (DOCUMENT_EXTRACTION_MAX_PAGES)'),
    title: z.string().nullable().optional().describe('PDF document info'),
    author: z.string().nullable().optional(),
    sheet_count: z.number().int().optional(),
    row_count: z.number().int().optional().describe('Rows over all sheets'),
    sheets: z
      .array(z.object({ name: z.string(), rows: z.number().int(), columns: z.number().int() }))
      .optional(),
    image: z
      .object({
        width: z.number().int().nullable(),
        height: z.number().int().nullable(),
        type: z.string().nullable(),
      })
      .optional(),
    word_count: z.number().int().optional(),
    char_count: z.number().int().optional(),
    language: z.string().nullable().optional().describe('ISO 639-3 code (franc-min); null when undetermined'),
    extract: z.string().optional().describe('The first 500 characters of the text'),
    text_truncated: z.boolean().optional().describe('Only part of the text was read (a limit)'),
    criteria: z
      .array(
        z.object({
          id: z.enum(CRITERION_IDS as [string, ...string[]]),
          name: z.string(),
          category: z.enum(TRUST_SERVICES_CATEGORIES),
          score: z.number().int(),
          hits: z.number().int(),
          matches: z.array(z.string()),
        }),
      )
      .optional()
      .describe('SOC 2 criteria the text mentions (keyword and phrase rules, documents/criteria.ts)'),
    domains: z
      .array(z.enum(TRUST_SERVICES_CATEGORIES))
      .optional()
      .describe('Trust services categories of the criteria'),
    summary: z.string().nullable().optional(),
    summary_source: z.enum(['HEURISTIC', 'LLM']).nullable().optional(),
    summary_model: z.string().nullable().optional(),
    summary_error: z.string().nullable().optional().describe('Why the configured summariser gave no summary'),
  })
  .describe('Null until extraction ran');

export const versionSchema = z.object({
  id: z.uuid(),
  version: z.number().int(),
  file_name: z.string(),
  mime_type: z.string(),
  size_bytes: z.number().int(),
  sha256: z.string().describe('hex sha256 of the stored bytes'),
  storage_key: z.string(),
  etag: z.string().nullable(),
  uploaded_by_id: z.uuid().nullable(),
  metadata: extractionMetadataSchema.nullable(),
  extraction_status: z
    .enum(EXTRACTION_STATUSES)
    .describe('PENDING until the extraction workflow ran; a FAILED extraction leaves the file usable'),
  extraction_error: z.string().nullable().describe('Why extraction FAILED'),
  extracted_at: nullableTs,
  created_at: ts,
  download_url: z
    .string()
    .nullable()
    .optional()
    .describe('Presigned GET, valid 15 minutes (single GET only)'),
});

export const documentSchema = z.object({
  id: z.uuid(),
  workspace_id: z.uuid(),
  title: z.string(),
  description: z.string().nullable(),
  folder_id: z.uuid().nullable(),
  status: z.enum(DOCUMENT_STATUSES),
  tags: z.array(z.string()),
  version: z.number().int().describe('The current version number'),
  file_name: z.string(),
  mime_type: z.string(),
  size_bytes: z.number().int(),
  sha256: z.string(),
  storage_key: z.string(),
  uploaded_by_id: z.uuid().nullable().describe('Who registered version 1: the owner'),
  archived_at: nullableTs,
  deleted_at: nullableTs,
  created_at: ts,
  updated_at: ts,
  versions: z.array(versionSchema).describe('Every version, newest first'),
  download_url: z
    .string()
    .nullable()
    .optional()
    .describe('Presigned GET of the current version, valid 15 minutes (single GET only)'),
});

export const linkSchema = z.object({
  id: z.uuid(),
  document_id: z.uuid(),
  entity_type: z.enum(LINK_ENTITY_TYPES),
  entity_id: z.uuid(),
  created_by_id: z.uuid().nullable(),
  created_at: ts,
});

export const folderSchema = z.object({
  id: z.uuid(),
  workspace_id: z.uuid(),
  name: z.string(),
  parent_id: z.uuid().nullable(),
  created_by_id: z.uuid().nullable(),
  created_at: ts,
  updated_at: ts,
});

/** A tree node; OpenAPI cannot express the recursion, so children are described, not typed. */
export const folderNodeSchema = folderSchema.extend({
  document_count: z.number().int().describe('Documents directly in this folder (not deleted)'),
  children: z
    .array(z.record(z.string(), z.unknown()))
    .describe('Sub-folders, each a node of this same shape (with its own children), by name'),
});

const csv = (max: number) =>
  z
    .string()
    .max(2000)
    .transform((v) =>
      v
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean),
    )
    .refine((a) => a.length <= max, `At most ${max} values`);

export const listQuery = z.strictObject({
  ...pageQuery().shape,
  folder_id: z
    .union([z.uuid(), z.literal('root')])
    .optional()
    .describe('A folder id, or `root` for documents in no folder'),
  status: z.enum(DOCUMENT_STATUSES).default('ACTIVE'),
  mime_type: z
    .string()
    .max(255)
    .refine((v) => mimeFilter(v) !== null, 'A MIME type, or a family like image/*')
    .optional(),
  tags: csv(MAX_TAGS_PER_DOCUMENT).optional().describe('Comma-separated; documents carrying every one'),
  search: z.string().trim().min(1).max(200).optional().describe('Case-insensitive, in title and file name'),
  uploader_id: z.uuid().optional(),
});
export type ListQuery = z.infer<typeof listQuery>;

const versionJson = (v: VersionRow, downloadUrl?: string | null) => {
  const { workspaceId: _w, documentId: _d, ...rest } = v;
  return { ...toJson(rest), ...(downloadUrl !== undefined ? { download_url: downloadUrl } : {}) };
};

/** A document as JSON; `urls` (single GET only) adds presigned download URLs by storage key. */
export function documentJson(d: DocumentWithVersions, urls?: Map<string, string | null>) {
  const { versions, ...row } = d;
  return {
    ...toJson(row),
    versions: versions.map((v) => versionJson(v, urls ? (urls.get(v.storageKey) ?? null) : undefined)),
    ...(urls ? { download_url: urls.get(d.storageKey) ?? null } : {}),
  };
}

export const linkJson = (l: {
  id: string;
  workspaceId: string;
  documentId: string;
  entityType: string;
  entityId: string;
  createdById: string | null;
  createdAt: Date;
}) => {
  const { workspaceId: _w, ...rest } = l;
  return toJson(rest);
};
