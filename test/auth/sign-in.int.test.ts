import { randomUUID } from 'node:crypto';
import { sessions, signInLinks } from '@vigil/domains/auth/schema';
import { issueSignInLink } from '@vigil/domains/auth/service';
import { notifications } from '@vigil/domains/notifications/schema';
import { createMember } from '@vigil/domains/people/service';
import { Effects } from '@vigil/kernel/effects';
import { eq } from 'drizzle-orm';
import { type FakeSendgrid, startFakeSendgrid } from '../fakes/sendgrid';
import { eventually, type Harness, startHarness, type TestWorkspace } from '../harness';
import { Browser } from './browser';

let h: Harness;
let sendgrid: FakeSendgrid;
let ws: TestWorkspace;
let email: string;
let memberId: string;

const linkFromMail = (to: string, after = 0): string | null => {
  const call = sendgrid.calls.filter((c) => c.body.personalizations[0]?.to[0]?.email === to)[after];
  const text = call?.body.content.find((c) => c.type === 'text/plain')?.value ?? '';
  return /(http:\/\/\S+\/auth\/callback\?token=[\w-]+)/.exec(text)?.[1] ?? null;
};

async function signIn(to = email, nth = 0): Promise<{ browser: Browser; link: string }> {
  const browser = new Browser(h.baseUrl);
  const res = await browser.fetch('POST', '/auth/sign-in', { body: { email: to } });
  expect(res.status).toBe(202);
  const link = await eventually(async () => linkFromMail(to, nth));
  const cb = await browser.fetch('GET', `${link}&next=/training`);
  expect(cb.status).toBe(303);
  expect(cb.headers.get('location')).toBe('/training');
  return { browser, link };
}

beforeAll(async () => {
  sendgrid = await startFakeSendgrid();
  h = await startHarness({
    env: {
      SENDGRID_API_KEY: 'SG.test-key',
      SENDGRID_BASE_URL: sendgrid.url,
      SIGN_IN_LIMIT_PER_EMAIL: '4',
      SIGN_IN_LIMIT_PER_IP: '1000',
    },
  });
  ws = await h.workspace();
  email = `ana-${randomUUID().slice(0, 8)}@example.com`;
  const m = await createMember(h.deps.db, ws.ctx, new Effects(), {
    name: 'Ana Lima',
    email,
    access_role: 'ADMIN',
  });
  memberId = m.id;
});

afterAll(async () => {
  await h?.close();
  await sendgrid?.close();
});

