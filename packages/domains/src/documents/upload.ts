// The storage side of documents: presigned upload URLs, registering what was
// uploaded (verified with HeadObject), and direct multipart uploads streamed to S3.
import { type AuthContext, MANAGERS } from '@vigil/kernel/auth';
import { AppError, BadRequest, Forbidden } from '@vigil/kernel/errors';
import { parseOrThrow } from '@vigil/kernel/http';
import { newId } from '@vigil/kernel/ids';
import { mediaTypeOf, readMultipart } from '@vigil/kernel/multipart';
import type { Request, Response } from 'express';
import { z } from 'zod';
import type { AppDeps } from '../deps';
import { type DocumentWithVersions, descriptionField, titleField } from './api-schemas';
import { displayFileName, normalizeMime, PRESIGN_TTL_SECONDS, parseStorageKey, storageKey } from './rules';
import { checkTarget, cleanTags, type RegisterInput, registerObject } from './service';
import { type ObjectWriter, requireStorage } from './storage';

const tooLarge = (limit: number, field: string) =>
  new AppError(413, 'Content Too Large', `The file exceeds the ${limit} byte limit`, [
    { field, message: `At most ${limit} bytes` },
  ]);

const badKey = (message: string) =>
  new BadRequest(`body.storage_key: ${message}`, [{ field: 'body.storage_key', message }]);

export interface UploadUrlInput {
  file_name: string;
  mime_type: string;
  size_bytes: number;
  sha256?: string;
  document_id?: string;
}

/**
 * A presigned PUT for a new object under workspaces/<ws>/documents/<uuid>/<name>.
 * The URL binds the content type, the exact size, the uploader and (if given) the
 * sha256, and expires after 15 minutes. Register the key afterwards.
 */
export async function createUploadUrl(deps: AppDeps, ctx: AuthContext, input: UploadUrlInput) {
  const storage = requireStorage(deps.config);
  const limit = deps.config.DOCUMENT_MAX_UPLOAD_BYTES;
  if (input.size_bytes > limit) throw tooLarge(limit, 'body.size_bytes');
  await checkTarget(deps.db, ctx, { documentId: input.document_id }, 'body');
  const fileName = displayFileName(input.file_name);
  const key = storageKey(ctx.workspaceId, newId(), fileName);
  const signed = await storage.presignPut({
    key,
    contentType: input.mime_type,
    size: input.size_bytes,
    sha256: input.sha256,
    meta: { workspaceId: ctx.workspaceId, uploadedBy: ctx.memberId, fileName },
  });
  return {
    upload_url: signed.url,
    method: 'PUT' as const,
    headers: signed.headers,
    storage_key: key,
    file_name: fileName,
    size_bytes: input.size_bytes,
    expires_at: new Date(Date.now() + PRESIGN_TTL_SECONDS * 1000).toISOString(),
  };
}

/**
 * Registers an object uploaded with a presigned URL. The key must be a document key
 * of the caller's workspace and exist in the bucket (else 400 naming storage_key);
 * size, type and ETag come from HeadObject, the sha256 from S3's checksum or, when
 * S3 holds none, from reading the object once.
 */
export async function registerUpload(
  deps: AppDeps,
  ctx: AuthContext,
  input: RegisterInput & { storage_key: string },
): Promise<DocumentWithVersions> {
  const storage = requireStorage(deps.config);
  const parsed = parseStorageKey(input.storage_key);
  if (!parsed) throw badKey('Not a document key; get one from upload-url');
  if (parsed.workspaceId !== ctx.workspaceId) throw badKey('Not a key of this workspace');
  if (input.tags) cleanTags(input.tags);
  await checkTarget(deps.db, ctx, { documentId: input.document_id, folderId: input.folder_id }, 'body');
  const head = await storage.head(input.storage_key);
  if (!head) throw badKey('Nothing was uploaded under this key (or the upload has not finished)');
  if (head.meta.workspaceId && head.meta.workspaceId !== ctx.workspaceId) {
    throw badKey('Not a key of this workspace');
  }
  if (head.meta.uploadedBy !== ctx.memberId && !MANAGERS.includes(ctx.role)) {
    throw new Forbidden('You may register only files you uploaded');
  }
  const limit = deps.config.DOCUMENT_MAX_UPLOAD_BYTES;
  if (head.size > limit) throw badKey(`The object exceeds the ${limit} byte limit`);
  if (head.size === 0) throw badKey('The uploaded object is empty');
  const hashed = head.sha256 ? null : await storage.hashObject(input.storage_key);
  return registerObject(
    deps.db,
    ctx,
    {
      key: input.storage_key,
      fileName: head.meta.fileName ? displayFileName(head.meta.fileName) : parsed.segment,
      mimeType: normalizeMime(head.contentType ?? '') ?? 'application/octet-stream',
      size: hashed?.size ?? head.size,
      sha256: head.sha256 ?? (hashed?.sha256 as string),
      etag: head.etag,
    },
    input,
  );
}

