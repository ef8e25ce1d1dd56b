import { type Harness, startHarness, type TestWorkspace } from '../harness';

describe('bad input gets a clear 4xx problem, never a 500, never a partial write', () => {
  let h: Harness;
  let ws: TestWorkspace;

  beforeAll(async () => {
    h = await startHarness();
    ws = await h.workspace();
  });
  afterAll(() => h.close());

  const problem = (
    res: { status: number; headers: Headers; body: { status: number; detail: string } },
    status: number,
  ) => {
    expect(res.status).toBe(status);
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(res.body.status).toBe(status);
    expect(typeof res.body.detail).toBe('string');
  };

  it('malformed JSON is 400', async () => {
    const res = await h.raw('POST', `/workspaces/${ws.id}/members`, {
      token: ws.adminToken,
      body: '{"name": "x",',
      headers: { 'content-type': 'application/json' },
    });
    problem(res, 400);
    expect(res.body.errors[0].field).toBe('body');
  });

  it('a body over the limit is 413', async () => {
    const res = await h.request('POST', `/workspaces/${ws.id}/members`, ws.adminToken, {
      name: 'x'.repeat(200 * 1024),
      email: 'big@example.com',
    });
    problem(res, 413);
  });

  it('unknown fields are 400 and named (no mass assignment)', async () => {
    const res = await h.request('POST', `/workspaces/${ws.id}/members`, ws.adminToken, {
      name: 'Eve',
      email: 'eve@example.com',
      workspace_id: '00000000-0000-4000-8000-000000000000',
    });
    problem(res, 400);
    expect(res.body.errors).toEqual([{ field: 'body.workspace_id', message: 'Unknown field' }]);
  });

  it('invalid values name their field', async () => {
    const res = await h.request('POST', `/workspaces/${ws.id}/members`, ws.adminToken, {
      name: '',
      email: 'not-an-email',
      access_role: 'OWNER',
    });
    problem(res, 400);
    const fields = res.body.errors.map((e: { field: string }) => e.field).sort();
    expect(fields).toEqual(['body.access_role', 'body.email', 'body.name']);
  });

  it('malformed ids are 400 (or 404 for a workspace path), never 500', async () => {
    problem(await h.request('GET', `/workspaces/${ws.id}/members/not-a-uuid`, ws.adminToken), 400);
    problem(await h.request('GET', '/workspaces/not-a-uuid/members', ws.adminToken), 404);
    problem(await h.request('GET', `/compliance/audit-logs?actor_id=1`, ws.adminToken), 400);
    problem(await h.request('GET', `/workspaces/${ws.id}/members?limit=100000`, ws.adminToken), 400);
    problem(await h.request('GET', '/nope', ws.adminToken), 404);
  });

  it('writes nothing when a referenced id is wrong', async () => {
    const email = 'partial@example.com';
    const res = await h.request('POST', `/workspaces/${ws.id}/members`, ws.adminToken, {
      name: 'Partial',
      email,
      team_ids: ['00000000-0000-4000-8000-000000000000'],
    });
    problem(res, 400);
    expect(res.body.errors[0].field).toBe('body.team_ids');
    const list = await h.request('GET', `/workspaces/${ws.id}/members?q=partial`, ws.adminToken);
    expect(list.body.data).toHaveLength(0);
  });

  it('a duplicate email is 409 naming the field', async () => {
    const body = { name: 'Dup', email: 'dup@example.com' };
    expect((await h.request('POST', `/workspaces/${ws.id}/members`, ws.adminToken, body)).status).toBe(201);
    const res = await h.request('POST', `/workspaces/${ws.id}/members`, ws.adminToken, {
      ...body,
      email: 'DUP@example.com',
    });
    problem(res, 409);
    expect(res.body.errors[0].field).toBe('body.email');
  });

  it('refuses a reporting loop', async () => {
    const boss = await ws.member('MANAGER');
    const report = await ws.member('MEMBER', { manager_id: boss.id });
    const res = await h.request('PATCH', `/workspaces/${ws.id}/members/${boss.id}`, ws.adminToken, {
      manager_id: report.id,
    });
    problem(res, 400);
    expect(res.body.errors[0].field).toBe('body.manager_id');
  });
});
