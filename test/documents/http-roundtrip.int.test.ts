import { randomBytes } from 'node:crypto';
import { type Harness, startHarness, type TestWorkspace } from '../harness';
import { docsPath, sha256 } from './helpers';

/**
 * The README's curl walkthrough, over plain HTTP (no SDK) against the run's real S3 server:
 * presigned PUT, register, GET with a presigned download; and a direct multipart upload
 * past 5 MiB. The bytes must come back unchanged.
 */
// biome-ignore lint/suspicious/noExplicitAny: tests inspect arbitrary JSON
type Json = any;

describe('documents over plain HTTP, as curl does it', () => {
  let h: Harness;
  let ws: TestWorkspace;

  beforeAll(async () => {
    h = await startHarness();
    ws = await h.workspace();
  });
  afterAll(() => h.close());

  const api = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${h.baseUrl}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${ws.adminToken}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as Json };
  };
  const download = async (url: string) => {
    const res = await fetch(url);
    expect(res.status).toBe(200);
    return Buffer.from(await res.arrayBuffer());
  };

  it('presigned PUT, register, GET and presigned download round-trip the bytes', async () => {
    const data = Buffer.concat([Buffer.from('%PDF-1.7\n'), randomBytes(40_000), Buffer.from('\n%%EOF\n')]);
    const url = await api('POST', `${docsPath(ws)}/upload-url`, {
      file_name: 'pen test 2026.pdf',
      mime_type: 'application/pdf',
      size_bytes: data.length,
      sha256: sha256(data),
    });
    expect(url.status).toBe(200);
    // curl -X PUT -H "content-type: ..." -H "x-amz-...: ..." --data-binary @file "$upload_url"
    const put = await fetch(url.body.upload_url, {
      method: url.body.method,
      headers: url.body.headers,
      body: new Uint8Array(data),
    });
    expect(put.status).toBe(200);

    const reg = await api('POST', docsPath(ws), {
      storage_key: url.body.storage_key,
      title: 'Pen test 2026',
    });
    expect(reg.status).toBe(201);
    expect(reg.body).toMatchObject({ sha256: sha256(data), size_bytes: data.length, version: 1 });

    const got = await api('GET', `${docsPath(ws)}/${reg.body.id}`);
    expect(got.status).toBe(200);
    expect((await download(got.body.download_url)).equals(data)).toBe(true);
  });

  it('a direct multipart upload past 5 MiB round-trips the bytes', async () => {
    const data = randomBytes(5 * 1024 * 1024 + 777_777);
    // curl -F file=@backup.tar.gz ".../compliance/documents/upload"
    const form = new FormData();
    form.append('title', 'Backup restore test');
    form.append('file', new Blob([new Uint8Array(data)], { type: 'application/gzip' }), 'backup.tar.gz');
    const res = await fetch(`${h.baseUrl}${docsPath(ws)}/upload`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ws.adminToken}` },
      body: form,
    });
    const up = (await res.json()) as Json;
    expect(res.status).toBe(201);
    expect(up).toMatchObject({
      size_bytes: data.length,
      sha256: sha256(data),
      mime_type: 'application/gzip',
    });
    // S3 stored it as a multipart upload of two parts
    expect(up.versions[0].etag).toMatch(/-2"$/);

    const got = await api('GET', `${docsPath(ws)}/${up.id}`);
    expect((await download(got.body.download_url)).equals(data)).toBe(true);
  });
});
