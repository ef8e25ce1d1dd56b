import { allRoutes } from '@vigil/domains/routes';
import { type Harness, startHarness, type TestWorkspace } from '../harness';

const ZERO = '00000000-0000-4000-8000-000000000000';
const fill = (path: string, ws: string) => path.replace(':ws', ws).replace(/:[a-z_]+/g, ZERO);

describe('tenancy and roles', () => {
  let h: Harness;
  let a: TestWorkspace;
  let b: TestWorkspace;

  beforeAll(async () => {
    h = await startHarness();
    a = await h.workspace();
    b = await h.workspace();
  });
  afterAll(() => h.close());

  it('answers 404 to a token from another workspace on every /workspaces/{ws} route', async () => {
    const wsRoutes = allRoutes.filter((r) => r.path.includes(':ws'));
    expect(wsRoutes.length).toBeGreaterThan(5);
    for (const r of wsRoutes) {
      const res = await h.request(
        r.method.toUpperCase(),
        fill(r.path, a.id),
        b.adminToken,
        r.method === 'get' ? undefined : {},
      );
      expect([r.method, r.path, res.status]).toEqual([r.method, r.path, 404]);
    }
  });

  it('answers 404 for another workspace’s ids, in the caller’s own workspace path', async () => {
    const aMember = await a.member('MEMBER');
    for (const [method, body] of [
      ['GET', undefined],
      ['PATCH', { title: 'x' }],
      ['POST', {}],
    ] as const) {
      const path =
        method === 'POST'
          ? `/workspaces/${b.id}/members/${aMember.id}/offboard`
          : `/workspaces/${b.id}/members/${aMember.id}`;
      const res = await h.request(method, path, b.adminToken, body);
      expect(res.status).toBe(404);
      expect(res.headers.get('content-type')).toMatch(/application\/problem\+json/);
    }
    const team = await h.request('POST', `/workspaces/${a.id}/teams`, a.adminToken, { name: 'Payments' });
    expect(
      (await h.request('PATCH', `/workspaces/${b.id}/teams/${team.body.id}`, b.adminToken, { name: 'x' }))
        .status,
    ).toBe(404);
    expect(
      (await h.request('DELETE', `/workspaces/${b.id}/teams/${team.body.id}`, b.adminToken)).status,
    ).toBe(404);
    const token = await h.request('POST', `/workspaces/${a.id}/tokens`, a.adminToken, { name: 'ci' });
    expect(
      (await h.request('DELETE', `/workspaces/${b.id}/tokens/${token.body.id}`, b.adminToken)).status,
    ).toBe(404);
  });

  it('scopes /api and /compliance lists to the token’s workspace', async () => {
    await h.request('POST', '/api/roles', a.adminToken, { name: 'Engineering' });
    const rolesB = await h.request('GET', '/api/roles', b.adminToken);
    expect(rolesB.body.data.map((r: { name: string }) => r.name)).not.toContain('Engineering');
    const auditB = await h.request('GET', '/compliance/audit-logs?limit=500', b.adminToken);
    expect(auditB.body.data.every((e: { workspace_id: string }) => e.workspace_id === b.id)).toBe(true);
    // A member of A cannot be used as a manager in B.
    const aMember = await a.member('MEMBER');
    const res = await h.request('POST', `/workspaces/${b.id}/members`, b.adminToken, {
      name: 'X',
      email: 'x@example.com',
      manager_id: aMember.id,
    });
    expect(res.status).toBe(400);
    expect(res.body.errors[0].field).toBe('body.manager_id');
  });

  it('lets auditors read everything and write nothing', async () => {
    const auditor = await a.member('AUDITOR');
    // The one exception: an auditor requests the evidence pack it audits (test/evidence/).
    const auditorWrites = ['post /compliance/evidence-packs'];
    const writes = allRoutes.filter(
      (r) =>
        r.method !== 'get' &&
        (r.auth ?? 'token') === 'token' &&
        !auditorWrites.includes(`${r.method} ${r.path}`),
    );
    expect(writes.every((r) => !r.roles?.includes('AUDITOR'))).toBe(true);
    expect(
      allRoutes
        .filter((r) => r.method !== 'get' && r.roles?.includes('AUDITOR'))
        .map((r) => `${r.method} ${r.path}`),
    ).toEqual(auditorWrites);
    for (const r of writes) {
      const res = await h.request(r.method.toUpperCase(), fill(r.path, a.id), auditor.token, {});
      expect([r.method, r.path, res.status]).toEqual([r.method, r.path, 403]);
    }
    expect((await h.request('GET', '/compliance/audit-logs', auditor.token)).status).toBe(200);
    expect((await h.request('GET', `/workspaces/${a.id}/members`, auditor.token)).status).toBe(200);
    expect((await h.request('GET', `/workspaces/${a.id}/settings`, auditor.token)).status).toBe(200);
  });

  it('lets members act only on their own items', async () => {
    const alice = await a.member('MEMBER');
    const bob = await a.member('MEMBER');
    expect((await h.request('GET', '/compliance/audit-logs', alice.token)).status).toBe(403);
    const other = await h.request('PATCH', `/workspaces/${a.id}/members/${bob.id}`, alice.token, {
      timezone: 'Europe/Paris',
    });
    expect(other.status).toBe(403);
    const own = await h.request('PATCH', `/workspaces/${a.id}/members/${alice.id}`, alice.token, {
      timezone: 'Europe/Paris',
    });
    expect(own.status).toBe(200);
    expect(own.body.timezone).toBe('Europe/Paris');
    const promote = await h.request('PATCH', `/workspaces/${a.id}/members/${alice.id}`, alice.token, {
      access_role: 'ADMIN',
    });
    expect(promote.status).toBe(403);
    const bobToken = await h.request('POST', `/workspaces/${a.id}/tokens`, alice.token, {
      name: 'x',
      member_id: bob.id,
    });
    expect(bobToken.status).toBe(403);
    const mine = await h.request('POST', `/workspaces/${a.id}/tokens`, alice.token, { name: 'laptop' });
    expect(mine.status).toBe(201);
    expect((await h.request('GET', `/workspaces/${a.id}/members`, mine.body.token)).status).toBe(200);
    expect(
      (await h.request('DELETE', `/workspaces/${a.id}/tokens/${mine.body.id}`, alice.token)).status,
    ).toBe(200);
    expect((await h.request('GET', `/workspaces/${a.id}/members`, mine.body.token)).status).toBe(401);
  });

  it('rejects missing, unknown and offboarded tokens with 401', async () => {
    expect((await h.request('GET', '/api/roles', null)).status).toBe(401);
    expect((await h.request('GET', '/api/roles', 'vgl_nope')).status).toBe(401);
    const leaver = await a.member('MEMBER');
    expect(
      (await h.request('POST', `/workspaces/${a.id}/members/${leaver.id}/offboard`, a.adminToken, {})).status,
    ).toBe(200);
    expect((await h.request('GET', '/api/roles', leaver.token)).status).toBe(401);
  });
});
