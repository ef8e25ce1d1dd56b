import { randomUUID } from 'node:crypto';
import { createDelivery, type Delivery } from '@vigil/domains/notifications/delivery';
import { renderMessage } from '@vigil/domains/notifications/messages';
import { type NotificationChannel, notifications } from '@vigil/domains/notifications/schema';
import { enqueueMessages } from '@vigil/domains/notifications/service';
import { members } from '@vigil/domains/people/schema';
import { newId } from '@vigil/kernel/ids';
import { eq } from 'drizzle-orm';
import { type Recorders, startRecorders } from '../fakes/providers';
import type { FakeSendgrid } from '../fakes/sendgrid';
import type { FakeSlack } from '../fakes/slack';
import { eventually, type Harness, startHarness, type TestWorkspace } from '../harness';

let h: Harness;
let recorders: Recorders;
let sendgrid: FakeSendgrid;
let slack: FakeSlack;
let ws: TestWorkspace;
let member: { id: string; email: string; slackUserId: string };
let delivery: Delivery;

beforeAll(async () => {
  recorders = await startRecorders();
  ({ sendgrid, slack } = recorders);
  // The test drives relay passes itself.
  h = await startHarness({
    relays: false,
    env: recorders.env,
  });
  ws = await h.workspace();
  const m = await ws.member('MEMBER', { name: 'Ana Lima' });
  const slackUserId = `U${randomUUID().slice(0, 8).toUpperCase()}`;
  const [row] = await h.deps.db
    .update(members)
    .set({ slackUserId })
    .where(eq(members.id, m.id))
    .returning({ email: members.email });
  member = { id: m.id, email: row?.email ?? '', slackUserId };
  delivery = createDelivery(h.deps);
});

afterAll(async () => {
  await h?.close();
  await recorders?.close();
});

const data = {
  recipient_name: 'Ana Lima',
  title: 'Security awareness 2024',
  kind: 'training_assignment',
  due_at: '2024-06-30T17:00:00Z',
};

async function insertRow(
  channel: NotificationChannel,
  extra: Partial<typeof notifications.$inferInsert> = {},
) {
  const rendered = renderMessage('obligation.reminder', data);
  const obligationId = newId();
  const [row] = await h.deps.db
    .insert(notifications)
    .values({
      workspaceId: ws.id,
      dedupeKey: `test:${randomUUID()}`,
      channel,
      recipientId: member.id,
      template: 'obligation.reminder',
      subject: rendered.subject,
      body: rendered.text,
      payload: { ...data, html: rendered.html },
      kind: 'training_assignment',
      obligationId,
      stepKey: 'REMIND:P7D',
      ...extra,
    })
    .returning();
  if (!row) throw new Error('insert failed');
  return row;
}

const load = async (id: string) => {
  const [row] = await h.deps.db.select().from(notifications).where(eq(notifications.id, id));
  if (!row) throw new Error(`row ${id} is gone`);
  return row;
};

const mailsTo = (email: string) =>
  sendgrid.calls.filter((c) => c.body.personalizations[0]?.to[0]?.email === email);
const postsTo = (channel: string) =>
  slack.method('chat.postMessage').filter((c) => c.body.channel === channel);

/** Runs relay passes until the row leaves PENDING/SENDING (retries become due on their own). */
async function settle(id: string, timeoutMs = 20000) {
  return eventually(async () => {
    await delivery.runOnce();
    const row = await load(id);
    return row.status !== 'PENDING' && row.status !== 'SENDING' ? row : null;
  }, timeoutMs);
}

