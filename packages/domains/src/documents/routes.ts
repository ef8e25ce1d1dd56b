// HTTP operations of the compliance documents domain, mounted under
// /workspaces/{ws}/compliance/documents (endpoints.txt).
import { WRITERS } from '@vigil/kernel/auth';
import { pageQuery, pageSchema } from '@vigil/kernel/pagination';
import { z } from 'zod';
import { okSchema, wsParam } from '../api-schemas';
import { route } from '../deps';
import {
  descriptionField,
  docParam,
  documentJson,
  documentSchema,
  linkJson,
  linkSchema,
  listQuery,
  tagList,
  titleField,
} from './api-schemas';
import { addLink, documentsForEntity, listLinks, removeLink } from './links';
import { folderRoutes } from './routes-folders';
import { base, T, uploadRoutes } from './routes-upload';
import { DOCUMENT_STATUSES, LINK_ENTITY_TYPES } from './schema';
import {
  archiveDocument,
  deleteDocument,
  getWithVersions,
  listDocuments,
  moveDocument,
  updateDocument,
  withVersions,
} from './service';
import { storageFor } from './storage';
import { tagDocument, untagDocument, workspaceTags } from './tags';
import { requestExtraction } from './versions';

const docRoutes = [
  route({
    method: 'get',
    path: `${base}`,
    tag: T,
    summary: 'List documents (newest first; ACTIVE unless status says otherwise)',
    description:
      'Filters: folder_id (or `root`), status, mime_type (exact or a family like image/*), tags ' +
      '(comma-separated, all must match), search (title and file name), uploader_id.',
    params: wsParam,
    query: listQuery,
    response: pageSchema(documentSchema),
    handler: async ({ query, ctx, deps }) => {
      const page = await listDocuments(deps.db, ctx.workspaceId, query);
      const data = await withVersions(deps.db, page.data);
      return { data: data.map((d) => documentJson(d)), next_cursor: page.next_cursor };
    },
  }),
  route({
    method: 'get',
    path: `${base}/by-entity/:entity_type/:entity_id`,
    tag: T,
    summary: 'Documents linked to an entity (a reminder instance also shows its completion evidence)',
    description: 'Deleted documents appear only with status=DELETED. An unknown entity is a 404.',
    params: z.object({ ws: z.uuid(), entity_type: z.enum(LINK_ENTITY_TYPES), entity_id: z.uuid() }),
    query: z.strictObject({ ...pageQuery().shape, status: z.enum(DOCUMENT_STATUSES).optional() }),
    response: pageSchema(documentSchema),
    handler: async ({ params, query, ctx, deps }) => {
      const page = await documentsForEntity(
        deps.db,
        ctx.workspaceId,
        params.entity_type,
        params.entity_id,
        query,
      );
      const data = await withVersions(deps.db, page.data);
      return { data: data.map((d) => documentJson(d)), next_cursor: page.next_cursor };
    },
  }),
  route({
    method: 'get',
    path: `${base}/tags/all`,
    tag: T,
    summary: 'Tags in use on the workspace’s documents (not deleted), with counts, by name',
    params: wsParam,
    query: z.strictObject({ limit: z.coerce.number().int().min(1).max(1000).default(500) }),
    response: z.object({ data: z.array(z.object({ tag: z.string(), count: z.number().int() })) }),
    handler: async ({ query, ctx, deps }) => ({
      data: await workspaceTags(deps.db, ctx.workspaceId, query.limit),
    }),
  }),
  route({
    method: 'get',
    path: `${base}/:doc_id`,
    tag: T,
    summary: 'One document with every version and presigned download URLs (15 minutes)',
    description:
      'Any status, so an auditor can still read an archived or deleted document. download_url is null ' +
      'when storage is not configured.',
    params: docParam,
    response: documentSchema,
    handler: async ({ params, ctx, deps }) => {
      const doc = await getWithVersions(deps.db, ctx.workspaceId, params.doc_id);
      const storage = storageFor(deps.config);
      const urls = new Map<string, string | null>();
      for (const v of doc.versions) {
        urls.set(v.storageKey, storage ? await storage.presignGet(v.storageKey, v.fileName) : null);
      }
      return documentJson(doc, urls);
    },
  }),
  route({
    method: 'patch',
    path: `${base}/:doc_id`,
    tag: T,
    summary: 'Update metadata: title, description, tags (replaced), status ACTIVE/ARCHIVED',
    description: 'Members change only their own documents; admins and managers any.',
    roles: WRITERS,
    params: docParam,
    body: z
      .strictObject({
        title: titleField.optional(),
        description: descriptionField.optional(),
        tags: tagList.optional(),
        status: z.enum(['ACTIVE', 'ARCHIVED']).optional().describe('ACTIVE restores an archived document'),
      })
      .refine((b) => Object.keys(b).length > 0, 'Give at least one field'),
    response: documentSchema,
    handler: async ({ params, body, ctx, deps }) =>
      documentJson(await updateDocument(deps.db, ctx, params.doc_id, body)),
  }),
  route({
    method: 'post',
    path: `${base}/:doc_id/move`,
    tag: T,
    summary: 'Move to a folder (null: the top level)',
    roles: WRITERS,
    status: 200,
    params: docParam,
    body: z.strictObject({ folder_id: z.uuid().nullable() }),
    response: documentSchema,
    handler: async ({ params, body, ctx, deps }) =>
      documentJson(await moveDocument(deps.db, ctx, params.doc_id, body.folder_id)),
  }),
  route({
    method: 'post',
    path: `${base}/:doc_id/archive`,
    tag: T,
    summary: 'Archive: hidden from the default list, kept and downloadable (idempotent)',
    roles: WRITERS,
    status: 200,
    params: docParam,
    body: z.strictObject({}).optional(),
    response: documentSchema,
    handler: async ({ params, ctx, deps }) =>
      documentJson(await archiveDocument(deps.db, ctx, params.doc_id)),
  }),
  route({
    method: 'post',
    path: `${base}/:doc_id/versions/:version/extract`,
    tag: T,
    summary: 'Run the metadata extraction of a version again (its status goes back to PENDING)',
    description:
      'For a version whose extraction is DONE or FAILED (409 while PENDING), e.g. after a limit was raised or a ' +
      'summariser configured. Answers at once; the document/<version id> workflow extracts within seconds.',
    roles: WRITERS,
    status: 202,
    params: docParam.extend({ version: z.coerce.number().int().min(1).max(1_000_000) }),
    body: z.strictObject({}).optional(),
    response: documentSchema,
    handler: async ({ params, ctx, deps }) =>
      documentJson(await requestExtraction(deps.db, ctx, params.doc_id, params.version)),
  }),
  route({
    method: 'delete',
    path: `${base}/:doc_id`,
    tag: T,
    summary: 'Soft delete: status DELETED; the versions, links and stored files are kept for audit',
    roles: WRITERS,
    status: 200,
    params: docParam,
    response: okSchema,
    handler: async ({ params, ctx, deps }) => {
      await deleteDocument(deps.db, ctx, params.doc_id);
      return { ok: true };
    },
  }),
  route({
    method: 'post',
    path: `${base}/:doc_id/tags`,
    tag: T,
    summary: 'Add tags (normalized to lower case; at most 20 per document)',
    roles: WRITERS,
    status: 200,
    params: docParam,
    body: z.strictObject({ tags: tagList.min(1) }),
    response: documentSchema,
    handler: async ({ params, body, ctx, deps }) =>
      documentJson(await tagDocument(deps.db, ctx, params.doc_id, body.tags)),
  }),
  route({
    method: 'delete',
    path: `${base}/:doc_id/tags/:tag`,
    tag: T,
    summary: 'Remove a tag (404 if the document does not carry it)',
    roles: WRITERS,
    status: 200,
    params: z.object({ ws: z.uuid(), doc_id: z.uuid(), tag: z.string().min(1).max(200) }),
    response: documentSchema,
    handler: async ({ params, ctx, deps }) =>
      documentJson(await untagDocument(deps.db, ctx, params.doc_id, params.tag)),
  }),
];

