import { createHash } from 'node:crypto';
import type { Harness, HttpResult, TestWorkspace } from '../harness';

export const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

export const docsPath = (w: TestWorkspace) => `/workspaces/${w.id}/compliance/documents`;

async function toResult(res: Response): Promise<HttpResult> {
  const text = await res.text();
  let body: unknown = text;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    // not JSON
  }
  return { status: res.status, body, headers: res.headers };
}

/**
 * PUT to a presigned URL, as a browser or curl would, with the headers upload-url returned
 * (`contentType` replaces theirs, to try another type).
 */
export async function putPresigned(
  url: string,
  body: Buffer,
  headers: Record<string, string>,
  contentType?: string,
): Promise<HttpResult> {
  return toResult(
    await fetch(url, {
      method: 'PUT',
      body: new Uint8Array(body),
      headers: { ...headers, ...(contentType ? { 'content-type': contentType } : {}) },
    }),
  );
}

export interface FilePart {
  data: Buffer;
  filename: string;
  type: string;
}

/** POST .../upload as multipart/form-data built by fetch's FormData (Content-Length known). */
export async function uploadForm(
  h: Harness,
  w: TestWorkspace,
  token: string,
  file: FilePart | null,
  fields: Record<string, string> = {},
  query = '',
): Promise<HttpResult> {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) form.append(k, v);
  if (file) form.append('file', new Blob([new Uint8Array(file.data)], { type: file.type }), file.filename);
  return toResult(
    await fetch(`${h.baseUrl}${docsPath(w)}/upload${query}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}` },
      body: form,
    }),
  );
}

/** Presigned flow end to end: upload-url, PUT, register. Returns the registered document. */
export async function uploadPresigned(
  h: Harness,
  w: TestWorkspace,
  token: string,
  data: Buffer,
  opts: { fileName?: string; type?: string; withSha?: boolean; register?: Record<string, unknown> } = {},
): Promise<HttpResult> {
  const type = opts.type ?? 'application/pdf';
  const url = await h.request('POST', `${docsPath(w)}/upload-url`, token, {
    file_name: opts.fileName ?? 'evidence.pdf',
    mime_type: type,
    size_bytes: data.length,
    ...(opts.withSha === false ? {} : { sha256: sha256(data) }),
    ...(opts.register?.document_id ? { document_id: opts.register.document_id } : {}),
  });
  if (url.status !== 200) return url;
  const put = await putPresigned(url.body.upload_url, data, url.body.headers);
  if (put.status !== 200) throw new Error(`presigned PUT failed: ${put.status} ${JSON.stringify(put.body)}`);
  return h.request('POST', docsPath(w), token, { storage_key: url.body.storage_key, ...opts.register });
}

/** A streamed request body with no Content-Length (chunked), `total` bytes of file content. */
export function chunkedMultipart(boundary: string, total: number): ReadableStream<Uint8Array> {
  const head = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="big.bin"\r\n` +
      'Content-Type: application/octet-stream\r\n\r\n',
  );
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  const chunk = Buffer.alloc(64 * 1024, 0x61);
  let sent = -1;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      if (sent < 0) {
        controller.enqueue(new Uint8Array(head));
        sent = 0;
      } else if (sent < total) {
        const n = Math.min(chunk.length, total - sent);
        controller.enqueue(new Uint8Array(chunk.subarray(0, n)));
        sent += n;
      } else {
        controller.enqueue(new Uint8Array(tail));
        controller.close();
      }
    },
  });
}

export async function postStream(
  url: string,
  token: string,
  contentType: string,
  body: ReadableStream<Uint8Array>,
): Promise<HttpResult> {
  const init = {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': contentType },
    body,
    duplex: 'half',
  };
  return toResult(await fetch(url, init as RequestInit));
}
