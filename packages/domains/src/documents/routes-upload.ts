// Getting bytes in: presigned upload URL, direct multipart upload, register after upload.
import { WRITERS } from '@vigil/kernel/auth';
import { z } from 'zod';
import { ts, wsParam } from '../api-schemas';
import { route } from '../deps';
import {
  descriptionField,
  documentJson,
  documentSchema,
  fileNameField,
  mimeField,
  sha256Field,
  tagList,
  titleField,
} from './api-schemas';
import { createUploadUrl, directUpload, registerUpload, uploadFields } from './upload';

export const T = 'Compliance documents';
export const base = '/workspaces/:ws/compliance/documents';

const uploadUrlSchema = z.object({
  upload_url: z.string().describe('PUT the bytes here before expires_at'),
  method: z.literal('PUT'),
  headers: z.record(z.string(), z.string()).describe('Headers the PUT must carry exactly'),
  storage_key: z.string().describe('Pass to POST .../compliance/documents once uploaded'),
  file_name: z.string(),
  size_bytes: z.number().int().describe('The PUT body must be exactly this long'),
  expires_at: ts,
});

const storageNote =
  'Needs S3 (S3_BUCKET...): without it the answer is 503 application/problem+json saying storage is not configured.';

export const uploadRoutes = [
  route({
    method: 'post',
    path: `${base}/upload-url`,
    tag: T,
    summary: 'A presigned S3 PUT URL (15 minutes) for a new file or a new version of a document',
    description:
      'The URL binds the content type, the exact size, the uploader and, when `sha256` is given, the ' +
      'checksum S3 verifies. The key is `workspaces/<ws>/documents/<uuid>/<file name>`. After the PUT, ' +
      'register the key with POST .../compliance/documents. A size over DOCUMENT_MAX_UPLOAD_BYTES is a ' +
      `413 naming size_bytes. ${storageNote}`,
    roles: WRITERS,
    status: 200,
    params: wsParam,
    body: z.strictObject({
      file_name: fileNameField,
      mime_type: mimeField,
      size_bytes: z.number().int().min(1),
      sha256: sha256Field.optional().describe('hex sha256 of the file; S3 then refuses other bytes'),
      document_id: z.uuid().optional().describe('The document this file will become a new version of'),
    }),
    response: uploadUrlSchema,
    handler: async ({ body, ctx, deps }) => createUploadUrl(deps, ctx, body),
  }),
  route({
    method: 'post',
    path: `${base}/upload`,
    tag: T,
    summary: 'Direct upload: multipart/form-data with a `file` part, streamed to S3 and registered',
    description:
      'The `file` part is streamed to S3 as it arrives (never held whole in memory), counted and hashed ' +
      '(sha256). Past DOCUMENT_MAX_UPLOAD_BYTES the upload is aborted with 413. Metadata (title, ' +
      'description, folder_id, tags as comma-separated text, document_id for a new version, file_name) ' +
      'may be given as query parameters or as text parts, not both. The type recorded is the part’s ' +
      `Content-Type. ${storageNote}`,
    roles: WRITERS,
    params: wsParam,
    query: uploadFields,
    bodyType: 'multipart',
    body: z.object({
      file: z.string().meta({ format: 'binary' }).describe('The file'),
      title: z.string().optional(),
      description: z.string().optional(),
      folder_id: z.uuid().optional(),
      document_id: z.uuid().optional(),
      tags: z.string().optional().describe('Comma-separated'),
      file_name: z.string().optional(),
    }),
    response: documentSchema,
    handler: async ({ query, ctx, deps, req, res }) =>
      documentJson(await directUpload(deps, ctx, req, res, query)),
  }),
  route({
    method: 'post',
    path: `${base}`,
    tag: T,
    summary: 'Register an uploaded file: a new document, or with document_id its next version',
    description:
      'The key must come from upload-url for this workspace and exist in the bucket; otherwise 400 ' +
      'naming storage_key. Size, type and ETag are read with HeadObject; the sha256 from the checksum ' +
      'S3 verified, or by reading the object once. A new version keeps every previous one. Members ' +
      `register only their own uploads and version only their own documents. ${storageNote}`,
    roles: WRITERS,
    params: wsParam,
    body: z.strictObject({
      storage_key: z.string().min(1).max(1024),
      document_id: z.uuid().optional().describe('Add a version to this document'),
      title: titleField.optional().describe('Defaults to the file name'),
      description: descriptionField.optional(),
      folder_id: z.uuid().nullable().optional(),
      tags: tagList.optional(),
    }),
    response: documentSchema,
    handler: async ({ body, ctx, deps }) => documentJson(await registerUpload(deps, ctx, body)),
  }),
];
