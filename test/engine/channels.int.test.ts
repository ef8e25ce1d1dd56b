import { createHmac } from 'node:crypto';
import { type FakeSendgrid, startFakeSendgrid } from '../fakes/sendgrid';
import { type FakeSlack, startFakeSlack } from '../fakes/slack';
import { eventually, type Harness, startHarness, type TestWorkspace } from '../harness';
import { ladderOrg } from './org';

const SECRET = 'test-signing-secret-0123456789';

describe('escalations reach SendGrid and Slack; Slack buttons act; quiet hours defer delivery', () => {
  let h: Harness;
  let ws: TestWorkspace;
  let sendgrid: FakeSendgrid;
  let slack: FakeSlack;
  let org: Awaited<ReturnType<typeof ladderOrg>>;

  beforeAll(async () => {
    sendgrid = await startFakeSendgrid();
    slack = await startFakeSlack();
    h = await startHarness({
      worker: true,
      env: {
        SENDGRID_API_KEY: 'SG.test',
        SENDGRID_BASE_URL: sendgrid.url,
        MAIL_FROM: 'vigil@example.com',
        SLACK_BOT_TOKEN: 'xoxb-test',
        SLACK_SIGNING_SECRET: SECRET,
        SLACK_API_URL: `${slack.url}/api/`,
      },
    });
    ws = await h.workspace();
    org = await ladderOrg(h, ws);
    await h.request('PATCH', `/workspaces/${ws.id}/members/${org.lead.id}`, ws.adminToken, {
      slack_user_id: 'U_LEAD',
    });
    await h.request('PATCH', `/workspaces/${ws.id}/members/${org.owner.id}`, ws.adminToken, {
      slack_user_id: 'U_OWNER',
    });
  });
  afterAll(async () => {
    await h.close();
    await sendgrid.close();
    await slack.close();
  });

  const signedAction = (slackUserId: string, actionId: string, value: object, secret = SECRET) => {
    const body = new URLSearchParams({
      payload: JSON.stringify({
        type: 'block_actions',
        api_app_id: 'A1',
        token: 't',
        trigger_id: '1.2.3',
        team: { id: 'T1', domain: 'acme' },
        user: { id: slackUserId, username: 'u', name: 'u', team_id: 'T1' },
        container: { type: 'message', message_ts: '1.1', channel_id: 'D1', is_ephemeral: false },
        channel: { id: 'D1', name: 'directmessage' },
        response_url: `${slack.url}/response/x`,
        actions: [
          {
            type: 'button',
            action_id: actionId,
            block_id: 'b',
            value: JSON.stringify(value),
            action_ts: '1.2',
          },
        ],
      }),
    }).toString();
    const ts = String(Math.floor(Date.now() / 1000));
    const sig = `v0=${createHmac('sha256', secret).update(`v0:${ts}:${body}`).digest('hex')}`;
    return fetch(`${h.baseUrl}/slack/events`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        'x-slack-request-timestamp': ts,
        'x-slack-signature': sig,
      },
      body,
    });
  };

  it('emails and Slacks the L1 target, with Acknowledge and Mark complete buttons', async () => {
    await h.request('POST', `/workspaces/${ws.id}/escalation-matrices`, ws.adminToken, {
      name: 'Chat',
      form_ids: ['chat'],
      rules: [{ level: 'L1', after: 'PT1S', target: { type: 'TEAM_LEAD' }, channels: ['email', 'slack'] }],
    });
    const ticket = await h.request('POST', `/workspaces/${ws.id}/tickets`, ws.adminToken, {
      title: 'Vendor breach notice',
      form_id: 'chat',
      team_id: org.teamId,
      assignee_id: org.owner.id,
    });
    const id = ticket.body.id as string;
    const mail = await eventually(async () =>
      sendgrid.calls.find((c) => c.body.subject.includes('Vendor breach notice')),
    );
    const lead = await h.request('GET', `/workspaces/${ws.id}/members/${org.lead.id}`, ws.adminToken);
    expect(mail.body.personalizations[0]?.to.map((t) => t.email)).toEqual([lead.body.email]);
    expect(mail.body.from.email).toBe('vigil@example.com');
    expect(mail.body.content.map((c) => c.value).join('\n')).toContain('Vendor breach notice');
    const post = await eventually(async () =>
      slack.method('chat.postMessage').find((c) => c.body.channel === 'U_LEAD'),
    );
    const blocks = JSON.stringify(post.body.blocks);
    expect(blocks).toContain('vigil_ack');
    expect(blocks).toContain('vigil_complete');
    expect(blocks).toContain(id);

    // A bad signature is refused; a good one acknowledges as the Slack user's member, audited.
    expect(
      (await signedAction('U_OWNER', 'vigil_ack', { kind: 'ticket', id }, 'wrong-secret-0123456789')).status,
    ).toBe(401);
    expect((await signedAction('U_OWNER', 'vigil_ack', { kind: 'ticket', id })).status).toBe(200);
    const acked = await eventually(async () => {
      const t = await h.request('GET', `/workspaces/${ws.id}/tickets/${id}`, ws.adminToken);
      return t.body.status === 'ACKNOWLEDGED' ? t.body : null;
    });
    expect(acked.acknowledged_at).toEqual(expect.any(String));
    const log = await h.request(
      'GET',
      `/compliance/audit-logs?target_id=${id}&action_type=TICKET_UPDATED`,
      ws.adminToken,
    );
    expect(log.body.data[0]).toMatchObject({ actor_id: org.owner.id, user_agent: 'slack' });
  });

  it('holds a notification during the recipient’s quiet hours and sends it when they end', async () => {
    // Quiet hours that started an hour ago and end at the next full minute, in the lead's zone (UTC).
    const now = new Date();
    const end = new Date(Math.ceil((now.getTime() + 5000) / 60000) * 60000);
    const hhmm = (d: Date) => d.toISOString().slice(11, 16);
    await h.request('PATCH', `/workspaces/${ws.id}/members/${org.lead.id}`, org.lead.token, {
      timezone: 'UTC',
      notification_preferences: {
        quiet_hours: { start: hhmm(new Date(now.getTime() - 3600_000)), end: hhmm(end) },
      },
    });
    await h.request('POST', `/workspaces/${ws.id}/escalation-matrices`, ws.adminToken, {
      name: 'Night',
      form_ids: ['night'],
      rules: [{ level: 'L1', after: 'PT1S', target: { type: 'TEAM_LEAD' }, channels: ['email'] }],
    });
    const ticket = await h.request('POST', `/workspaces/${ws.id}/tickets`, ws.adminToken, {
      title: 'Overnight alert',
      form_id: 'night',
      team_id: org.teamId,
      assignee_id: org.owner.id,
    });
    const id = ticket.body.id as string;
    const held = await eventually(async () => {
      const rows = (
        await h.request('GET', `/workspaces/${ws.id}/notifications?obligation_id=${id}`, ws.adminToken)
      ).body.data;
      return rows.find((r: { recipient_id: string }) => r.recipient_id === org.lead.id);
    });
    expect(held.status).toBe('PENDING');
    expect(new Date(held.deliver_after).getTime()).toBe(end.getTime());
    const mail = await eventually(
      async () => sendgrid.calls.find((c) => c.body.subject.includes('Overnight alert')),
      150_000,
      500,
    );
    expect(mail.at).toBeGreaterThanOrEqual(end.getTime());
    const sent = (
      await h.request('GET', `/workspaces/${ws.id}/notifications?obligation_id=${id}`, ws.adminToken)
    ).body.data;
    expect(sent.find((r: { recipient_id: string }) => r.recipient_id === org.lead.id).status).toBe('SENT');
  }, 200_000);
});
