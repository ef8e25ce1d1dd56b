import { allRoutes } from '@vigil/domains/routes';
import { type Harness, startHarness, type TestWorkspace } from '../harness';
import { objectBytes } from '../s3';
import { docsPath, uploadForm } from './helpers';

interface Doc {
  id: string;
  title: string;
  tags: string[];
  status: string;
  mime_type: string;
  folder_id: string | null;
}

describe('documents: filters, tags, metadata, archive and soft delete, tenancy and roles', () => {
  let h: Harness;
  let ws: TestWorkspace;
  let other: TestWorkspace;
  let alice: { id: string; token: string };
  let bob: { id: string; token: string };
  let manager: { id: string; token: string };
  let auditor: { id: string; token: string };

  beforeAll(async () => {
    h = await startHarness();
    ws = await h.workspace();
    other = await h.workspace();
    alice = await ws.member('MEMBER');
    bob = await ws.member('MEMBER');
    manager = await ws.member('MANAGER');
    auditor = await ws.member('AUDITOR');
  });
  afterAll(() => h.close());

  const base = () => docsPath(ws);
  const make = async (
    token: string,
    name: string,
    type: string,
    fields: Record<string, string> = {},
    w: TestWorkspace = ws,
  ): Promise<Doc> => {
    const res = await uploadForm(
      h,
      w,
      token,
      { data: Buffer.from(`content of ${name}`), filename: name, type },
      fields,
    );
    expect(res.status).toBe(201);
    return res.body as Doc;
  };
  const ids = async (query: string, token = ws.adminToken) => {
    const res = await h.request('GET', `${base()}?limit=200&${query}`, token);
    expect(res.status).toBe(200);
    return (res.body.data as Doc[]).map((d) => d.id);
  };

  it('filters by status, type, tags, search, uploader and folder, with cursor pages', async () => {
    const policy = await make(alice.token, 'Access control policy.pdf', 'application/pdf', {
      tags: 'policy,soc2',
    });
    const shot = await make(alice.token, 'mfa-screenshot.png', 'image/png', { tags: 'soc2,evidence' });
    const scan = await make(bob.token, 'badge scan.jpeg', 'image/jpeg', {
      title: 'Badge audit',
      tags: 'evidence',
    });
    const folder = await h.request('POST', `${base()}/folders`, ws.adminToken, { name: 'Physical security' });
    expect(
      (await h.request('POST', `${base()}/${scan.id}/move`, bob.token, { folder_id: folder.body.id })).status,
    ).toBe(200);

    expect(await ids('mime_type=image/*')).toEqual([scan.id, shot.id]);
    expect(await ids('mime_type=application/pdf')).toEqual([policy.id]);
    expect(await ids('tags=soc2,evidence')).toEqual([shot.id]);
    expect(await ids('tags=SOC2')).toEqual([shot.id, policy.id]);
    expect(await ids('search=ACCESS')).toEqual([policy.id]);
    expect(await ids('search=badge')).toEqual([scan.id]);
    expect(await ids('search=100%25')).toEqual([]);
    expect(await ids(`uploader_id=${bob.id}`)).toEqual([scan.id]);
    expect(await ids(`folder_id=${folder.body.id}`)).toEqual([scan.id]);
    expect(await ids('folder_id=root')).toEqual([shot.id, policy.id]);

    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { status: number; body: { data: Doc[]; next_cursor: string | null } } = await h.request(
        'GET',
        `${base()}?limit=2${cursor ? `&cursor=${cursor}` : ''}`,
        ws.adminToken,
      );
      expect(page.body.data.length).toBeLessThanOrEqual(2);
      seen.push(...page.body.data.map((d) => d.id));
      cursor = page.body.next_cursor;
    } while (cursor);
    expect(seen).toEqual([scan.id, shot.id, policy.id]);

    for (const [query, field] of [
      ['limit=0', 'query.limit'],
      ['limit=201', 'query.limit'],
      ['status=GONE', 'query.status'],
      ['mime_type=*/*', 'query.mime_type'],
      ['folder_id=nope', 'query.folder_id'],
      ['tags=!!', 'query.tags.0'],
      ['colour=red', 'query.colour'],
    ]) {
      const res = await h.request('GET', `${base()}?${query}`, ws.adminToken);
      expect([query, res.status, res.body.errors?.[0]?.field]).toEqual([query, 400, field]);
    }
  });

  it('adds, removes and lists tags; updates metadata; archives and restores', async () => {
    const doc = await make(alice.token, 'Vendor SOC 2 report.pdf', 'application/pdf');
    const path = `${base()}/${doc.id}`;
    const added = await h.request('POST', `${path}/tags`, alice.token, {
      tags: ['Vendor Risk', 'vendor risk', 'SOC2'],
    });
    expect(added.status).toBe(200);
    expect(added.body.tags).toEqual(['vendor-risk', 'soc2']);
    const tooMany = await h.request('POST', `${path}/tags`, alice.token, {
      tags: Array.from({ length: 19 }, (_, i) => `t${i}`),
    });
    expect([tooMany.status, tooMany.body.errors[0].field]).toEqual([400, 'body.tags']);
    const removed = await h.request(
      'DELETE',
      `${path}/tags/${encodeURIComponent('Vendor Risk')}`,
      alice.token,
    );
    expect([removed.status, removed.body.tags]).toEqual([200, ['soc2']]);
    expect((await h.request('DELETE', `${path}/tags/vendor-risk`, alice.token)).status).toBe(404);

    const all = await h.request('GET', `${base()}/tags/all`, auditor.token);
    expect(all.status).toBe(200);
    expect(all.body.data).toEqual(expect.arrayContaining([{ tag: 'soc2', count: expect.any(Number) }]));
    const tags = all.body.data.map((t: { tag: string }) => t.tag);
    expect(tags).toEqual([...tags].sort());

    const patched = await h.request('PATCH', path, alice.token, {
      title: 'Acme SOC 2 Type II (2024)',
      description: 'Bridge letter attached',
      tags: ['vendor', 'Acme'],
    });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({
      title: 'Acme SOC 2 Type II (2024)',
      description: 'Bridge letter attached',
      tags: ['vendor', 'acme'],
    });
    for (const [body, field] of [
      [{}, 'body'],
      [{ title: '' }, 'body.title'],
      [{ status: 'DELETED' }, 'body.status'],
      [{ owner: 'x' }, 'body.owner'],
    ] as const) {
      const res = await h.request('PATCH', path, alice.token, body);
      expect([res.status, res.body.errors?.[0]?.field]).toEqual([400, field]);
    }
    const archived = await h.request('PATCH', path, alice.token, { status: 'ARCHIVED' });
    expect(archived.body).toMatchObject({ status: 'ARCHIVED', archived_at: expect.any(String) });
    const restored = await h.request('PATCH', path, alice.token, { status: 'ACTIVE' });
    expect(restored.body).toMatchObject({ status: 'ACTIVE', archived_at: null });
    const trail = await h.request(
      'GET',
      `/compliance/audit-logs?target_id=${doc.id}&limit=50`,
      ws.adminToken,
    );
    expect(trail.body.data.map((e: { action_type: string }) => e.action_type).reverse()).toEqual([
      'DOCUMENT_UPLOADED',
      'DOCUMENT_UPDATED',
      'DOCUMENT_UPDATED',
      'DOCUMENT_UPDATED',
      'DOCUMENT_ARCHIVED',
      'DOCUMENT_UPDATED',
    ]);
  });

  it('archive and soft delete hide a document from the default list; it stays readable', async () => {
    const doc = await make(alice.token, 'Pen test 2024.pdf', 'application/pdf', { tags: 'pentest' });
    const path = `${base()}/${doc.id}`;
    expect(await ids('')).toContain(doc.id);
    const arch = await h.request('POST', `${path}/archive`, alice.token, {});
    expect([arch.status, arch.body.status]).toEqual([200, 'ARCHIVED']);
    expect((await h.request('POST', `${path}/archive`, alice.token)).status).toBe(200);
    expect(await ids('')).not.toContain(doc.id);
    expect(await ids('status=ARCHIVED')).toContain(doc.id);

    const del = await h.request('DELETE', path, alice.token);
    expect(del).toMatchObject({ status: 200, body: { ok: true } });
    expect(await ids('status=ARCHIVED')).not.toContain(doc.id);
    expect(await ids('status=DELETED')).toContain(doc.id);
    const tags = await h.request('GET', `${base()}/tags/all`, ws.adminToken);
    expect(tags.body.data.map((t: { tag: string }) => t.tag)).not.toContain('pentest');

    const read = await h.request('GET', path, auditor.token);
    expect(read.status).toBe(200);
    expect(read.body).toMatchObject({ status: 'DELETED', deleted_at: expect.any(String) });
    expect(await objectBytes(h, read.body.storage_key)).not.toBeNull();
    for (const [method, suffix, body] of [
      ['PATCH', '', { title: 'x' }],
      ['DELETE', '', undefined],
      ['POST', '/archive', {}],
      ['POST', '/move', { folder_id: null }],
      ['POST', '/tags', { tags: ['x'] }],
    ] as const) {
      const res = await h.request(method, `${path}${suffix}`, alice.token, body);
      expect([method, suffix, res.status, res.body.errors?.[0]?.field]).toEqual([
        method,
        suffix,
        409,
        'path.doc_id',
      ]);
    }
    const actions = (
      await h.request('GET', `/compliance/audit-logs?target_id=${doc.id}`, ws.adminToken)
    ).body.data.map((e: { action_type: string }) => e.action_type);
    expect(actions).toEqual(['DOCUMENT_DELETED', 'DOCUMENT_ARCHIVED', 'DOCUMENT_UPLOADED']);
  });

  it('members manage only their own documents; managers and admins manage any', async () => {
    const hers = await make(alice.token, 'alice.pdf', 'application/pdf');
    const path = `${base()}/${hers.id}`;
    for (const [method, suffix, body] of [
      ['PATCH', '', { title: 'mine now' }],
      ['POST', '/move', { folder_id: null }],
      ['POST', '/archive', {}],
      ['POST', '/versions/1/extract', {}],
      ['POST', '/tags', { tags: ['x'] }],
      ['DELETE', '/tags/x', undefined],
      ['POST', '/links', { entity_type: 'POLICY', entity_id: hers.id }],
      ['DELETE', '', undefined],
    ] as const) {
      const res = await h.request(method, `${path}${suffix}`, bob.token, body);
      expect([method, suffix, res.status]).toEqual([method, suffix, 403]);
    }
    expect((await h.request('GET', path, bob.token)).status).toBe(200);
    const byManager = await h.request('PATCH', path, manager.token, { title: 'Reviewed by manager' });
    expect([byManager.status, byManager.body.uploaded_by_id]).toEqual([200, alice.id]);
    expect((await h.request('POST', `${path}/tags`, ws.adminToken, { tags: ['reviewed'] })).status).toBe(200);
    expect((await h.request('PATCH', path, alice.token, { title: 'Still mine' })).status).toBe(200);
  });

  it('auditors read everything and write nothing', async () => {
    const doc = await make(alice.token, 'audit.pdf', 'application/pdf');
    const writes = allRoutes.filter((r) => r.path.includes('/compliance/documents') && r.method !== 'get');
    expect(writes).toHaveLength(15);
    for (const r of writes) {
      const path = r.path
        .replace(':ws', ws.id)
        .replace(':doc_id', doc.id)
        .replace(':version', '1')
        .replace(/:[a-z_]+/g, '00000000-0000-4000-8000-000000000000');
      const res = await h.request(r.method.toUpperCase(), path, auditor.token, {});
      expect([r.method, r.path, res.status]).toEqual([r.method, r.path, 403]);
    }
    for (const path of ['', `/${doc.id}`, `/${doc.id}/links`, '/tags/all', '/folders']) {
      expect([path, (await h.request('GET', `${base()}${path}`, auditor.token)).status]).toEqual([path, 200]);
    }
  });

  it('another workspace’s documents answer 404, even in the caller’s own path', async () => {
    const theirs = await make(other.adminToken, 'theirs.pdf', 'application/pdf', {}, other);
    const path = `${base()}/${theirs.id}`;
    for (const [method, suffix, body] of [
      ['GET', '', undefined],
      ['GET', '/links', undefined],
      ['PATCH', '', { title: 'x' }],
      ['POST', '/move', { folder_id: null }],
      ['POST', '/archive', {}],
      ['POST', '/tags', { tags: ['x'] }],
      ['DELETE', '/tags/x', undefined],
      ['POST', '/links', { entity_type: 'POLICY', entity_id: theirs.id }],
      ['DELETE', `/links/${theirs.id}`, undefined],
      ['DELETE', '', undefined],
    ] as const) {
      const res = await h.request(method, `${path}${suffix}`, ws.adminToken, body);
      expect([method, suffix, res.status]).toEqual([method, suffix, 404]);
    }
    expect(await ids('status=ACTIVE')).not.toContain(theirs.id);
    // a token of one workspace cannot reach another's path at all
    expect((await h.request('GET', `${docsPath(other)}/${theirs.id}`, ws.adminToken)).status).toBe(404);
  });
});
