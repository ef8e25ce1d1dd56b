import { freePort } from '../../packages/stack/src/ports';
import { type Harness, startHarness, type TestWorkspace } from '../harness';
import { docsPath, uploadForm } from './helpers';

describe('documents without S3 configured', () => {
  let h: Harness;
  let ws: TestWorkspace;

  beforeAll(async () => {
    h = await startHarness({ env: { S3_BUCKET: '' } });
    ws = await h.workspace();
  });
  afterAll(() => h.close());

  it('answers 503 problem+json on the upload endpoints, saying storage is not configured', async () => {
    const base = docsPath(ws);
    const results = [
      await h.request('POST', `${base}/upload-url`, ws.adminToken, {
        file_name: 'a.pdf',
        mime_type: 'application/pdf',
        size_bytes: 10,
      }),
      await h.request('POST', base, ws.adminToken, {
        storage_key: `workspaces/${ws.id}/documents/${ws.id}/a.pdf`,
      }),
      await uploadForm(h, ws, ws.adminToken, {
        data: Buffer.from('x'),
        filename: 'a.txt',
        type: 'text/plain',
      }),
    ];
    for (const res of results) {
      expect(res.status).toBe(503);
      expect(res.headers.get('content-type')).toMatch(/application\/problem\+json/);
      expect(res.body.detail).toMatch(/storage is not configured/);
    }
  });

  it('keeps the metadata endpoints working', async () => {
    const base = docsPath(ws);
    const folder = await h.request('POST', `${base}/folders`, ws.adminToken, { name: 'Evidence' });
    expect(folder.status).toBe(201);
    const tree = await h.request('GET', `${base}/folders`, ws.adminToken);
    expect(tree.body.data).toEqual([expect.objectContaining({ id: folder.body.id, children: [] })]);
    expect((await h.request('GET', base, ws.adminToken)).body).toEqual({ data: [], next_cursor: null });
    expect((await h.request('GET', `${base}/tags/all`, ws.adminToken)).body).toEqual({ data: [] });
  });
});

describe('documents with S3 configured but down', () => {
  let h: Harness;
  let ws: TestWorkspace;

  beforeAll(async () => {
    // nothing listens on this port: every S3 call is refused
    const port = await freePort();
    h = await startHarness({
      env: {
        S3_BUCKET: 'vigil-down',
        S3_ENDPOINT: `http://127.0.0.1:${port}`,
        S3_ACCESS_KEY_ID: 'down',
        S3_SECRET_ACCESS_KEY: 'down-secret',
      },
    });
    ws = await h.workspace();
  });
  afterAll(() => h.close());

  it('answers 503 problem+json fast on the calls that reach S3, naming storage as unavailable', async () => {
    const base = docsPath(ws);
    const started = Date.now();
    const results = [
      await h.request('POST', base, ws.adminToken, {
        storage_key: `workspaces/${ws.id}/documents/${ws.id}/a.pdf`,
      }),
      await uploadForm(h, ws, ws.adminToken, {
        data: Buffer.from('x'),
        filename: 'a.txt',
        type: 'text/plain',
      }),
    ];
    expect(Date.now() - started).toBeLessThan(5000);
    for (const res of results) {
      expect(res.status).toBe(503);
      expect(res.headers.get('content-type')).toMatch(/application\/problem\+json/);
      expect(res.body.detail).toMatch(/storage is unavailable/);
    }
    // signing a URL needs no server: upload-url still answers
    const url = await h.request('POST', `${base}/upload-url`, ws.adminToken, {
      file_name: 'a.pdf',
      mime_type: 'application/pdf',
      size_bytes: 10,
    });
    expect(url.status).toBe(200);
  });
});