const linkRoutes = [
  route({
    method: 'post',
    path: `${base}/:doc_id/links`,
    tag: T,
    summary: 'Link the document to a compliance entity of this workspace',
    description: 'The entity must exist in the workspace (else 400 naming entity_id); a repeat is a 409.',
    roles: WRITERS,
    params: docParam,
    body: z.strictObject({ entity_type: z.enum(LINK_ENTITY_TYPES), entity_id: z.uuid() }),
    response: linkSchema,
    handler: async ({ params, body, ctx, deps }) =>
      linkJson(await addLink(deps.db, ctx, params.doc_id, body)),
  }),
  route({
    method: 'get',
    path: `${base}/:doc_id/links`,
    tag: T,
    summary: 'The document’s links, oldest first',
    params: docParam,
    response: z.object({ data: z.array(linkSchema) }),
    handler: async ({ params, ctx, deps }) => ({
      data: (await listLinks(deps.db, ctx.workspaceId, params.doc_id)).map(linkJson),
    }),
  }),
  route({
    method: 'delete',
    path: `${base}/:doc_id/links/:link_id`,
    tag: T,
    summary: 'Remove a link',
    roles: WRITERS,
    status: 200,
    params: z.object({ ws: z.uuid(), doc_id: z.uuid(), link_id: z.uuid() }),
    response: okSchema,
    handler: async ({ params, ctx, deps }) => {
      await removeLink(deps.db, ctx, params.doc_id, params.link_id);
      return { ok: true };
    },
  }),
];

export const documentRoutes = [...uploadRoutes, ...docRoutes, ...linkRoutes, ...folderRoutes];
