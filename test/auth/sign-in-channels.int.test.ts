import { randomUUID } from 'node:crypto';
import { notifications } from '@vigil/domains/notifications/schema';
import { members } from '@vigil/domains/people/schema';
import { createMember } from '@vigil/domains/people/service';
import { Effects } from '@vigil/kernel/effects';
import { eq } from 'drizzle-orm';
import { type FakeSlack, startFakeSlack } from '../fakes/slack';
import { eventually, type Harness, startHarness } from '../harness';

describe('sign-in links on the other channels', () => {
  let h: Harness;
  let slack: FakeSlack;
  beforeAll(async () => {
    slack = await startFakeSlack();
    h = await startHarness({
      env: {
        SLACK_BOT_TOKEN: 'xoxb-test',
        SLACK_API_URL: `${slack.url}/api/`,
        PUBLIC_URL: 'https://vigil.example.com/',
      },
    });
  });
  afterAll(async () => {
    await h?.close();
    await slack?.close();
  });

  it('goes as a Slack DM without action buttons, pointing at PUBLIC_URL', async () => {
    const ws = await h.workspace();
    const email = `dm-${randomUUID().slice(0, 8)}@example.com`;
    const m = await createMember(h.deps.db, ws.ctx, new Effects(), { name: 'Dee', email });
    const slackUserId = `U${randomUUID().slice(0, 8).toUpperCase()}`;
    await h.deps.db.update(members).set({ slackUserId }).where(eq(members.id, m.id));
    // Quiet hours do not hold a sign-in link back.
    const quiet = await h.request('PATCH', `/workspaces/${ws.id}/settings`, ws.adminToken, {
      quiet_hours: { start: '00:00', end: '23:59' },
    });
    expect(quiet.status).toBe(200);
    const res = await h.request('POST', '/auth/sign-in', null, {
      email: email.toUpperCase(),
      workspace_id: ws.id,
    });
    expect(res.status).toBe(202);
    const call = await eventually(async () =>
      slack.method('chat.postMessage').find((c) => c.body.channel === slackUserId),
    );
    const blocks = JSON.stringify(call.body.blocks);
    expect(blocks).toMatch(/https:\/\/vigil\.example\.com\/auth\/callback\?token=[\w-]{40,}/);
    expect(blocks).not.toContain('vigil_ack');
    expect(blocks).not.toContain('__vigil_secret');
  });

  it('without email or Slack for the member, records a log-channel row that holds no token', async () => {
    const ws = await h.workspace();
    const email = `log-${randomUUID().slice(0, 8)}@example.com`;
    const m = await createMember(h.deps.db, ws.ctx, new Effects(), { name: 'Lou', email });
    expect((await h.request('POST', '/auth/sign-in', null, { email })).status).toBe(202);
    const [row] = await h.deps.db.select().from(notifications).where(eq(notifications.recipientId, m.id));
    expect(row).toMatchObject({
      channel: 'log',
      status: 'SENT',
      secrets: null,
      template: 'auth.sign_in_link',
    });
    expect(row?.body).toContain('/auth/callback?token=__vigil_secret_sign_in_token__');
    // Another workspace's id finds nobody: still 202, nothing queued.
    const other = await h.workspace();
    expect((await h.request('POST', '/auth/sign-in', null, { email, workspace_id: other.id })).status).toBe(
      202,
    );
    const rows = await h.deps.db.select().from(notifications).where(eq(notifications.recipientId, m.id));
    expect(rows).toHaveLength(1);
  });
});
