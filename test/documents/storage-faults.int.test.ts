import { type FakeS3, startFakeS3 } from '../fakes/s3';
import { type Harness, startHarness, type TestWorkspace } from '../harness';
import { docsPath, putPresigned } from './helpers';

/**
 * The two storage faults the real S3 server of the run cannot produce on demand, against
 * the S3 protocol fake (test/fakes/s3.ts): a presigned URL used after its 15 minutes (the
 * fake's clock moves; a real server's does not) and S3 answering 503 for a few calls, then
 * recovering. Everything else about storage runs on the real server (storage.int.test.ts).
 */
describe('documents: storage faults (S3 protocol fake)', () => {
  let s3: FakeS3;
  let h: Harness;
  let ws: TestWorkspace;

  beforeAll(async () => {
    s3 = await startFakeS3();
    h = await startHarness({ env: s3.env });
    ws = await h.workspace();
  });
  afterAll(async () => {
    await h.close();
    await s3.close();
  });

  const uploadUrl = async (name: string, size: number) =>
    (
      await h.request('POST', `${docsPath(ws)}/upload-url`, ws.adminToken, {
        file_name: name,
        mime_type: 'application/pdf',
        size_bytes: size,
      })
    ).body;

  it('a presigned URL expires after 15 minutes', async () => {
    const data = Buffer.from('%PDF-1.7\nlate\n');
    const url = await uploadUrl('late.pdf', data.length);
    s3.advanceClock(16 * 60_000);
    try {
      const late = await putPresigned(url.upload_url, data, url.headers);
      expect(late.status).toBe(403);
      expect(String(late.body)).toContain('Request has expired');
    } finally {
      s3.advanceClock(-16 * 60_000);
    }
    expect((await putPresigned(url.upload_url, data, url.headers)).status).toBe(200);
  });

  it('answers 503 problem+json while storage fails, and works again after', async () => {
    const url = await uploadUrl('a.pdf', 3);
    await putPresigned(url.upload_url, Buffer.from('abc'), url.headers);
    s3.failNext(3);
    const started = Date.now();
    const down = await h.request('POST', docsPath(ws), ws.adminToken, { storage_key: url.storage_key });
    expect(down.status).toBe(503);
    expect(Date.now() - started).toBeLessThan(5000);
    expect(down.headers.get('content-type')).toMatch(/application\/problem\+json/);
    expect(down.body.detail).toMatch(/storage is unavailable/);
    const up = await h.request('POST', docsPath(ws), ws.adminToken, { storage_key: url.storage_key });
    expect(up.status).toBe(201);
  });
});
