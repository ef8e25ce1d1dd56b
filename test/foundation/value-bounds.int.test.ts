import { type Harness, type HttpResult, startHarness, type TestWorkspace } from '../harness';

const DAY = 86_400_000;
const at = (ms: number) => new Date(Date.now() + ms).toISOString();
const level = (after: string) => ({ level: 'L1', after, target: { type: 'MANAGER' }, channels: ['email'] });

describe('values the engine plans with are bounded: cron, durations, future timestamps', () => {
  let h: Harness;
  let ws: TestWorkspace;

  beforeAll(async () => {
    h = await startHarness();
    ws = await h.workspace();
  });
  afterAll(() => h.close());

  const refused = (res: HttpResult, field: string) => {
    expect([res.status, res.body.errors?.map((e: { field: string }) => e.field)]).toEqual([
      400,
      expect.arrayContaining([field]),
    ]);
  };
  const reminder = (extra: Record<string, unknown>) =>
    h.request('POST', `/workspaces/${ws.id}/reminders`, ws.adminToken, {
      title: 'Access review',
      frequency: 'CUSTOM',
      cron_expression: '0 9 * * 1-5',
      start_date: at(DAY),
      ...extra,
    });

  it('a reminder cron must be a valid standard five-field expression', async () => {
    for (const cron of [
      '* * *',
      '*/3 * * * * *',
      '0 0 * * * *',
      '61 * * * *',
      '0 9 * * 1#2',
      '@daily',
      '0 0 30 2 *',
    ])
      refused(await reminder({ cron_expression: cron }), 'body.cron_expression');
    expect((await reminder({})).status).toBe(201);
    expect((await reminder({ cron_expression: '*/15 8-18 * JAN-JUN MON-FRI' })).status).toBe(201);
    const created = await reminder({});
    refused(
      await h.request('PATCH', `/workspaces/${ws.id}/reminders/${created.body.id}`, ws.adminToken, {
        cron_expression: '* * *',
      }),
      'body.cron_expression',
    );
  });

  it('escalation ladder steps are between 1 second and 5 years, never zero', async () => {
    const matrix = (after: string) =>
      h.request('POST', `/workspaces/${ws.id}/escalation-matrices`, ws.adminToken, {
        name: `m-${after}`,
        rules: [level(after)],
      });
    for (const after of ['PT0S', 'PT0.5S', 'P5YT1S', 'P99999Y'])
      refused(await matrix(after), 'body.rules.0.after');
    expect((await matrix('PT1S')).status).toBe(201);
    expect((await matrix('P5Y')).status).toBe(201);
    // A ladder the engine can climb: levels in order, each after no earlier than the last.
    const climb = (rules: unknown[]) =>
      h.request('POST', `/workspaces/${ws.id}/escalation-matrices`, ws.adminToken, { name: 'climb', rules });
    refused(await climb([level('P2D'), { ...level('P1D'), level: 'L2' }]), 'body.rules.1.after');
    refused(await climb([{ ...level('P1D'), level: 'L2' }, level('P2D')]), 'body.rules.1.level');
    refused(await reminder({ escalation_config: [level('PT0S')] }), 'body.escalation_config.0.after');
    refused(await reminder({ escalation_config: [level('P99999Y')] }), 'body.escalation_config.0.after');
    const settings = (body: unknown) =>
      h.request('PATCH', `/workspaces/${ws.id}/settings`, ws.adminToken, body);
    refused(await settings({ default_ladder: [level('PT0S')] }), 'body.default_ladder.0.after');
    refused(await settings({ default_ladder: [level('P99999Y')] }), 'body.default_ladder.0.after');
    expect((await settings({ default_ladder: [level('P3D')] })).status).toBe(200);
  });

  it('offsets before a deadline are between 1 second and 5 years, or PT0S for the deadline itself', async () => {
    const settings = (offsets: string[]) =>
      h.request('PATCH', `/workspaces/${ws.id}/settings`, ws.adminToken, { reminder_offsets: offsets });
    refused(await settings(['P7D', 'P99999Y']), 'body.reminder_offsets.1');
    refused(await settings(['PT0.5S']), 'body.reminder_offsets.0');
    expect((await settings(['P7D', 'PT0S'])).body.reminder_offsets).toEqual(['P7D', 'PT0S']);
    refused(
      await reminder({ notification_config: { intervals: ['P6Y'] } }),
      'body.notification_config.intervals.0',
    );
    refused(
      await reminder({ notification_config: { lead_time: 'P99999Y' } }),
      'body.notification_config.lead_time',
    );
    expect(
      (await reminder({ notification_config: { intervals: ['P1D', 'PT0S'], lead_time: 'PT0S' } })).status,
    ).toBe(201);
  });

  it('expiring-soon windows and acknowledgement deadlines are between 1 second and 5 years', async () => {
    const cert = (offset: string) =>
      h.request('POST', '/compliance/certifications', ws.adminToken, {
        name: `Cert ${offset}`,
        expiring_soon_offset: offset,
      });
    refused(await cert('PT0S'), 'body.expiring_soon_offset');
    refused(await cert('P99999Y'), 'body.expiring_soon_offset');
    expect((await cert('P30D')).status).toBe(201);
    const event = (dueIn: string) =>
      h.request('POST', '/api/acknowledgements/events', ws.adminToken, {
        type: 'MANUAL',
        scope: {},
        due_in: dueIn,
      });
    refused(await event('PT0S'), 'body.due_in');
    refused(await event('P99999Y'), 'body.due_in');
    expect((await event('P14D')).status).toBe(201);
  });

  it('a timestamp that must be in the future is checked', async () => {
    const token = (expires_at: string) =>
      h.request('POST', `/workspaces/${ws.id}/tokens`, ws.adminToken, { name: 'ci', expires_at });
    refused(await token(at(-60_000)), 'body.expires_at');
    expect((await token(at(DAY))).status).toBe(201);

    const member = await ws.member('MEMBER');
    const cert = await h.request('POST', '/compliance/certifications', ws.adminToken, { name: 'Cloud' });
    const hold = (issued: string, expiry: string) =>
      h.request('POST', '/compliance/developer-certifications', ws.adminToken, {
        developer_id: member.id,
        certification_id: cert.body.id,
        issued_date: issued,
        expiry_date: expiry,
      });
    refused(await hold(at(0), at(-DAY)), 'body.expiry_date');
    // Recording a certification that already expired is fine.
    const held = await hold(at(-400 * DAY), at(-10 * DAY));
    expect(held.status).toBe(201);
    const renew = (expiry: string) =>
      h.request('POST', `/compliance/developer-certifications/${held.body.id}/renew`, ws.adminToken, {
        expiry_date: expiry,
      });
    refused(await renew(at(-DAY)), 'body.expiry_date');
    expect((await renew(at(365 * DAY))).status).toBe(200);
  });
});