describe('the delivery relay', () => {
  it('sends an email through SendGrid with recipient, subject, text and HTML, once', async () => {
    const row = await insertRow('email');
    const before = mailsTo(member.email).length;
    await delivery.runOnce();

    const calls = mailsTo(member.email).slice(before);
    expect(calls).toHaveLength(1);
    const call = calls[0];
    expect(call?.headers.authorization).toBe('Bearer SG.test-key');
    expect(call?.body.from.email).toBe('compliance@vigil.example.com');
    expect(call?.body.subject).toBe('Reminder: Security awareness 2024 is due 30 Jun 2024');
    const text = call?.body.content.find((c) => c.type === 'text/plain')?.value ?? '';
    const html = call?.body.content.find((c) => c.type === 'text/html')?.value ?? '';
    expect(text).toContain('Your training "Security awareness 2024" is due on Sun 30 Jun 2024, 17:00 UTC.');
    expect(html).toContain('<p>Hi Ana Lima,</p>');

    const after = await load(row.id);
    expect(after).toMatchObject({
      status: 'SENT',
      attempts: 1,
      interrupted: 0,
      sendingAt: null,
      providerMessageId: call?.messageId,
      lastError: null,
    });
    expect(after.sentAt).toBeInstanceOf(Date);

    // Another pass sends nothing.
    await delivery.runOnce();
    expect(mailsTo(member.email).length).toBe(before + 1);
  });

  it('posts to Slack with Acknowledge and Mark complete buttons', async () => {
    const row = await insertRow('slack');
    await delivery.runOnce();

    const posts = postsTo(member.slackUserId);
    const post = posts[posts.length - 1];
    expect(post?.headers.authorization).toBe('Bearer xoxb-test-token');
    expect(post?.body.text).toBe(row.subject);
    const blocks = post?.body.blocks as Array<{
      type: string;
      text?: { text: string };
      elements?: Array<Record<string, unknown>>;
    }>;
    expect(blocks[0]?.text?.text).toContain('Security awareness 2024');
    const buttons = blocks.find((b) => b.type === 'actions')?.elements ?? [];
    const value = JSON.stringify({ kind: 'training_assignment', id: row.obligationId });
    expect(buttons).toEqual([
      expect.objectContaining({
        type: 'button',
        action_id: 'vigil_ack',
        text: { type: 'plain_text', text: 'Acknowledge' },
        value,
      }),
      expect.objectContaining({
        type: 'button',
        action_id: 'vigil_complete',
        text: { type: 'plain_text', text: 'Mark complete' },
        value,
      }),
    ]);
    const after = await load(row.id);
    expect(after.status).toBe('SENT');
    expect(after.providerMessageId).toMatch(new RegExp(`^${member.slackUserId}:\\d+\\.\\d+$`));
  });

  it('records log-channel messages as sent without calling a provider', async () => {
    const row = await insertRow('log');
    const counts = [sendgrid.calls.length, slack.calls.length];
    await delivery.runOnce();
    expect([sendgrid.calls.length, slack.calls.length]).toEqual(counts);
    expect(await load(row.id)).toMatchObject({ status: 'SENT', providerMessageId: 'log', attempts: 1 });
  });

  it('leaves rows that are not yet due pending', async () => {
    const at = new Date(Date.now() + 3_600_000);
    const row = await insertRow('email', { deliverAfter: at });
    const count = sendgrid.calls.length;
    await delivery.runOnce();
    expect(sendgrid.calls.length).toBe(count);
    expect(await load(row.id)).toMatchObject({ status: 'PENDING', attempts: 0 });
  });

  it('marks a row FAILED on a permanent 4xx', async () => {
    const row = await insertRow('email');
    sendgrid.failNext(1, 400);
    await delivery.runOnce();
    const after = await load(row.id);
    expect(after).toMatchObject({ status: 'FAILED', attempts: 1 });
    expect(after.lastError).toContain('400');
    expect(after.lastError).toContain('Does not contain a valid address');
  });

  it('marks a row FAILED when Slack refuses the channel', async () => {
    const row = await insertRow('slack');
    slack.failNext(1, 'channel_not_found');
    await delivery.runOnce();
    expect(await load(row.id)).toMatchObject({
      status: 'FAILED',
      attempts: 1,
      lastError: 'Slack answered channel_not_found',
    });
  });

  it('puts a row back after a 5xx with a backoff, then sends it on a later pass', async () => {
    const row = await insertRow('email');
    sendgrid.failNext(1, 503);
    const before = Date.now();
    await delivery.runOnce();
    const retry = await load(row.id);
    expect(retry).toMatchObject({ status: 'PENDING', attempts: 1 });
    expect(retry.deliverAfter.getTime()).toBeGreaterThanOrEqual(before + 900);
    expect(await settle(row.id)).toMatchObject({ status: 'SENT', attempts: 2, lastError: null });
  });

  it('waits the SendGrid Retry-After before the next attempt, then sends', async () => {
    const row = await insertRow('email', {
      recipientAddress: `retry-${randomUUID().slice(0, 8)}@example.com`,
    });
    sendgrid.rateLimitNext(1, 2);
    await delivery.runOnce();
    const limited = await load(row.id);
    expect(limited).toMatchObject({ status: 'PENDING', attempts: 1 });
    expect(limited.lastError).toContain('rate limit');
    expect(await settle(row.id)).toMatchObject({ status: 'SENT', attempts: 2 });
    const calls = mailsTo(row.recipientAddress ?? '');
    expect(calls.map((c) => c.status)).toEqual([429, 202]);
    const [first, second] = calls as [(typeof calls)[0], (typeof calls)[0]];
    expect(second.at - first.at).toBeGreaterThanOrEqual(2000);
  });

  it('takes the delay from X-RateLimit-Reset when there is no Retry-After', async () => {
    const row = await insertRow('email');
    sendgrid.rateLimitNext(1, 3, 'x-ratelimit-reset');
    const before = Date.now();
    await delivery.runOnce();
    const limited = await load(row.id);
    expect(limited.status).toBe('PENDING');
    expect(limited.deliverAfter.getTime() - before).toBeGreaterThanOrEqual(1500);
    expect(limited.deliverAfter.getTime() - before).toBeLessThanOrEqual(4000);
    expect((await settle(row.id)).status).toBe('SENT');
  });

  it('waits the Slack Retry-After before the next attempt, then posts', async () => {
    const channel = `C${randomUUID().slice(0, 8).toUpperCase()}`;
    const row = await insertRow('slack', { recipientAddress: channel });
    slack.rateLimitNext(1, 1);
    expect(await settle(row.id)).toMatchObject({ status: 'SENT', attempts: 2 });
    const calls = postsTo(channel);
    expect(calls.map((c) => c.status)).toEqual([429, 200]);
    const [first, second] = calls as [(typeof calls)[0], (typeof calls)[0]];
    expect(second.at - first.at).toBeGreaterThanOrEqual(1000);
  });

  it('suppresses messages to a member who is no longer active', async () => {
    const other = await ws.member('MEMBER');
    await h.deps.db.update(members).set({ status: 'INACTIVE' }).where(eq(members.id, other.id));
    const row = await insertRow('email', { recipientId: other.id });
    const count = sendgrid.calls.length;
    await delivery.runOnce();
    expect(sendgrid.calls.length).toBe(count);
    expect(await load(row.id)).toMatchObject({ status: 'SUPPRESSED' });
  });

  it('sends to the stored address when there is one', async () => {
    await insertRow('email', { recipientAddress: 'ops@example.com' });
    await delivery.runOnce();
    expect(mailsTo('ops@example.com')).toHaveLength(1);
  });

  it('sends again, and counts it, a row left SENDING by a process that died', async () => {
    const address = `crash-${randomUUID().slice(0, 8)}@example.com`;
    const row = await insertRow('email', {
      recipientAddress: address,
      status: 'SENDING',
      attempts: 1,
      sendingAt: new Date(Date.now() - 10 * 60_000),
    });
    const pass = await delivery.runOnce();
    expect(pass.recovered).toBeGreaterThanOrEqual(1);
    expect(await settle(row.id)).toMatchObject({ status: 'SENT', attempts: 2, interrupted: 1 });
    expect(mailsTo(address)).toHaveLength(1);
  });

  it('leaves a row SENDING alone while its send may still be in flight', async () => {
    const row = await insertRow('email', { status: 'SENDING', attempts: 1, sendingAt: new Date() });
    await delivery.runOnce();
    expect(await load(row.id)).toMatchObject({ status: 'SENDING', attempts: 1, interrupted: 0 });
    await h.deps.db.update(notifications).set({ status: 'SUPPRESSED' }).where(eq(notifications.id, row.id));
  });

  it('never sends a row twice when several relays run at once', async () => {
    const tag = randomUUID().slice(0, 8);
    const rows = await Promise.all(
      Array.from({ length: 60 }, (_, i) =>
        insertRow('email', { recipientAddress: `many-${tag}-${i}@example.com` }),
      ),
    );
    const relays = [createDelivery(h.deps), createDelivery(h.deps), createDelivery(h.deps)];
    await eventually(async () => {
      await Promise.all(relays.map((r) => r.runOnce()));
      const left = await Promise.all(rows.map((r) => load(r.id)));
      return left.every((r) => r.status === 'SENT');
    });
    const sent = sendgrid.calls.filter((c) =>
      (c.body.personalizations[0]?.to[0]?.email ?? '').startsWith(`many-${tag}-`),
    );
    expect(sent).toHaveLength(60);
    expect(new Set(sent.map((c) => c.body.personalizations[0]?.to[0]?.email)).size).toBe(60);
  });
});