/** Text fields a direct upload accepts in the multipart body (or the query string). */
export const uploadFields = z.strictObject({
  file_name: z.string().trim().min(1).max(255).optional(),
  title: titleField.optional(),
  description: descriptionField.optional(),
  folder_id: z.uuid().optional(),
  document_id: z.uuid().optional(),
  tags: z
    .string()
    .max(2000)
    .transform((v) =>
      v
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean),
    )
    .optional()
    .describe('Comma-separated'),
});
export type UploadFields = z.infer<typeof uploadFields>;

const ENVELOPE_BYTES = 64 * 1024;

/**
 * A direct multipart/form-data upload: the `file` part is streamed to S3 as it
 * arrives (memory stays at one 5 MiB part), hashed and counted on the way; past
 * DOCUMENT_MAX_UPLOAD_BYTES the upload is aborted with 413. Metadata comes from the
 * query string and/or text parts. A registration that fails removes the object.
 */
export async function directUpload(
  deps: AppDeps,
  ctx: AuthContext,
  req: Request,
  res: Response,
  query: UploadFields,
): Promise<DocumentWithVersions> {
  const storage = requireStorage(deps.config);
  const limit = deps.config.DOCUMENT_MAX_UPLOAD_BYTES;
  if (mediaTypeOf(req) !== 'multipart/form-data') {
    throw new AppError(
      415,
      'Unsupported Media Type',
      'Send the file as multipart/form-data in a `file` part',
      [{ field: 'file', message: 'multipart/form-data with a boundary is required' }],
    );
  }
  const refuse = () => {
    // the rest of the body is not read; the connection is not reused
    res.setHeader('Connection', 'close');
    return tooLarge(limit, 'file');
  };
  const declared = Number(req.get('content-length') ?? Number.NaN);
  if (Number.isFinite(declared) && declared > limit + ENVELOPE_BYTES) throw refuse();
  if (query.tags) cleanTags(query.tags, 'query.tags');
  await checkTarget(deps.db, ctx, { documentId: query.document_id, folderId: query.folder_id }, 'query');

  let writer: ObjectWriter | null = null as ObjectWriter | null;
  let mimeType = 'application/octet-stream';
  let fileName = 'file';
  let form: Record<string, string>;
  try {
    ({ fields: form } = await readMultipart(req, res, {
      field: 'file',
      maxFileBytes: limit,
      tooLarge: refuse,
      otherParts: 'collect',
      onFile: async (file, fieldsBefore) => {
        fileName = displayFileName(query.file_name ?? fieldsBefore.file_name ?? file.filename ?? 'file');
        mimeType = normalizeMime(file.mimeType) ?? 'application/octet-stream';
        const w = storage.writer(storageKey(ctx.workspaceId, newId(), fileName), mimeType, {
          workspaceId: ctx.workspaceId,
          uploadedBy: ctx.memberId,
          fileName,
        });
        writer = w;
        for await (const chunk of file.stream) await w.write(chunk as Buffer);
      },
    }));
  } catch (err) {
    // a client that hung up, a malformed body or an overflow: nothing is kept
    await writer?.abort();
    throw err;
  }
  const w = writer;
  if (!w)
    throw new BadRequest('The multipart body has no `file` part', [{ field: 'file', message: 'Missing' }]);
  let fromForm: UploadFields;
  try {
    if (w.size === 0) throw new BadRequest('The file is empty', [{ field: 'file', message: 'Empty' }]);
    fromForm = parseOrThrow('body', uploadFields, form);
    for (const k of Object.keys(fromForm)) {
      if (k in query) {
        throw new BadRequest(`body.${k}: also given in the query string`, [
          { field: `body.${k}`, message: 'Also given in the query string' },
        ]);
      }
    }
  } catch (err) {
    await w.abort();
    throw err;
  }
  const merged = { ...query, ...fromForm };
  const stored = await w.finish().catch(async (err: unknown) => {
    await w.abort();
    throw err;
  });
  try {
    return await registerObject(
      deps.db,
      ctx,
      { key: w.key, fileName, mimeType, size: stored.size, sha256: stored.sha256, etag: stored.etag },
      {
        document_id: merged.document_id,
        title: merged.title,
        description: merged.description,
        folder_id: merged.folder_id,
        tags: merged.tags,
      },
      {
        prefix: ['document_id', 'folder_id', 'tags'].some((k) => k in fromForm) ? 'body' : 'query',
        keyField: 'file',
      },
    );
  } catch (err) {
    await storage.deleteQuietly(w.key);
    throw err;
  }
}
