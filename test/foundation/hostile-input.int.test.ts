import { allRoutes } from '@vigil/domains/routes';
import * as XLSX from 'xlsx';
import { type Harness, type HttpResult, startHarness, type TestWorkspace } from '../harness';

const XLSX_MIME = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const ZERO = '00000000-0000-4000-8000-000000000000';
const fill = (path: string, ws: string) => path.replace(':ws', ws).replace(/:[a-z_]+/g, ZERO);
/** `{"a": {"a": ... 1}}` with `levels` objects, as JSON text (JSON.stringify would recurse). */
const nested = (levels: number): string => `${'{"a":'.repeat(levels)}1${'}'.repeat(levels)}`;

describe('hostile input: one policy for every route, a 400 naming the field, never a 500', () => {
  let h: Harness;
  let ws: TestWorkspace;

  beforeAll(async () => {
    h = await startHarness();
    ws = await h.workspace();
  });
  afterAll(() => h.close());

  const refused = (res: HttpResult, field: string) => {
    expect([res.status, res.headers.get('content-type')]).toEqual([
      400,
      expect.stringMatching(/problem\+json/),
    ]);
    expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
  };
  const auditTrail = async (targetType: string) =>
    (await h.request('GET', `/compliance/audit-logs?target_type=${targetType}`, ws.adminToken)).body.data;

  it('a NUL or a lone surrogate in a JSON body string is refused, naming the field; nothing is written', async () => {
    const cases: Array<[string, string, unknown, string]> = [
      [
        'POST',
        '/api/audit/log',
        { action: 'X', target_type: 'nul', details: { note: 'a\u0000b' } },
        'body.details.note',
      ],
      [
        'POST',
        '/api/audit/log',
        { action: 'X', target_type: 'nul', details: { list: ['ok', '\ud800'] } },
        'body.details.list.1',
      ],
      [
        'POST',
        '/api/audit/log',
        { action: 'X', target_type: 'nul', description: 'x\udc00y' },
        'body.description',
      ],
      ['POST', `/workspaces/${ws.id}/members`, { name: 'Eve\u0000', email: 'eve@example.com' }, 'body.name'],
      [
        'POST',
        `/workspaces/${ws.id}/tickets`,
        { title: 'Broken', description: '\u0000' },
        'body.description',
      ],
      ['POST', '/api/policies', { name: 'P', content: 'text\u0000', config: {} }, 'body.content'],
      [
        'POST',
        '/api/policies',
        { name: 'P', content: 'text', config: { owner: 'x\u0000' } },
        'body.config.owner',
      ],
      ['POST', `/workspaces/${ws.id}/teams`, { name: 'T\ud83d' }, 'body.name'],
      [
        'PATCH',
        `/workspaces/${ws.id}/settings`,
        { default_ladder: [{ after: '\u0000' }] },
        'body.default_ladder.0.after',
      ],
    ];
    for (const [method, path, body, field] of cases)
      refused(await h.request(method, path, ws.adminToken, body), field);
    expect(await auditTrail('nul')).toEqual([]);
    const members = await h.request('GET', `/workspaces/${ws.id}/members?q=eve`, ws.adminToken);
    expect(members.body.data).toEqual([]);
  });

  it('a NUL or a lone surrogate in an object key is refused, naming the object', async () => {
    refused(
      await h.request('POST', '/api/audit/log', ws.adminToken, {
        action: 'X',
        target_type: 'nul',
        details: { 'bad\u0000key': 1 },
      }),
      'body.details',
    );
    const raw = await h.raw('POST', '/api/audit/log', {
      token: ws.adminToken,
      headers: { 'content-type': 'application/json' },
      body: '{"action":"X","target_type":"nul","details":{"k\\ud800":1}}',
    });
    refused(raw, 'body.details');
    expect(await auditTrail('nul')).toEqual([]);
  });

  it('a NUL in a query or path value is refused on list routes, naming the parameter', async () => {
    const cases: Array<[string, string]> = [
      [`/workspaces/${ws.id}/members?q=a%00b`, 'query.q'],
      [`/workspaces/${ws.id}/reminders?search=%00`, 'query.search'],
      [`/workspaces/${ws.id}/reminders?domain=x%00`, 'query.domain'],
      [`/compliance/audit-logs?target_type=a%00`, 'query.target_type'],
      [`/compliance/audit-logs?target_id=a%00`, 'query.target_id'],
      [`/workspaces/${ws.id}/compliance/documents?search=%00`, 'query.search'],
      [`/workspaces/${ws.id}/compliance/documents?tags=a%00`, 'query.tags'],
    ];
    for (const [path, field] of cases) refused(await h.request('GET', path, ws.adminToken), field);
    refused(
      await h.request(
        'DELETE',
        `/workspaces/${ws.id}/compliance/documents/${ZERO}/tags/a%00b`,
        ws.adminToken,
      ),
      'path.tag',
    );
  });

  it('every JSON route applies the policy before its own schema', async () => {
    const token = allRoutes.filter((r) => (r.auth ?? 'token') === 'token');
    const writes = token.filter((r) => r.method !== 'get' && r.bodyType === undefined);
    const reads = token.filter((r) => r.method === 'get');
    expect(writes.length).toBeGreaterThan(60);
    for (const r of writes) {
      const res = await h.request(r.method.toUpperCase(), fill(r.path, ws.id), ws.adminToken, {
        note: '\u0000',
      });
      expect([r.method, r.path, res.status, res.body.errors?.[0]?.field]).toEqual([
        r.method,
        r.path,
        400,
        'body.note',
      ]);
    }
    for (const r of reads) {
      const res = await h.request('GET', `${fill(r.path, ws.id)}?note=%00`, ws.adminToken);
      expect([r.path, res.status, res.body.errors?.[0]?.field]).toEqual([r.path, 400, 'query.note']);
    }
  });

  it('free-form JSON deeper than 32 levels is refused naming the field; 32 levels are fine', async () => {
    const send = (method: string, path: string, json: string) =>
      h.raw(method, path, {
        token: ws.adminToken,
        headers: { 'content-type': 'application/json' },
        body: json,
      });
    const log = (details: string) =>
      send('POST', '/api/audit/log', `{"action":"DEEP","target_type":"deep","details":${details}}`);
    expect((await log(nested(32))).status).toBe(201);
    refused(await log(nested(33)), 'body.details');
    refused(await log(nested(10_000)), 'body.details');
    refused(
      await send('POST', '/api/policies', `{"name":"Deep","content":"x","config":${nested(10_000)}}`),
      'body.config',
    );
    refused(
      await send('PATCH', `/workspaces/${ws.id}/settings`, `{"default_ladder":[${nested(10_000)}]}`),
      'body.default_ladder',
    );
    expect((await auditTrail('deep')).length).toBe(1);
  });

  it('free-form JSON over the size limit is refused naming the field', async () => {
    const res = await h.request('POST', '/api/audit/log', ws.adminToken, {
      action: 'BIG',
      target_type: 'big',
      details: { blob: 'x'.repeat(40 * 1024) },
    });
    refused(res, 'body.details');
  });

  it('a body nested 40,000 levels deep cannot crash the JSON parser or the API', async () => {
    const depth = 40_000;
    const res = await h.raw('POST', `/workspaces/${ws.id}/members`, {
      token: ws.adminToken,
      headers: { 'content-type': 'application/json' },
      body: `{"name":${'['.repeat(depth)}${']'.repeat(depth)}}`,
    });
    refused(res, 'body.name');
    const arrays = await h.raw('POST', '/api/audit/log', {
      token: ws.adminToken,
      headers: { 'content-type': 'application/json' },
      body: `${'['.repeat(depth)}${']'.repeat(depth)}`,
    });
    refused(arrays, 'body.0');
    expect((await h.request('GET', '/healthz', null)).status).toBe(200);
  });

  it('a value Postgres cannot take is a 400, never a 500', async () => {
    // A NUL inside a spreadsheet cell reaches Postgres (error 22021); nothing is stored.
    const wb = XLSX.utils.book_new();
    const rows = [
      ['ID', 'Question', 'Answer'],
      ['AC-1', 'Do you review\u0000 access?', 'Yes'],
    ];
    XLSX.utils.book_append_sheet(wb, XLSX.utils.aoa_to_sheet(rows), 'Security');
    const file = XLSX.write(wb, { type: 'buffer', bookType: 'xlsx' }) as Buffer;
    const base = `/workspaces/${ws.id}/questionnaires`;
    const res = await fetch(`${h.baseUrl}${base}/upload?filename=nul.xlsx`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ws.adminToken}`, 'content-type': XLSX_MIME },
      body: new Uint8Array(file),
    });
    expect([res.status, res.headers.get('content-type')]).toEqual([
      400,
      expect.stringMatching(/problem\+json/),
    ]);
    expect((await h.request('GET', base, ws.adminToken)).body.data).toEqual([]);
    // Year 0 does not exist in Postgres (22008).
    const year0 = await h.request('GET', '/compliance/audit-logs?from=0000-01-01T00:00:00Z', ws.adminToken);
    expect(year0.status).toBe(400);
  });
});