describe('enqueueing without provider credentials', () => {
  const noProviders = { SENDGRID_API_KEY: undefined, SLACK_BOT_TOKEN: undefined };
  const message = (stepKey: string) => ({
    recipientIds: [member.id],
    template: 'obligation.reminder' as const,
    data,
    channels: ['email', 'slack'] as Array<'email' | 'slack'>,
    kind: 'training_assignment',
    obligationId: newId(),
    stepKey,
  });

  it('records a due message on the log channel as sent, with nothing left to deliver', async () => {
    const queued = await enqueueMessages(h.deps.db, ws.id, noProviders, [message('REMIND:P1D')], new Date());
    expect(queued.ids).toHaveLength(1);
    expect(queued.pending).toEqual([]);
    expect(await load(queued.ids[0] as string)).toMatchObject({
      channel: 'log',
      status: 'SENT',
      providerMessageId: 'log',
      attempts: 1,
    });
  });

  it('keeps a log message deferred past quiet hours pending until then', async () => {
    await h.deps.db
      .update(members)
      .set({ timezone: 'UTC', notificationPreferences: { quiet_hours: { start: '00:00', end: '23:59' } } })
      .where(eq(members.id, member.id));
    try {
      const queued = await enqueueMessages(
        h.deps.db,
        ws.id,
        noProviders,
        [message('REMIND:P7D')],
        new Date(),
      );
      expect(queued.pending).toEqual(queued.ids);
      const row = await load(queued.ids[0] as string);
      expect(row).toMatchObject({ channel: 'log', status: 'PENDING', attempts: 0 });
      expect(row.deliverAfter.getTime()).toBeGreaterThan(Date.now());
    } finally {
      await h.deps.db.update(members).set({ notificationPreferences: {} }).where(eq(members.id, member.id));
    }
  });
});
