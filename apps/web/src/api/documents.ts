import { api, unwrap } from './client';
import type { Body, Reply } from './types';
import { sendWithProgress, sha256Hex, type UploadProgress } from './upload';

export type ComplianceDocument = Reply<'/workspaces/{ws}/compliance/documents/{doc_id}', 'get'>;
export type DocumentVersion = ComplianceDocument['versions'][number];
export type ExtractedMetadata = NonNullable<DocumentVersion['metadata']>;
type Register = Body<'/workspaces/{ws}/compliance/documents', 'post'>;

/** A folder of the tree; the API describes children loosely (OpenAPI has no recursion), typed here. */
export interface FolderNode {
  id: string;
  name: string;
  parent_id: string | null;
  document_count: number;
  children: FolderNode[];
}

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

export type UploadPhase = 'preparing' | 'sending' | 'processing';

/**
 * The presigned flow the API offers: ask for an upload URL (bound to the type, size and
 * sha256), PUT the bytes straight to storage with the headers it names, then register the
 * key, as a new document or, with `document_id`, its next version.
 */
export async function uploadDocument(
  ws: string,
  file: File,
  meta: Omit<Register, 'storage_key'>,
  onProgress: (phase: UploadPhase, p: UploadProgress) => void = () => undefined,
): Promise<ComplianceDocument> {
  const total = file.size;
  onProgress('preparing', { loaded: 0, total });
  const sha256 = await sha256Hex(file);
  const mime = file.type || 'application/octet-stream';
  const target = await unwrap(
    api.POST('/workspaces/{ws}/compliance/documents/upload-url', {
      params: { path: { ws } },
      body: {
        file_name: file.name,
        mime_type: mime,
        size_bytes: total,
        ...(sha256 ? { sha256 } : {}),
        ...(meta.document_id ? { document_id: meta.document_id } : {}),
      },
    }),
  );
  onProgress('sending', { loaded: 0, total });
  await sendWithProgress({
    method: target.method,
    url: target.upload_url,
    headers: target.headers,
    body: file,
    onProgress: (p) => onProgress(p.loaded >= p.total ? 'processing' : 'sending', p),
  });
  onProgress('processing', { loaded: total, total });
  return unwrap(
    api.POST('/workspaces/{ws}/compliance/documents', {
      params: { path: { ws } },
      body: { ...meta, storage_key: target.storage_key },
    }),
  );
}

/** Folders flattened depth-first with their depth and path, for pickers. */
export function flattenFolders(
  nodes: FolderNode[],
  depth = 0,
  prefix = '',
): Array<{ node: FolderNode; depth: number; path: string }> {
  return nodes.flatMap((n) => {
    const path = prefix ? `${prefix} / ${n.name}` : n.name;
    return [{ node: n, depth, path }, ...flattenFolders(n.children ?? [], depth + 1, path)];
  });
}

export function useFolderOptions(folders: FolderNode[] | undefined) {
  return flattenFolders(folders ?? []).map((f) => ({ value: f.node.id, label: f.path }));
}

/**
 * Whether the member may change a document: admins and managers any, other writers only the
 * ones they own (the API's rule; it answers 403 otherwise). Auditors never.
 */
export function mayChangeDocument(
  session: { access_role: string; member_id: string },
  doc: Pick<ComplianceDocument, 'uploaded_by_id'>,
): boolean {
  if (session.access_role === 'ADMIN' || session.access_role === 'MANAGER') return true;
  return session.access_role !== 'AUDITOR' && doc.uploaded_by_id === session.member_id;
}

export const CHANGE_REASON = 'Only the document’s owner, admins and managers may change it';
