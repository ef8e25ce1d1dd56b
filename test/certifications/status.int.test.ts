import { checkExpiredCerts, checkExpiringCerts } from '@vigil/domains/certifications/sweeps';
import { events } from '@vigil/domains/events/schema';
import { eq, sql } from 'drizzle-orm';
import { type Harness, startHarness, type TestWorkspace } from '../harness';

/**
 * A held certification's status, the ?expiring_soon filter and the holder stats agree from the
 * first moment, whichever path wrote it: create, PATCH, renew or the sweeps (one rule, certStatus).
 * No worker runs: what is checked is what each write leaves, not what the engine does later.
 */
describe('certification status agrees with its window on every path', () => {
  let h: Harness;
  let ws: TestWorkspace;
  let dev: { id: string; token: string };
  let certId: string;

  const DAY = 86_400_000;
  const inDays = (d: number) => new Date(Date.now() + d * DAY).toISOString();
  const api = async (method: string, path: string, body?: unknown) => {
    const r = await h.request(method, path, ws.adminToken, body);
    if (r.status >= 300) throw new Error(`${method} ${path} → ${r.status} ${JSON.stringify(r.body)}`);
    return r.body;
  };
  const expiringIds = async () =>
    (
      await api('GET', `/compliance/developer-certifications?certification_id=${certId}&expiring_soon=true`)
    ).data.map((c: { id: string }) => c.id);
  const stats = async () =>
    (await api('GET', '/compliance/certifications')).data.find((c: { id: string }) => c.id === certId).stats;
  const held = async (id: string) =>
    (await api('GET', `/compliance/developer-certifications?certification_id=${certId}`)).data.find(
      (c: { id: string }) => c.id === id,
    );

  beforeAll(async () => {
    h = await startHarness();
    ws = await h.workspace();
    dev = await ws.member('MEMBER', { name: 'Dana' });
    // the workspace default window: settings.cert_expiring_days = 30
    certId = (await api('POST', '/compliance/certifications', { name: 'AWS Security', validity_months: 12 }))
      .id;
  });
  afterAll(() => h.close());

  it('created 20 days before expiry with a 30-day window: EXPIRING_SOON, listed, counted, with its event', async () => {
    const c = await api('POST', '/compliance/developer-certifications', {
      developer_id: dev.id,
      certification_id: certId,
      issued_date: inDays(-345),
      expiry_date: inDays(20),
    });
    expect(c).toMatchObject({ status: 'EXPIRING_SOON', is_expiring_soon: true, is_expired: false });
    expect(await expiringIds()).toEqual([c.id]);
    expect(await stats()).toMatchObject({ holders: 1, active: 0, expiring_soon: 1 });
    const ev = await h.deps.db.select().from(events).where(eq(events.entityId, c.id));
    expect(ev.map((e) => e.type)).toEqual(['certification.expiring']);

    // PATCH a later expiry: ACTIVE again, gone from the filter, counted as active
    const later = await api('PATCH', `/compliance/developer-certifications/${c.id}`, {
      expiry_date: inDays(200),
    });
    expect(later).toMatchObject({ status: 'ACTIVE', is_expiring_soon: false });
    expect(await expiringIds()).toEqual([]);
    expect(await stats()).toMatchObject({ active: 1, expiring_soon: 0 });

    // PATCH an expiry in the past: EXPIRED at once
    const past = await api('PATCH', `/compliance/developer-certifications/${c.id}`, {
      expiry_date: inDays(-1),
    });
    expect(past).toMatchObject({ status: 'EXPIRED', is_expired: true, is_expiring_soon: false });
    expect(await stats()).toMatchObject({ holders: 0, active: 0, expired: 1 });

    // renew into the window: EXPIRING_SOON, not ACTIVE
    const renewed = await api('POST', `/compliance/developer-certifications/${c.id}/renew`, {
      expiry_date: inDays(10),
    });
    expect(renewed).toMatchObject({ status: 'EXPIRING_SOON', is_expiring_soon: true });
    expect(await expiringIds()).toEqual([c.id]);

    // renew with the definition's validity (12 months): ACTIVE
    const fresh = await api('POST', `/compliance/developer-certifications/${c.id}/renew`, {});
    expect(fresh).toMatchObject({ status: 'ACTIVE', is_expiring_soon: false });
    expect(await stats()).toMatchObject({ holders: 1, active: 1, expiring_soon: 0, expired: 0 });
  });

  it('the per-definition window decides too: a 60-day offset makes 45 days away EXPIRING_SOON', async () => {
    const wide = await api('POST', '/compliance/certifications', {
      name: 'CISSP',
      expiring_soon_offset: 'P60D',
    });
    const c = await api('POST', '/compliance/developer-certifications', {
      developer_id: dev.id,
      certification_id: wide.id,
      expiry_date: inDays(45),
    });
    expect(c).toMatchObject({ status: 'EXPIRING_SOON', is_expiring_soon: true });
  });

  it('the sweeps apply the same rule: into the window, out of a narrowed one, past expiry', async () => {
    const c = await api('POST', '/compliance/developer-certifications', {
      developer_id: dev.id,
      certification_id: certId,
      expiry_date: inDays(100),
    });
    expect(c.status).toBe('ACTIVE');
    const setExpiry = (days: number) =>
      h.deps.db.execute(
        sql`UPDATE developer_certifications SET expiry_date = ${inDays(days)}::timestamptz WHERE id = ${c.id}`,
      );

    // a missed transition: 20 days left and still ACTIVE
    await setExpiry(20);
    expect((await held(c.id)).is_expiring_soon).toBe(true);
    expect(await checkExpiringCerts(h.deps.db)).toMatchObject({ corrected: 1 });
    expect(await held(c.id)).toMatchObject({ status: 'EXPIRING_SOON', is_expiring_soon: true });
    expect(await checkExpiringCerts(h.deps.db)).toMatchObject({ corrected: 0 });

    // the definition's window narrows to 5 days: 20 days left is ACTIVE again, flag and status alike
    await api('PATCH', `/compliance/certifications/${certId}`, { expiring_soon_offset: 'P5D' });
    expect((await held(c.id)).is_expiring_soon).toBe(false);
    await checkExpiringCerts(h.deps.db);
    expect(await held(c.id)).toMatchObject({ status: 'ACTIVE', is_expiring_soon: false });

    // past expiry: the expiring sweep leaves it, the expired sweep marks it
    await setExpiry(-1);
    await checkExpiringCerts(h.deps.db);
    expect((await held(c.id)).status).toBe('ACTIVE');
    expect(await checkExpiredCerts(h.deps.db)).toMatchObject({ corrected: 1 });
    expect(await held(c.id)).toMatchObject({ status: 'EXPIRED', is_expired: true });
  });
});
