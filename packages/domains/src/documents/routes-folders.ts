// Folder tree of the compliance documents.
import { MANAGERS } from '@vigil/kernel/auth';
import { toJson } from '@vigil/kernel/serialize';
import { z } from 'zod';
import { qbool, wsIdParam, wsParam } from '../api-schemas';
import { route } from '../deps';
import { folderNodeSchema, folderSchema } from './api-schemas';
import { createFolder, deleteFolder, type FolderRow, folderTree, updateFolder } from './folders';
import type { TreeNode } from './rules';

const T = 'Compliance documents';
const base = '/workspaces/:ws/compliance/documents/folders';

type Node = TreeNode<FolderRow & { documentCount: number }>;
type NodeJson = ReturnType<typeof toJson<FolderRow>> & { document_count: number; children: NodeJson[] };
const nodeJson = ({ children, documentCount, ...f }: Node): NodeJson => ({
  ...toJson(f),
  document_count: documentCount,
  children: children.map(nodeJson),
});

const nameField = z.string().min(1).max(200);

export const folderRoutes = [
  route({
    method: 'post',
    path: `${base}`,
    tag: T,
    summary: 'Create a folder (top level, or under parent_id); sibling names are unique',
    description: `Folders nest at most 10 levels; a workspace has at most 1,000.`,
    roles: MANAGERS,
    params: wsParam,
    body: z.strictObject({ name: nameField, parent_id: z.uuid().nullable().optional() }),
    response: folderSchema,
    handler: async ({ body, ctx, deps }) => toJson(await createFolder(deps.db, ctx, body)),
  }),
  route({
    method: 'get',
    path: `${base}`,
    tag: T,
    summary: 'The folder tree: top-level folders with nested children, by name, with document counts',
    params: wsParam,
    response: z.object({ data: z.array(folderNodeSchema) }),
    handler: async ({ ctx, deps }) => ({ data: (await folderTree(deps.db, ctx.workspaceId)).map(nodeJson) }),
  }),
  route({
    method: 'patch',
    path: `${base}/:id`,
    tag: T,
    summary: 'Rename and/or move a folder (parent_id null: top level); no folder may contain itself',
    roles: MANAGERS,
    params: wsIdParam,
    body: z
      .strictObject({ name: nameField.optional(), parent_id: z.uuid().nullable().optional() })
      .refine((b) => Object.keys(b).length > 0, 'Give at least one field'),
    response: folderSchema,
    handler: async ({ params, body, ctx, deps }) => toJson(await updateFolder(deps.db, ctx, params.id, body)),
  }),
  route({
    method: 'delete',
    path: `${base}/:id`,
    tag: T,
    summary: 'Delete a folder; a non-empty one is a 409 unless force=true',
    description:
      'With force=true its sub-folders are deleted too and every document they hold moves to the ' +
      'deleted folder’s parent (the top level if none). Documents are never deleted here.',
    roles: MANAGERS,
    status: 200,
    params: wsIdParam,
    query: z.strictObject({ force: qbool.optional() }),
    response: z.object({
      ok: z.boolean(),
      folders_deleted: z.number().int(),
      documents_moved: z.number().int(),
    }),
    handler: async ({ params, query, ctx, deps }) =>
      deleteFolder(deps.db, ctx, params.id, query.force ?? false),
  }),
];
