import { replayEvent } from '@vigil/domains/automations/dispatch';
import { checkOverdueAssignments } from '@vigil/domains/training/sweeps';
import { Webhook } from 'standardwebhooks';
import { ladderOrg, secondsLadder } from '../engine/org';
import { type FakeSlack, startFakeSlack } from '../fakes/slack';
import { type FakeWebhookReceiver, startWebhookReceiver } from '../fakes/webhook-receiver';
import { eventually, type Harness, startHarness, type TestWorkspace } from '../harness';

describe('automations and signed webhooks on the real stack', () => {
  let h: Harness;
  let ws: TestWorkspace;
  let slack: FakeSlack;
  let receiver: FakeWebhookReceiver;
  let org: Awaited<ReturnType<typeof ladderOrg>>;

  beforeAll(async () => {
    slack = await startFakeSlack();
    receiver = await startWebhookReceiver();
    h = await startHarness({
      worker: true,
      env: {
        SLACK_BOT_TOKEN: 'xoxb-test',
        SLACK_SIGNING_SECRET: 'slack-signing-secret',
        SLACK_API_URL: `${slack.url}/api/`,
        ALLOW_HTTP_WEBHOOKS: 'true',
        ALLOW_PRIVATE_WEBHOOKS: 'true',
        WEBHOOK_RETRY_BASE_MS: '100',
      },
    });
    ws = await h.workspace();
    org = await ladderOrg(h, ws);
    await h.request('PATCH', `/workspaces/${ws.id}/members/${org.manager.id}`, ws.adminToken, {
      slack_user_id: 'U_MANAGER',
    });
  });
  afterAll(async () => {
    await h.close();
    await slack.close();
    await receiver.close();
  });

  const post = (path: string, body: unknown, token = ws.adminToken) => h.request('POST', path, token, body);
  const get = async (path: string, token = ws.adminToken) => (await h.request('GET', path, token)).body;

  it('an overdue assignment emits assignment.overdue once, and each automation runs once on it', async () => {
    const matrix = await post(`/workspaces/${ws.id}/escalation-matrices`, {
      name: 'Overdue training',
      severity_levels: ['HIGH'],
      team_ids: [org.teamId],
      rules: secondsLadder([1]),
    });
    expect(matrix.status).toBe(201);
    const hook = await post(`/workspaces/${ws.id}/webhooks`, {
      url: `${receiver.url}/hooks`,
      event_types: ['assignment.overdue'],
    });
    expect(hook.status).toBe(201);
    expect(hook.body.secret).toMatch(/^whsec_/);
    expect((await get(`/workspaces/${ws.id}/webhooks/${hook.body.id}`)).secret).toBeUndefined();
    const secret = hook.body.secret as string;
    receiver.failNext(2);

    const notify = await post(`/workspaces/${ws.id}/automations`, {
      name: 'Slack the manager',
      trigger: { event_type: 'assignment.overdue' },
      actions: [
        {
          type: 'notify',
          recipients: ['MANAGER'],
          channels: ['slack'],
          message: 'Overdue: {{subject.title}}',
        },
      ],
    });
    expect(notify.status).toBe(201);
    const ticket = await post(`/workspaces/${ws.id}/automations`, {
      name: 'Open a ticket',
      trigger: { event_type: 'assignment.overdue' },
      actions: [
        { type: 'create_ticket', title: 'Overdue: {{subject.title}}', severity: 'HIGH', team_id: org.teamId },
      ],
    });
    expect(ticket.status).toBe(201);
    const disabled = await post(`/workspaces/${ws.id}/automations`, {
      name: 'Disabled',
      enabled: false,
      trigger: { event_type: 'assignment.overdue' },
      actions: [{ type: 'notify', recipients: ['OWNER'], channels: ['email'] }],
    });
    expect(disabled.status).toBe(201);
    const unmatched = await post(`/workspaces/${ws.id}/automations`, {
      name: 'Only L4',
      trigger: { event_type: 'assignment.overdue', conditions: { level: ['L4'] } },
      actions: [{ type: 'notify', recipients: ['OWNER'], channels: ['email'] }],
    });
    expect(unmatched.status).toBe(201);

    const training = await post('/compliance/mandatory-training', {
      name: 'Phishing awareness',
      applies_to_type: 'INDIVIDUAL',
      applies_to_ids: [org.owner.id],
      fixed_due_date: new Date(Date.now() + 2000).toISOString(),
    });
    expect(training.status).toBe(201);
    const assignment = (await get(`/compliance/assignments?mandatory_training_id=${training.body.id}`))
      .data[0];
    await eventually(
      async () => (await get(`/compliance/assignments/${assignment.id}`)).status === 'OVERDUE',
      30_000,
    );
    await checkOverdueAssignments(h.deps.db); // the safety net finds nothing more to emit
    const overdue = await get(
      `/workspaces/${ws.id}/events?type=assignment.overdue&subject_id=${assignment.id}`,
    );
    expect(overdue.data).toHaveLength(1);
    const event = overdue.data[0];
    expect(event).toMatchObject({
      type: 'assignment.overdue',
      subject: { type: 'training_assignment', id: assignment.id },
    });

    // Slack: exactly one message to the manager.
    await eventually(
      async () => slack.method('chat.postMessage').some((c) => c.body.channel === 'U_MANAGER'),
      20_000,
    );
    const runs = await eventually(async () => {
      const r = (await get(`/workspaces/${ws.id}/automations/${notify.body.id}/runs`)).data;
      return r.length ? r : null;
    });
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatchObject({ event_id: event.id, status: 'SUCCEEDED', replay: 0 });

    // The ticket escalates under its matrix.
    const ticketRuns = (await get(`/workspaces/${ws.id}/automations/${ticket.body.id}/runs`)).data;
    expect(ticketRuns).toHaveLength(1);
    const ticketId = ticketRuns[0].results[0].ticket_id as string;
    const t = await get(`/workspaces/${ws.id}/tickets/${ticketId}`);
    expect(t).toMatchObject({
      title: 'Overdue: Training: Phishing awareness',
      ladder_source: 'MATRIX',
      matrix_id: matrix.body.id,
    });
    await eventually(
      async () =>
        (await get(`/workspaces/${ws.id}/tickets/${ticketId}/escalations`)).data.some(
          (e: { level: string }) => e.level === 'L1',
        ),
      30_000,
    );

    const fired = await get(`/workspaces/${ws.id}/events?type=escalation.fired&subject_id=${ticketId}`);
    expect(fired.data[0]).toMatchObject({
      subject: { type: 'ticket' },
      payload: { level: 'L1', manual: false },
    });
    expect(fired.data[0].payload.target_member_ids).toEqual([org.lead.id]);

    // Disabled and non-matching automations ran nothing.
    expect((await get(`/workspaces/${ws.id}/automations/${disabled.body.id}/runs`)).data).toHaveLength(0);
    expect((await get(`/workspaces/${ws.id}/automations/${unmatched.body.id}/runs`)).data).toHaveLength(0);

    // The webhook: failed twice, delivered on the third attempt; every signature verifies.
    const deliveries = await eventually(async () => {
      const d = (await get(`/workspaces/${ws.id}/webhooks/${hook.body.id}/deliveries`)).data;
      return d[0]?.status === 'SUCCEEDED' ? d : null;
    }, 20_000);
    expect(deliveries).toHaveLength(1);
    expect(deliveries[0]).toMatchObject({ event_id: event.id, attempts: 3 });
    expect(deliveries[0].attempt_log.map((a: { status_code: number }) => a.status_code)).toEqual([
      500, 500, 200,
    ]);
    expect(deliveries[0].attempt_log.every((a: { latency_ms: number }) => a.latency_ms >= 0)).toBe(true);
    const received = receiver.calls.filter((c) => c.headers['webhook-id'] === event.id);
    expect(received).toHaveLength(3);
    for (const c of received) {
      const payload = new Webhook(secret).verify(c.raw, c.headers as Record<string, string>) as {
        id: string;
        type: string;
      };
      expect(payload).toMatchObject({ id: event.id, type: 'assignment.overdue', workspace_id: ws.id });
    }

    // Rotation: both secrets sign for 24 h; redeliver sends it again.
    const rotated = await post(`/workspaces/${ws.id}/webhooks/${hook.body.id}/rotate-secret`, undefined);
    expect(rotated.status).toBe(201);
    expect(rotated.body.secret).not.toBe(secret);
    const redo = await post(
      `/workspaces/${ws.id}/webhooks/${hook.body.id}/deliveries/${deliveries[0].id}/redeliver`,
      undefined,
    );
    expect(redo.status).toBe(202);
    const again = await eventually(async () => {
      const calls = receiver.calls.filter((c) => c.headers['webhook-id'] === event.id);
      return calls.length === 4 ? calls[3] : null;
    });
    expect(String(again?.headers['webhook-signature']).split(' ')).toHaveLength(2);
    for (const s of [secret, rotated.body.secret as string])
      expect(new Webhook(s).verify(again?.raw ?? '', again?.headers as Record<string, string>)).toMatchObject(
        { id: event.id },
      );

    // Replay (the admin CLI's `automation replay`): new runs, marked as replays.
    const replay = await replayEvent(h.deps, event.id);
    expect(replay?.runs.map((r) => r.automation_id).sort()).toEqual([notify.body.id, ticket.body.id].sort());
    const after = (await get(`/workspaces/${ws.id}/automations/${notify.body.id}/runs`)).data;
    expect(after.map((r: { replay: number }) => r.replay).sort()).toEqual([0, 1]);

    // Every change is audited.
    const audit = (await get('/compliance/audit-logs?limit=500')).data.map(
      (a: { action_type: string }) => a.action_type,
    );
    for (const a of [
      'AUTOMATION_CREATED',
      'WEBHOOK_CREATED',
      'WEBHOOK_SECRET_ROTATED',
      'WEBHOOK_REDELIVERED',
      'AUTOMATION_REPLAYED',
    ])
      expect(audit).toContain(a);
  });

  it('an endpoint failing for 3 days is disabled and the admins are notified', async () => {
    const hook = await post(`/workspaces/${ws.id}/webhooks`, {
      url: `${receiver.url}/down`,
      event_types: ['member.onboarded'],
    });
    expect(hook.status).toBe(201);
    await h.deps.pool.query(
      `UPDATE webhook_endpoints SET failing_since = now() - interval '3 days 1 minute' WHERE id = $1`,
      [hook.body.id],
    );
    receiver.failNext(1, 503);
    const member = await ws.member(); // member.onboarded
    const endpoint = await eventually(async () => {
      const e = await get(`/workspaces/${ws.id}/webhooks/${hook.body.id}`);
      return e.enabled === false ? e : null;
    }, 20_000);
    expect(endpoint.disabled_reason).toMatch(/3 days/);
    const d = (await get(`/workspaces/${ws.id}/webhooks/${hook.body.id}/deliveries`)).data;
    expect(d[0]).toMatchObject({ status: 'FAILED', last_status_code: 503 });
    const onboarded = await get(`/workspaces/${ws.id}/events?type=member.onboarded&subject_id=${member.id}`);
    expect(d[0].event_id).toBe(onboarded.data[0].id);
    const told = await get(
      `/workspaces/${ws.id}/notifications?kind=webhook_endpoint&obligation_id=${hook.body.id}`,
    );
    expect(told.data.map((n: { recipient_id: string }) => n.recipient_id)).toContain(ws.adminId);
    const audit = await get(`/compliance/audit-logs?action_type=WEBHOOK_DISABLED&target_id=${hook.body.id}`);
    expect(audit.data).toHaveLength(1);
    // Enabling it again clears the failure record.
    const again = await h.request('PATCH', `/workspaces/${ws.id}/webhooks/${hook.body.id}`, ws.adminToken, {
      enabled: true,
    });
    expect(again.body).toMatchObject({ enabled: true, failing_since: null, disabled_reason: null });
  });

  it('tenancy, roles and bad input', async () => {
    const other = await h.workspace();
    const theirHook = await post(
      `/workspaces/${other.id}/webhooks`,
      { url: `${receiver.url}/x` },
      other.adminToken,
    );
    expect(theirHook.status).toBe(201);
    const member = await ws.member();
    const auditor = await ws.member('AUDITOR');
    expect((await h.request('GET', `/workspaces/${ws.id}/automations`, member.token)).status).toBe(403);
    expect((await h.request('GET', `/workspaces/${ws.id}/webhooks`, auditor.token)).status).toBe(403);
    expect((await h.request('GET', `/workspaces/${ws.id}/webhooks`, other.adminToken)).status).toBe(404);
    expect(
      (await h.request('GET', `/workspaces/${ws.id}/webhooks/${theirHook.body.id}`, ws.adminToken)).status,
    ).toBe(404);
    const cross = await post(`/workspaces/${ws.id}/automations`, {
      name: 'x',
      trigger: { event_type: 'escalation.fired' },
      actions: [{ type: 'webhook', endpoint_id: theirHook.body.id }],
    });
    expect(cross.status).toBe(400);
    expect(JSON.stringify(cross.body.errors)).toContain('actions.0.endpoint_id');
    for (const body of [
      {
        name: 'x',
        trigger: { event_type: 'nope' },
        actions: [{ type: 'webhook', endpoint_id: theirHook.body.id }],
      },
      {
        name: 'x',
        trigger: { event_type: 'escalation.fired', conditions: { colour: ['red'] } },
        actions: [],
      },
      {
        name: 'x',
        trigger: { event_type: 'escalation.fired' },
        actions: [{ type: 'notify', recipients: [], channels: ['email'] }],
      },
      {
        name: 'x',
        trigger: { event_type: 'escalation.fired' },
        actions: [{ type: 'create_ticket', title: '{{process.env}}' }],
      },
    ]) {
      const r = await post(`/workspaces/${ws.id}/automations`, body);
      expect([r.status, r.headers.get('content-type')]).toEqual([
        400,
        expect.stringContaining('problem+json'),
      ]);
    }
    const made = await post(`/workspaces/${ws.id}/automations`, {
      name: 'Escalations to the contacts',
      trigger: { event_type: 'escalation.fired', conditions: { level: ['L3', 'L4'] } },
      actions: [{ type: 'notify', recipients: ['ESCALATION_CONTACTS'], channels: ['email', 'slack'] }],
    });
    expect(made.status).toBe(201);
    expect(
      (
        await h.request('PATCH', `/workspaces/${ws.id}/automations/${made.body.id}`, ws.adminToken, {
          enabled: false,
        })
      ).body.enabled,
    ).toBe(false);
    expect(
      (await h.request('DELETE', `/workspaces/${ws.id}/automations/${made.body.id}`, ws.adminToken)).status,
    ).toBe(200);
    expect(
      (await h.request('DELETE', `/workspaces/${ws.id}/automations/${made.body.id}`, ws.adminToken)).status,
    ).toBe(404);
    const audit = (await get(`/compliance/audit-logs?target_id=${made.body.id}`)).data.map(
      (a: { action_type: string }) => a.action_type,
    );
    expect(audit.sort()).toEqual(['AUTOMATION_CREATED', 'AUTOMATION_DELETED', 'AUTOMATION_UPDATED']);
  });
});

describe('webhook URLs: SSRF refusals without the development flags', () => {
  let h: Harness;
  let ws: TestWorkspace;
  beforeAll(async () => {
    h = await startHarness({ env: { ALLOW_HTTP_WEBHOOKS: undefined, ALLOW_PRIVATE_WEBHOOKS: undefined } });
    ws = await h.workspace();
  });
  afterAll(() => h.close());

  it('refuses http, loopback, private, metadata and names resolving there (400 naming url)', async () => {
    for (const url of [
      'http://hooks.example.com/x',
      'https://127.0.0.1/x',
      'https://10.1.2.3/x',
      'https://169.254.169.254/latest/meta-data',
      'https://[::1]/x',
      'https://localhost./x', // a name, resolved: 127.0.0.1
    ]) {
      const r = await h.request('POST', `/workspaces/${ws.id}/webhooks`, ws.adminToken, { url });
      expect([url, r.status]).toEqual([url, 400]);
      expect(JSON.stringify(r.body.errors)).toContain('url');
    }
    const audit = await h.request('GET', '/compliance/audit-logs?action_type=WEBHOOK_CREATED', ws.adminToken);
    expect(audit.body.data).toHaveLength(0);
  });
});
