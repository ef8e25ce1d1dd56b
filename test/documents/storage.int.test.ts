import { eventually, type Harness, startHarness, type TestWorkspace } from '../harness';
import { bucketOf, objectBytes, objectKeys, objectMeta, openUploads, s3Calls } from '../s3';
import {
  chunkedMultipart,
  docsPath,
  postStream,
  putPresigned,
  sha256,
  uploadForm,
  uploadPresigned,
} from './helpers';

const MAX = 8 * 1024 * 1024;
const pdf = (text: string) => Buffer.from(`%PDF-1.7\n${text}\n%%EOF\n`);

/** Against the run's real S3 server (versitygw); expiry and injected S3 failures are in storage-faults. */
describe('documents: presigned and direct uploads to S3, versions', () => {
  let h: Harness;
  let ws: TestWorkspace;
  let other: TestWorkspace;
  let alice: { id: string; token: string };
  let bob: { id: string; token: string };

  beforeAll(async () => {
    h = await startHarness({ env: { DOCUMENT_MAX_UPLOAD_BYTES: String(MAX) } });
    ws = await h.workspace();
    other = await h.workspace();
    alice = await ws.member('MEMBER');
    bob = await ws.member('MEMBER');
  });
  afterAll(() => h.close());

  const base = () => docsPath(ws);
  const calls = (key: string) => s3Calls(bucketOf(h)).filter((c) => c.key === key);

  it('presigned PUT binds type, size and checksum; register records what S3 holds', async () => {
    const data = pdf('Quarterly access review, Q3');
    const url = await h.request('POST', `${base()}/upload-url`, alice.token, {
      file_name: 'Access review Q3.pdf',
      mime_type: 'Application/PDF',
      size_bytes: data.length,
      sha256: sha256(data),
    });
    expect(url.status).toBe(200);
    expect(url.body.storage_key).toMatch(
      new RegExp(`^workspaces/${ws.id}/documents/[0-9a-f-]{36}/Access_review_Q3\\.pdf$`),
    );
    // metadata and checksum are signed headers the PUT carries (servers ignore them in the query)
    expect(url.body).toMatchObject({ method: 'PUT' });
    expect(url.body.headers).toEqual({
      'content-type': 'application/pdf',
      'x-amz-checksum-sha256': Buffer.from(sha256(data), 'hex').toString('base64'),
      'x-amz-meta-workspace-id': ws.id,
      'x-amz-meta-uploaded-by': alice.id,
      'x-amz-meta-file-name': 'Access%20review%20Q3.pdf',
    });
    const ttl = new Date(url.body.expires_at).getTime() - Date.now();
    expect(ttl).toBeGreaterThan(14 * 60_000);
    expect(ttl).toBeLessThanOrEqual(15 * 60_000);
    expect(url.body.upload_url).toContain('X-Amz-Expires=900');
    expect(url.body.upload_url).toMatch(
      /X-Amz-SignedHeaders=content-length%3Bcontent-type%3Bhost%3Bx-amz-checksum-sha256%3Bx-amz-meta-file-name%3Bx-amz-meta-uploaded-by%3Bx-amz-meta-workspace-id&/,
    );

    // The URL refuses another type, another size, other bytes of the same size, missing headers.
    const put = (body: Buffer, type?: string) =>
      putPresigned(url.body.upload_url, body, url.body.headers, type);
    expect((await put(data, 'text/plain')).status).toBe(403);
    expect((await put(Buffer.concat([data, pdf('x')]))).status).toBe(403);
    const tampered = Buffer.from(data);
    tampered[10] = 0x21;
    const digest = await put(tampered);
    expect(digest.status).toBe(400);
    expect(String(digest.body)).toContain('BadDigest');
    const bare = await putPresigned(url.body.upload_url, data, { 'content-type': 'application/pdf' });
    expect(bare.status).toBe(403);
    expect(await objectBytes(h, url.body.storage_key)).toBeNull();
    expect((await put(data)).status).toBe(200);

    const reg = await h.request('POST', base(), alice.token, {
      storage_key: url.body.storage_key,
      title: 'Access review Q3',
      tags: ['SOC 2', 'q3', 'soc 2'],
    });
    expect(reg.status).toBe(201);
    expect(reg.body).toMatchObject({
      workspace_id: ws.id,
      title: 'Access review Q3',
      file_name: 'Access review Q3.pdf',
      mime_type: 'application/pdf',
      size_bytes: data.length,
      sha256: sha256(data),
      storage_key: url.body.storage_key,
      status: 'ACTIVE',
      tags: ['soc-2', 'q3'],
      version: 1,
      uploaded_by_id: alice.id,
      folder_id: null,
    });
    expect(reg.body.versions).toHaveLength(1);
    expect(reg.body.versions[0]).toMatchObject({
      version: 1,
      sha256: sha256(data),
      uploaded_by_id: alice.id,
    });
    expect(reg.body.versions[0].etag).toMatch(/^"[0-9a-f]{32}"$/);
    // The sha256 came from S3's verified checksum: the object was never read back.
    const seen = calls(url.body.storage_key);
    // (the one GetObject is this test's own check above, answered NoSuchKey before the PUT)
    expect(seen.filter((c) => c.op === 'GetObject' && c.status === 200)).toHaveLength(0);
    expect(seen.find((c) => c.op === 'HeadObject')).toMatchObject({ status: 200 });

    const again = await h.request('POST', base(), alice.token, { storage_key: url.body.storage_key });
    expect(again.status).toBe(409);
    expect(again.body.errors[0].field).toBe('body.storage_key');

    // One document: presigned download URLs for it, with the file name as an attachment.
    const one = await h.request('GET', `${base()}/${reg.body.id}`, bob.token);
    expect(one.status).toBe(200);
    expect(one.body.download_url).toContain('X-Amz-Expires=900');
    const dl = await fetch(one.body.download_url);
    expect(dl.status).toBe(200);
    expect(Buffer.from(await dl.arrayBuffer()).equals(data)).toBe(true);
    expect(dl.headers.get('content-disposition')).toContain(`filename*=UTF-8''Access%20review%20Q3.pdf`);

    const audit = await h.request('GET', `/compliance/audit-logs?target_id=${reg.body.id}`, ws.adminToken);
    expect(audit.body.data.map((e: { action_type: string }) => e.action_type)).toEqual(['DOCUMENT_UPLOADED']);
    expect(audit.body.data[0]).toMatchObject({ actor_id: alice.id, new_value: { sha256: sha256(data) } });
  });

  it('without a declared checksum, register computes the sha256 by reading the object once', async () => {
    const data = Buffer.from('control,owner\nAC-1,alice\n');
    const reg = await uploadPresigned(h, ws, alice.token, data, {
      fileName: 'controls.csv',
      type: 'text/csv',
      withSha: false,
    });
    expect(reg.status).toBe(201);
    expect(reg.body).toMatchObject({ sha256: sha256(data), size_bytes: data.length, mime_type: 'text/csv' });
    expect(calls(reg.body.storage_key).filter((c) => c.op === 'GetObject')).toHaveLength(1);
  });

  it('register refuses missing keys, foreign keys and other members’ uploads, naming the field', async () => {
    const urlOf = async (w: TestWorkspace, token: string, size = 10) =>
      (
        await h.request('POST', `${docsPath(w)}/upload-url`, token, {
          file_name: 'a.pdf',
          mime_type: 'application/pdf',
          size_bytes: size,
        })
      ).body;

    const never = await urlOf(ws, alice.token);
    const missing = await h.request('POST', base(), alice.token, { storage_key: never.storage_key });
    expect(missing.status).toBe(400);
    expect(missing.headers.get('content-type')).toMatch(/application\/problem\+json/);
    expect(missing.body.errors).toEqual([
      { field: 'body.storage_key', message: expect.stringMatching(/Nothing/) },
    ]);

    const foreign = await urlOf(other, other.adminToken);
    await putPresigned(foreign.upload_url, Buffer.alloc(10, 1), foreign.headers);
    const cross = await h.request('POST', base(), ws.adminToken, { storage_key: foreign.storage_key });
    expect(cross.status).toBe(400);
    expect(cross.body.errors[0]).toEqual({
      field: 'body.storage_key',
      message: 'Not a key of this workspace',
    });

    for (const key of ['foo/bar.pdf', `workspaces/${ws.id}/documents/../../x`, `${never.storage_key}/x`]) {
      const res = await h.request('POST', base(), alice.token, { storage_key: key });
      expect([key, res.status, res.body.errors?.[0]?.field]).toEqual([key, 400, 'body.storage_key']);
    }

    const hers = await urlOf(ws, alice.token);
    await putPresigned(hers.upload_url, Buffer.alloc(10, 2), hers.headers);
    expect((await h.request('POST', base(), bob.token, { storage_key: hers.storage_key })).status).toBe(403);

    const tooBig = await h.request('POST', `${base()}/upload-url`, alice.token, {
      file_name: 'a.pdf',
      mime_type: 'application/pdf',
      size_bytes: MAX + 1,
    });
    expect(tooBig.status).toBe(413);
    expect(tooBig.body.errors[0].field).toBe('body.size_bytes');
    for (const [body, field] of [
      [{ file_name: 'a.pdf', mime_type: 'pdf', size_bytes: 1 }, 'body.mime_type'],
      [{ file_name: 'a.pdf', mime_type: 'application/pdf', size_bytes: 0 }, 'body.size_bytes'],
      [{ file_name: 'a.pdf', mime_type: 'application/pdf', size_bytes: 1, sha256: 'abc' }, 'body.sha256'],
      [{ file_name: 'a.pdf', mime_type: 'application/pdf', size_bytes: 1, extra: 1 }, 'body.extra'],
    ] as const) {
      const res = await h.request('POST', `${base()}/upload-url`, alice.token, body);
      expect([res.status, res.body.errors[0].field]).toEqual([400, field]);
    }
    const badTags = await h.request('POST', base(), alice.token, {
      storage_key: hers.storage_key,
      tags: ['ok', '!!'],
    });
    expect([badTags.status, badTags.body.errors[0].field]).toEqual([400, 'body.tags.1']);
  });

  it('direct multipart upload streams to S3: one PutObject when small, a multipart upload when large', async () => {
    const csv = Buffer.from('id,control\n1,MFA\n');
    const small = await uploadForm(
      h,
      ws,
      alice.token,
      { data: csv, filename: 'mfa controls.csv', type: 'text/csv' },
      { title: 'MFA controls', description: 'Exported from the IdP' },
      '?tags=evidence,SOC2',
    );
    expect(small.status).toBe(201);
    expect(small.body).toMatchObject({
      title: 'MFA controls',
      description: 'Exported from the IdP',
      file_name: 'mfa controls.csv',
      mime_type: 'text/csv',
      size_bytes: csv.length,
      sha256: sha256(csv),
      tags: ['evidence', 'soc2'],
      uploaded_by_id: alice.id,
    });
    expect(calls(small.body.storage_key).map((c) => c.op)).toEqual(['PutObject']);
    expect((await objectBytes(h, small.body.storage_key))?.equals(csv)).toBe(true);
    expect(await objectMeta(h, small.body.storage_key)).toMatchObject({
      'workspace-id': ws.id,
      'uploaded-by': alice.id,
    });

    const big = Buffer.alloc(6 * 1024 * 1024 + 4321);
    for (let i = 0; i < big.length; i++) big[i] = (i * 31) & 0xff;
    const large = await uploadForm(h, ws, alice.token, {
      data: big,
      filename: 'backup-restore.log',
      type: 'text/plain',
    });
    expect(large.status).toBe(201);
    expect(large.body).toMatchObject({
      size_bytes: big.length,
      sha256: sha256(big),
      mime_type: 'text/plain',
    });
    expect(large.body.versions[0].etag).toMatch(/-2"$/);
    expect(calls(large.body.storage_key).map((c) => `${c.op}:${c.status}`)).toEqual([
      'CreateMultipartUpload:200',
      'UploadPart:200',
      'UploadPart:200',
      'CompleteMultipartUpload:200',
    ]);
    expect((await objectBytes(h, large.body.storage_key))?.equals(big)).toBe(true);
  });

  it('direct upload refuses a missing file part, other media types, duplicated fields and unknown fields', async () => {
    const none = await uploadForm(h, ws, alice.token, null, { title: 'x' });
    expect([none.status, none.body.errors[0].field]).toEqual([400, 'file']);
    const json = await h.request('POST', `${base()}/upload`, alice.token, { file: 'x' });
    expect([json.status, json.body.errors[0].field]).toEqual([415, 'file']);
    const url = `${h.baseUrl}${base()}/upload`;
    const noBoundary = await postStream(url, alice.token, 'multipart/form-data', chunkedMultipart('b', 1));
    expect([noBoundary.status, noBoundary.body.errors[0].field]).toEqual([400, 'file']);
    const file = { data: Buffer.from('x'), filename: 'x.txt', type: 'text/plain' };
    const dup = await uploadForm(h, ws, alice.token, file, { title: 'a' }, '?title=b');
    expect([dup.status, dup.body.errors[0].field]).toEqual([400, 'body.title']);
    const unknown = await uploadForm(h, ws, alice.token, file, { colour: 'red' });
    expect([unknown.status, unknown.body.errors[0].field]).toEqual([400, 'body.colour']);
    const empty = await uploadForm(h, ws, alice.token, { ...file, data: Buffer.alloc(0) });
    expect([empty.status, empty.body.errors[0].field]).toEqual([400, 'file']);
    const badFolder = await uploadForm(h, ws, alice.token, file, {}, `?folder_id=${ws.id}`);
    expect([badFolder.status, badFolder.body.errors[0].field]).toEqual([400, 'query.folder_id']);
    // a registration that fails after the bytes were stored leaves nothing behind
    const late = await uploadForm(h, ws, alice.token, file, { folder_id: ws.id });
    expect([late.status, late.body.errors[0].field]).toEqual([400, 'body.folder_id']);
    const lateKey = s3Calls(bucketOf(h))
      .filter((c) => c.op === 'PutObject')
      .at(-1)?.key as string;
    expect(calls(lateKey).map((c) => c.op)).toEqual(['PutObject', 'DeleteObject']);
    expect(await objectBytes(h, lateKey)).toBeNull();
  });

  it('refuses oversized direct uploads with 413, declared or streamed, and keeps nothing', async () => {
    const before = (await objectKeys(h)).length;
    const declared = await uploadForm(h, ws, alice.token, {
      data: Buffer.alloc(MAX + 1024 * 1024),
      filename: 'huge.bin',
      type: 'application/octet-stream',
    });
    expect(declared.status).toBe(413);
    expect(declared.headers.get('content-type')).toMatch(/application\/problem\+json/);

    const boundary = 'vigil-boundary-413';
    const streamed = await postStream(
      `${h.baseUrl}${base()}/upload`,
      alice.token,
      `multipart/form-data; boundary=${boundary}`,
      chunkedMultipart(boundary, MAX + 1),
    );
    expect(streamed.status).toBe(413);
    expect(streamed.body.errors[0].field).toBe('file');
    expect((await objectKeys(h)).length).toBe(before);
    const last = s3Calls(bucketOf(h))
      .filter((c) => c.op.includes('Multipart'))
      .at(-1);
    expect(last?.op).toBe('AbortMultipartUpload');
    expect(await openUploads(h)).toEqual([]);
  });

  it('a client that hangs up mid-upload leaves no object and no open multipart upload', async () => {
    const before = (await objectKeys(h)).length;
    const boundary = 'vigil-boundary-abort';
    const head = Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="partial.bin"\r\n\r\n`,
    );
    const chunk = new Uint8Array(256 * 1024);
    let sent = 0;
    const body = new ReadableStream<Uint8Array>({
      async pull(controller) {
        if (sent === 0) controller.enqueue(new Uint8Array(head));
        if (sent < 6 * 1024 * 1024) {
          controller.enqueue(chunk);
          sent += chunk.length;
          return;
        }
        await new Promise(() => undefined); // stall: the rest never comes
      },
    });
    const aborter = new AbortController();
    const pending = fetch(`${h.baseUrl}${base()}/upload`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${alice.token}`,
        'content-type': `multipart/form-data; boundary=${boundary}`,
      },
      body,
      duplex: 'half',
      signal: aborter.signal,
    } as RequestInit).catch((err: { name?: string }) => err.name);
    // a first 5 MiB part reached S3, then the client goes away
    const created = await eventually(async () =>
      s3Calls(bucketOf(h)).find((c) => c.op === 'UploadPart' && c.key.endsWith('/partial.bin')),
    );
    aborter.abort();
    expect(await pending).toBe('AbortError');
    await eventually(async () => calls(created.key).some((c) => c.op === 'AbortMultipartUpload'));
    expect((await objectKeys(h)).length).toBe(before);
    expect(await objectBytes(h, created.key)).toBeNull();
    expect(await openUploads(h)).toEqual([]);
  });

  it('a new version keeps every previous one; only the owner or a manager adds versions', async () => {
    const v1 = pdf('Incident response plan v1');
    const first = await uploadPresigned(h, ws, alice.token, v1, { fileName: 'IR plan.pdf' });
    const id: string = first.body.id;
    const v2 = pdf('Incident response plan v2, tested annually');
    const second = await uploadPresigned(h, ws, alice.token, v2, {
      fileName: 'IR plan v2.pdf',
      register: { document_id: id },
    });
    expect(second.status).toBe(201);
    expect(second.body).toMatchObject({ id, version: 2, sha256: sha256(v2), file_name: 'IR plan v2.pdf' });
    expect(
      second.body.versions.map((v: { version: number; sha256: string }) => [v.version, v.sha256]),
    ).toEqual([
      [2, sha256(v2)],
      [1, sha256(v1)],
    ]);

    const v3 = Buffer.from('plain text v3');
    const third = await uploadForm(
      h,
      ws,
      ws.adminToken,
      { data: v3, filename: 'ir.txt', type: 'text/plain' },
      {
        document_id: id,
      },
    );
    expect(third.status).toBe(201);
    expect(third.body).toMatchObject({ version: 3, uploaded_by_id: alice.id, mime_type: 'text/plain' });
    expect(third.body.versions[0].uploaded_by_id).toBe(ws.adminId);

    const one = await h.request('GET', `${base()}/${id}`, bob.token);
    const oldest = one.body.versions.find((v: { version: number }) => v.version === 1);
    const dl = await fetch(oldest.download_url);
    expect(Buffer.from(await dl.arrayBuffer()).equals(v1)).toBe(true);

    const notHers = await h.request('POST', `${base()}/upload-url`, bob.token, {
      file_name: 'x.pdf',
      mime_type: 'application/pdf',
      size_bytes: 5,
      document_id: id,
    });
    expect(notHers.status).toBe(403);
    await h.request('POST', `${base()}/${id}/archive`, alice.token, {});
    const archived = await uploadPresigned(h, ws, alice.token, pdf('v4'), { register: { document_id: id } });
    expect([archived.status, archived.body.errors[0].field]).toEqual([409, 'body.document_id']);
    const foreign = await uploadPresigned(h, other, other.adminToken, pdf('elsewhere'), {
      register: { document_id: id },
    });
    expect([foreign.status, foreign.body.errors[0].field]).toEqual([400, 'body.document_id']);
  });
});