describe('sign-in by email link', () => {
  it('mails a one-time link through the outbox, never exposing its token, and opens a session', async () => {
    const { browser, link } = await signIn();
    const token = new URL(link).searchParams.get('token') as string;
    expect(link.startsWith(`${h.baseUrl}/auth/callback?token=`)).toBe(true);

    // Cookies: HttpOnly session, script-readable CSRF token, both Lax and Path=/, not Secure over http.
    const session = browser.setCookies.find((c) => c.startsWith('vigil_session=')) as string;
    const csrf = browser.setCookies.find((c) => c.startsWith('vigil_csrf=')) as string;
    expect(session).toMatch(/HttpOnly/i);
    expect(session).toMatch(/SameSite=Lax/i);
    expect(session).toMatch(/Path=\//);
    expect(session).not.toMatch(/Secure/i);
    expect(csrf).not.toMatch(/HttpOnly/i);
    expect(csrf).toMatch(/SameSite=Lax/i);

    // The outbox row and every API answer hold a placeholder, not the token; the row's secret is wiped.
    const [row] = await h.deps.db
      .select()
      .from(notifications)
      .where(eq(notifications.template, 'auth.sign_in_link'));
    expect(row?.body).not.toContain(token);
    await eventually(async () => {
      const [r] = await h.deps.db
        .select()
        .from(notifications)
        .where(eq(notifications.id, row?.id as string));
      return r?.status === 'SENT' && r.secrets === null;
    });
    const outbox = await h.request(
      'GET',
      `/workspaces/${ws.id}/notifications?kind=sign_in_link`,
      ws.adminToken,
    );
    expect(outbox.status).toBe(200);
    expect(JSON.stringify(outbox.body)).not.toContain(token);
    expect(outbox.body.data.length).toBeGreaterThan(0);
    const [stored] = await h.deps.db.select().from(signInLinks).where(eq(signInLinks.memberId, memberId));
    expect(stored?.tokenHash).not.toBe(token);

    // The session.
    const me = await browser.fetch('GET', '/auth/session');
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({
      member_id: memberId,
      workspace_id: ws.id,
      email,
      name: 'Ana Lima',
      access_role: 'ADMIN',
      csrf_token: browser.cookies.get('vigil_csrf'),
    });
    expect(Date.parse(me.body.expires_at)).toBeGreaterThan(Date.now());
    const [row2] = await h.deps.db.select().from(sessions).where(eq(sessions.id, me.body.session_id));
    expect(row2?.tokenHash).not.toBe(browser.cookies.get('vigil_session'));

    // A GET with the cookie.
    const list = await browser.fetch('GET', `/workspaces/${ws.id}/members`);
    expect(list.status).toBe(200);

    // Single use: the same link again goes to the sign-in page.
    const again = await new Browser(h.baseUrl).fetch('GET', link);
    expect(again.status).toBe(303);
    expect(again.headers.get('location')).toBe('/sign-in?error=link_expired');
    expect(again.headers.getSetCookie()).toEqual([]);

    // Audited, with the client's address and user agent.
    const audit = await h.request('GET', '/compliance/audit-logs?action_type=SIGNED_IN', ws.adminToken);
    const entry = audit.body.data.find((e: { target_id: string }) => e.target_id === me.body.session_id);
    expect(entry).toMatchObject({ actor_id: memberId, target_type: 'session' });
    expect(entry.ip_address).toMatch(/127\.0\.0\.1|::1/);
    const sent = await h.request(
      'GET',
      '/compliance/audit-logs?action_type=SIGN_IN_LINK_SENT',
      ws.adminToken,
    );
    expect(sent.body.data.some((e: { target_id: string }) => e.target_id === memberId)).toBe(true);
  });

  it('protects cookie-authenticated writes with the CSRF token and an Origin check; bearer writes need neither', async () => {
    const { browser } = await signIn(email, 1);
    const team = { name: `team-${randomUUID().slice(0, 6)}` };
    const path = `/workspaces/${ws.id}/teams`;
    const csrf = browser.cookies.get('vigil_csrf') as string;

    const none = await browser.fetch('POST', path, { body: team });
    expect(none.status).toBe(403);
    expect(none.headers.get('content-type')).toContain('application/problem+json');
    const noOrigin = await browser.fetch('POST', path, { body: team, headers: { 'x-csrf-token': csrf } });
    expect(noOrigin.status).toBe(403);
    const foreign = await browser.write('POST', path, team, { origin: 'https://evil.example' });
    expect(foreign.status).toBe(403);
    const wrong = await browser.write('POST', path, team, { 'x-csrf-token': `${csrf}x` });
    expect(wrong.status).toBe(403);
    const noToken = await browser.fetch('POST', path, { body: team, headers: { origin: h.baseUrl } });
    expect(noToken.status).toBe(403);
    expect(noToken.body.detail).toMatch(/X-CSRF-Token/);
    // Referer of this site instead of Origin.
    const viaReferer = await browser.fetch('POST', path, {
      body: { name: `${team.name}-r` },
      headers: { 'x-csrf-token': csrf, referer: `${h.baseUrl}/teams` },
    });
    expect(viaReferer.status).toBe(201);

    const ok = await browser.write('POST', path, team);
    expect(ok.status).toBe(201);
    const audit = await h.request(
      'GET',
      `/compliance/audit-logs?action_type=TEAM_CREATED&target_id=${ok.body.id}`,
      ws.adminToken,
    );
    expect(audit.body.data[0]?.actor_id).toBe(memberId);

    // Bearer requests are unchanged and exempt (even with a stray cookie).
    const bearer = await h.request('POST', path, ws.adminToken, { name: `${team.name}-b` });
    expect(bearer.status).toBe(201);
  });

  it('signs out, lists and revokes own sessions', async () => {
    const a = (await signIn(email, 2)).browser;
    const b = (await signIn(email, 3)).browser;
    const meA = (await a.fetch('GET', '/auth/session')).body;
    const meB = (await b.fetch('GET', '/auth/session')).body;

    const listed = await a.fetch('GET', '/auth/sessions');
    expect(listed.status).toBe(200);
    const ids = listed.body.data.map((s: { id: string }) => s.id);
    expect(ids).toEqual(expect.arrayContaining([meA.session_id, meB.session_id]));
    expect(listed.body.data.find((s: { id: string }) => s.id === meA.session_id).current).toBe(true);
    expect(JSON.stringify(listed.body)).not.toContain(a.cookies.get('vigil_session'));

    // Another member cannot revoke it (404), and a revoke needs the CSRF token like any write.
    const other = await ws.member('ADMIN');
    const foreign = await h.request('DELETE', `/auth/sessions/${meB.session_id}`, other.token);
    expect(foreign.status).toBe(404);
    expect((await a.fetch('DELETE', `/auth/sessions/${meB.session_id}`)).status).toBe(403);
    expect((await a.write('DELETE', `/auth/sessions/${meB.session_id}`)).status).toBe(204);
    expect((await b.fetch('GET', '/auth/session')).status).toBe(401);
    expect((await b.fetch('GET', `/workspaces/${ws.id}/members`)).status).toBe(401);

    // Sign-out: CSRF-protected, 204, cookies cleared, the session no longer works.
    const cookie = a.cookies.get('vigil_session') as string;
    expect((await a.fetch('POST', '/auth/sign-out')).status).toBe(403);
    const out = await a.write('POST', '/auth/sign-out');
    expect(out.status).toBe(204);
    expect(a.setCookies.some((c) => /^vigil_session=;/.test(c))).toBe(true);
    expect(a.cookies.has('vigil_session')).toBe(false);
    const replay = await h.raw('GET', '/auth/session', { headers: { cookie: `vigil_session=${cookie}` } });
    expect(replay.status).toBe(401);
    expect(replay.headers.get('content-type')).toContain('application/problem+json');

    const actions = await h.request('GET', `/compliance/audit-logs?target_type=session`, ws.adminToken);
    const kinds = actions.body.data.map((e: { action_type: string }) => e.action_type);
    expect(kinds).toEqual(expect.arrayContaining(['SIGNED_OUT', 'SESSION_REVOKED']));
  });

  it('answers 202 for unknown emails and rate-limits per email with 429', async () => {
    const stranger = `nobody-${randomUUID().slice(0, 6)}@example.com`;
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) {
      const r = await h.request('POST', '/auth/sign-in', null, { email: stranger });
      statuses.push(r.status);
      if (r.status === 202) expect(r.body).toEqual({ status: 'SENT' });
      else {
        expect(r.headers.get('content-type')).toContain('application/problem+json');
        expect(Number(r.headers.get('retry-after'))).toBeGreaterThan(0);
      }
    }
    expect(statuses).toEqual([202, 202, 202, 202, 429]);
    // Bad input is still a 400 naming the field.
    const bad = await h.request('POST', '/auth/sign-in', null, { email: 'not-an-email' });
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].field).toBe('body.email');
  });

  it('an invalid token, an unsafe next, and a missing session are handled without an error page', async () => {
    const b = new Browser(h.baseUrl);
    const bogus = await b.fetch('GET', '/auth/callback?token=nope');
    expect(bogus.headers.get('location')).toBe('/sign-in?error=link_expired');
    const link = await issueSignInLink(h.deps.db, h.deps.config, { email, baseUrl: h.baseUrl });
    const cb = await b.fetch('GET', `${link.url}&next=//evil.example/x`);
    expect(cb.status).toBe(303);
    expect(cb.headers.get('location')).toBe('/');
    expect((await new Browser(h.baseUrl).fetch('GET', '/auth/session')).status).toBe(401);
    const issued = await h.request(
      'GET',
      '/compliance/audit-logs?action_type=SIGN_IN_LINK_ISSUED',
      ws.adminToken,
    );
    expect(issued.body.data.length).toBe(1);
  });
});

