import { randomUUID } from 'node:crypto';
import { issueSignInLink } from '@vigil/domains/auth/service';
import { Browser } from '../auth/browser';
import { type FakeSendgrid, startFakeSendgrid } from '../fakes/sendgrid';
import { eventually, type Harness, startHarness, type TestWorkspace } from '../harness';

/** The emailed acknowledgement link: a session for that purpose only, never usable by someone else. */
describe('acknowledgement link sessions', () => {
  let h: Harness;
  let ws: TestWorkspace;
  let sendgrid: FakeSendgrid;
  let roleId: string;
  let scoped: string[];
  let other: string;

  beforeAll(async () => {
    sendgrid = await startFakeSendgrid();
    h = await startHarness({ env: { SENDGRID_API_KEY: 'SG.k', SENDGRID_BASE_URL: sendgrid.url } });
    ws = await h.workspace();
    const approver = await ws.member('APPROVER');
    roleId = (await h.request('POST', '/api/roles', ws.adminToken, { name: 'Ops' })).body.id;
    const make = async (name: string) => {
      const id = (await h.request('POST', '/api/policies', ws.adminToken, { name, content: `# ${name}\n` }))
        .body.policy.id as string;
      expect((await h.request('POST', `/api/policies/${id}/approve`, approver.token)).status).toBe(200);
      return id;
    };
    scoped = [await make('Ops one'), await make('Ops two')];
    other = await make('Not for ops');
    const assign = await h.request('POST', `/api/roles/${roleId}/assign_policies`, ws.adminToken, {
      policy_ids: scoped,
    });
    expect(assign.status).toBe(200);
  });
  afterAll(async () => {
    await h.close();
    await sendgrid.close();
  });

  /** Onboards a new hire in the role; their welcome link's token (from the mail) and obligation. */
  async function newHire(name: string) {
    const email = `${name.toLowerCase().replace(/\W+/g, '.')}.${randomUUID().slice(0, 6)}@example.com`;
    const res = await h.request('POST', '/api/employees/onboard', ws.adminToken, {
      name,
      email,
      role_ids: [roleId],
    });
    expect(res.status).toBe(201);
    const mail = await eventually(async () =>
      sendgrid.calls.find((c) => c.body.personalizations[0]?.to[0]?.email === email),
    );
    const text = mail.body.content.map((c) => c.value).join('\n');
    const token = /\/ack\/([A-Za-z0-9_-]{40,})/.exec(text)?.[1] as string;
    expect(token).toEqual(expect.any(String));
    const history = await h.request(
      'GET',
      `/api/employees/${res.body.employee_id}/acknowledgement`,
      ws.adminToken,
    );
    return {
      id: res.body.employee_id as string,
      email,
      token,
      obligationId: history.body.data[0].obligation_id as string,
    };
  }

  const signedIn = async (email: string) => {
    const link = await issueSignInLink(h.deps.db, h.deps.config, {
      email,
      workspaceId: ws.id,
      baseUrl: h.baseUrl,
    });
    const b = new Browser(h.baseUrl);
    expect((await b.fetch('GET', link.url.replace(h.baseUrl, ''))).status).toBe(303);
    return b;
  };

  it('refuses the link to a member signed in as someone else, and leaves it unused', async () => {
    const hire = await newHire('Ada Hire');
    const someone = await newHire('Bob Other');
    const bob = await signedIn(someone.email);
    const refused = await bob.fetch('GET', `/ack/${hire.token}`);
    expect(refused.status).toBe(303);
    expect(refused.headers.get('location')).toBe('/acknowledge/link-refused');
    expect(refused.headers.getSetCookie()).toEqual([]);
    // Bob is still Bob, and nothing was acknowledged for either of them.
    expect((await bob.fetch('GET', '/auth/session')).body).toMatchObject({
      member_id: someone.id,
      purpose: null,
    });
    expect(
      (await bob.fetch('GET', `/workspaces/${ws.id}/me/acknowledgements/${hire.obligationId}`)).status,
    ).toBe(404);
    // A session opened by Bob's own link is refused Ada's link too.
    const bobLimited = new Browser(h.baseUrl);
    expect((await bobLimited.fetch('GET', `/ack/${someone.token}`)).headers.get('location')).toBe(
      `/acknowledge/${someone.obligationId}`,
    );
    expect((await bobLimited.fetch('GET', `/ack/${hire.token}`)).headers.get('location')).toBe(
      '/acknowledge/link-refused',
    );
    const status = await h.request('GET', `/api/acknowledge/status?employee_id=${hire.id}`, ws.adminToken);
    expect(status.body.data.filter((s: { status: string }) => s.status === 'PENDING')).toHaveLength(2);
    // Signed in fully, the member's own link just opens the page and stays unused.
    const full = await signedIn(hire.email);
    const again = await full.fetch('GET', `/ack/${hire.token}`);
    expect(again.headers.get('location')).toBe(`/acknowledge/${hire.obligationId}`);
    expect(again.headers.getSetCookie()).toEqual([]);
    expect((await full.fetch('GET', `/workspaces/${ws.id}/me/obligations`)).status).toBe(200);
    // The link still works for Ada.
    const ada = new Browser(h.baseUrl);
    const opened = await ada.fetch('GET', `/ack/${hire.token}`);
    expect(opened.headers.get('location')).toBe(`/acknowledge/${hire.obligationId}`);
    expect((await ada.fetch('GET', '/auth/session')).body).toMatchObject({ member_id: hire.id });
  });

  it('a link session reads and acknowledges its own policies only, with the evidence of a link', async () => {
    const hire = await newHire('Cy Hire');
    const b = new Browser(h.baseUrl);
    const opened = await b.fetch('GET', `/ack/${hire.token}`, { headers: { 'user-agent': 'MailClient/3' } });
    expect(opened.status).toBe(303);
    const session = await b.fetch('GET', '/auth/session');
    expect(session.body).toMatchObject({ purpose: 'acknowledge', scope_ids: [hire.obligationId] });
    const ends = new Date(session.body.expires_at).getTime() - Date.now();
    expect(ends).toBeLessThanOrEqual(30 * 60_000);

    const page = await b.fetch('GET', `/workspaces/${ws.id}/me/acknowledgements/${hire.obligationId}`);
    expect(page.status).toBe(200);
    expect(page.body.policies.map((p: { policy_id: string }) => p.policy_id).sort()).toEqual(
      [...scoped].sort(),
    );
    expect((await b.fetch('GET', `/api/policies/${scoped[0]}/diff?from=1&to=1`)).status).toBe(200);

    // Everything else answers 403: the inbox, members, another policy, another obligation, acting for someone else.
    for (const path of [
      `/workspaces/${ws.id}/me/obligations`,
      `/workspaces/${ws.id}/members`,
      '/auth/sessions',
      `/api/policies/${other}/diff?from=1&to=1`,
      `/workspaces/${ws.id}/me/acknowledgements/${randomUUID()}`,
    ])
      expect([path, (await b.fetch('GET', path)).status]).toEqual([path, 403]);
    expect((await b.write('POST', `/api/acknowledge/${other}`, {})).status).toBe(403);
    expect((await b.write('POST', `/api/acknowledge/${scoped[0]}`, { employee_id: ws.adminId })).status).toBe(
      403,
    );

    const ack = await b.write('POST', `/api/acknowledge/${scoped[0]}`, {}, { 'user-agent': 'MailClient/3' });
    expect(ack.status).toBe(201);
    expect(ack.body).toMatchObject({
      status: 'ACKNOWLEDGED',
      user_agent: 'MailClient/3',
      member_id: hire.id,
    });
    expect(ack.body.content_sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(ack.body.ip_address).toEqual(expect.any(String));
    const logs = await h.request(
      'GET',
      `/compliance/audit-logs?action_type=POLICY_ACKNOWLEDGED&target_id=${scoped[0]}&limit=100`,
      ws.adminToken,
    );
    const entry = logs.body.data.find(
      (e: { new_value: { employee_id?: string } }) => e.new_value.employee_id === hire.id,
    );
    expect(entry.new_value).toMatchObject({ via: 'LINK', version_number: 1, user_agent: 'MailClient/3' });
  });
});