describe('expiry and rotation (short clocks)', () => {
  let s: Harness;
  let sws: TestWorkspace;
  let semail: string;
  beforeAll(async () => {
    s = await startHarness({
      env: {
        SIGN_IN_LINK_TTL_SECONDS: '1',
        SESSION_IDLE_TIMEOUT_SECONDS: '3',
        SESSION_ROTATE_SECONDS: '1',
        SIGN_IN_LIMIT_PER_IP: '2',
        TRUST_PROXY: 'loopback',
      },
    });
    sws = await s.workspace();
    semail = `kai-${randomUUID().slice(0, 8)}@example.com`;
    await createMember(s.deps.db, sws.ctx, new Effects(), { name: 'Kai', email: semail });
  });
  afterAll(() => s?.close());

  it('a link past its TTL no longer signs in', async () => {
    const link = await issueSignInLink(s.deps.db, s.deps.config, { email: semail, baseUrl: s.baseUrl });
    await eventually(async () => link.expiresAt.getTime() < Date.now(), 5000, 50);
    const cb = await new Browser(s.baseUrl).fetch('GET', link.url);
    expect(cb.headers.get('location')).toBe('/sign-in?error=link_expired');
  });

  it('rotates the session secret while used (the old one lasts a grace minute) and ends it when idle', async () => {
    const b = new Browser(s.baseUrl);
    const link = await issueSignInLink(s.deps.db, s.deps.config, { email: semail, baseUrl: s.baseUrl });
    expect((await b.fetch('GET', link.url)).status).toBe(303);
    const first = b.cookies.get('vigil_session') as string;
    const csrf = b.cookies.get('vigil_csrf');
    // Used after the rotation interval: a new cookie value, same session and CSRF token.
    const rotated = await eventually(
      async () => {
        const r = await b.fetch('GET', '/auth/session');
        return r.status === 200 && b.cookies.get('vigil_session') !== first ? r : null;
      },
      10_000,
      300,
    );
    expect(b.cookies.get('vigil_csrf')).toBe(csrf);
    const old = await s.raw('GET', '/auth/session', { headers: { cookie: `vigil_session=${first}` } });
    expect(old.status).toBe(200);
    expect(old.body.session_id).toBe(rotated.body.session_id);
    // Unused past the idle timeout: over.
    const idleFrom = Date.now();
    await eventually(async () => Date.now() - idleFrom > 3500, 6000, 200);
    expect((await b.fetch('GET', '/auth/session')).status).toBe(401);
  });

  it('rate-limits per client address whatever the email', async () => {
    const from = { 'x-forwarded-for': '198.51.100.9' };
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++)
      statuses.push(
        (await s.request('POST', '/auth/sign-in', null, { email: `x${i}@example.com` }, from)).status,
      );
    expect(statuses).toEqual([202, 202, 429]);
    const elsewhere = await s.request(
      'POST',
      '/auth/sign-in',
      null,
      { email: 'x0@example.com' },
      {
        'x-forwarded-for': '198.51.100.10',
      },
    );
    expect(elsewhere.status).toBe(202);
  });

  it('marks the cookies Secure behind a trusted https proxy and checks writes against that origin', async () => {
    const link = await issueSignInLink(s.deps.db, s.deps.config, { email: semail, baseUrl: s.baseUrl });
    const b = new Browser(s.baseUrl);
    const https = { 'x-forwarded-proto': 'https' };
    expect((await b.fetch('GET', link.url, { headers: https })).status).toBe(303);
    expect(b.setCookies.length).toBe(2);
    for (const c of b.setCookies) expect(c).toMatch(/; Secure/i);
    const host = new URL(s.baseUrl).host;
    // A write any member may make: revoking an unknown session is a 404 once the CSRF check passes.
    const path = `/auth/sessions/${randomUUID()}`;
    expect((await b.write('DELETE', path, undefined, https)).status).toBe(403);
    expect((await b.write('DELETE', path, undefined, { ...https, origin: `https://${host}` })).status).toBe(
      404,
    );
  });
});
