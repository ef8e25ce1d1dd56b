import { createHmac, randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createSlackReceiver, type SlackAction } from '@vigil/domains/notifications/slack';
import { members } from '@vigil/domains/people/schema';
import type { AccessRole, AuthContext } from '@vigil/kernel/auth';
import { Forbidden } from '@vigil/kernel/errors';
import { newId } from '@vigil/kernel/ids';
import { and, eq } from 'drizzle-orm';
import express from 'express';
import { type FakeSlack, startFakeSlack } from '../fakes/slack';
import { eventually, type Harness, startHarness, type TestWorkspace } from '../harness';

const SECRET = 'slack-signing-secret-for-tests';

let h: Harness;
let slack: FakeSlack;
let server: Server;
let url: string;
let ws: TestWorkspace;
let linked: { id: string; slackUserId: string };
const actions: Array<{ action: SlackAction; ctx: AuthContext }> = [];
let refuse: string | null = null;

beforeAll(async () => {
  slack = await startFakeSlack();
  h = await startHarness();
  ws = await h.workspace();
  const m = await ws.member('MEMBER');
  linked = { id: m.id, slackUserId: `U${randomUUID().slice(0, 8).toUpperCase()}` };
  await h.deps.db.update(members).set({ slackUserId: linked.slackUserId }).where(eq(members.id, m.id));

  const { router } = createSlackReceiver({
    signingSecret: SECRET,
    botToken: 'xoxb-test-token',
    apiUrl: `${slack.url}/api/`,
    log: h.deps.log,
    resolveMember: async (slackUserId) => {
      const [row] = await h.deps.db
        .select()
        .from(members)
        .where(and(eq(members.slackUserId, slackUserId), eq(members.status, 'ACTIVE')));
      if (!row) return null;
      return {
        workspaceId: row.workspaceId,
        memberId: row.id,
        role: row.accessRole as AccessRole,
        tokenId: null,
        ip: null,
        userAgent: 'slack',
        via: 'TOKEN',
      };
    },
    onAction: async (action, ctx) => {
      if (refuse) throw new Forbidden(refuse);
      actions.push({ action, ctx });
    },
  });
  const app = express();
  app.use(router);
  // The receiver reads the raw body itself; JSON parsing for the rest of the API comes after it.
  app.use(express.json());
  app.post('/echo', (req, res) => {
    res.json(req.body);
  });
  server = await new Promise<Server>((res) => {
    const s = app.listen(0, '127.0.0.1', () => res(s));
  });
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server?.closeAllConnections();
  await new Promise((r) => server?.close(r));
  await h?.close();
  await slack?.close();
});

function payload(
  actionId: string,
  slackUserId: string,
  value: unknown,
  responsePath = `/response/${randomUUID()}`,
) {
  return {
    type: 'block_actions',
    api_app_id: 'A123',
    token: 'legacy-verification-token',
    trigger_id: '123.456.abc',
    team: { id: 'T123', domain: 'acme' },
    user: { id: slackUserId, username: 'someone', name: 'someone', team_id: 'T123' },
    container: { type: 'message', message_ts: '1700000000.000100', channel_id: 'D123', is_ephemeral: false },
    channel: { id: 'D123', name: 'directmessage' },
    response_url: `${slack.url}${responsePath}`,
    actions: [
      {
        type: 'button',
        action_id: actionId,
        block_id: 'vigil_actions',
        text: { type: 'plain_text', text: 'Acknowledge' },
        value: typeof value === 'string' ? value : JSON.stringify(value),
        action_ts: '1700000001.000200',
      },
    ],
  };
}

async function post(body: object, sign: { secret?: string; timestamp?: number } = {}) {
  const raw = new URLSearchParams({ payload: JSON.stringify(body) }).toString();
  const ts = String(sign.timestamp ?? Math.floor(Date.now() / 1000));
  const signature = `v0=${createHmac('sha256', sign.secret ?? SECRET)
    .update(`v0:${ts}:${raw}`)
    .digest('hex')}`;
  return fetch(`${url}/slack/events`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      'x-slack-request-timestamp': ts,
      'x-slack-signature': signature,
    },
    body: raw,
  });
}

const replyAt = (path: string) => eventually(async () => slack.calls.find((c) => c.path === path));

describe('Slack interactivity', () => {
  it("acknowledges as the Slack user's member and replies ephemerally", async () => {
    const id = newId();
    const path = `/response/${randomUUID()}`;
    const started = Date.now();
    const res = await post(
      payload('vigil_ack', linked.slackUserId, { kind: 'training_assignment', id }, path),
    );
    expect(res.status).toBe(200);
    expect(Date.now() - started).toBeLessThan(3000);

    const done = await eventually(async () => actions.find((a) => a.action.id === id));
    expect(done.action).toEqual({ type: 'acknowledge', kind: 'training_assignment', id });
    expect(done.ctx).toMatchObject({ workspaceId: ws.id, memberId: linked.id, role: 'MEMBER', via: 'SLACK' });
    const reply = await replyAt(path);
    expect(reply.body).toMatchObject({ response_type: 'ephemeral', replace_original: false });
    expect(String(reply.body.text)).toContain('acknowledged');
  });

  it('marks complete through the second button', async () => {
    const id = newId();
    const res = await post(
      payload('vigil_complete', linked.slackUserId, { kind: 'acknowledgement_request', id }),
    );
    expect(res.status).toBe(200);
    const done = await eventually(async () => actions.find((a) => a.action.id === id));
    expect(done.action).toEqual({ type: 'complete', kind: 'acknowledgement_request', id });
    expect(done.ctx.memberId).toBe(linked.id);
  });

  it('changes nothing for a Slack user who is not a member, and says so', async () => {
    const id = newId();
    const path = `/response/${randomUUID()}`;
    const res = await post(payload('vigil_ack', 'UNKNOWN1', { kind: 'training_assignment', id }, path));
    expect(res.status).toBe(200);
    const reply = await replyAt(path);
    expect(String(reply.body.text)).toContain('not linked');
    expect(actions.find((a) => a.action.id === id)).toBeUndefined();
  });

  it('replies with the reason when the action is refused', async () => {
    const id = newId();
    const path = `/response/${randomUUID()}`;
    refuse = 'You may act only on your own items';
    try {
      const res = await post(
        payload('vigil_complete', linked.slackUserId, { kind: 'training_assignment', id }, path),
      );
      expect(res.status).toBe(200);
      const reply = await replyAt(path);
      expect(reply.body.text).toBe('You may act only on your own items');
    } finally {
      refuse = null;
    }
    expect(actions.find((a) => a.action.id === id)).toBeUndefined();
  });

  it('ignores a button whose value is not a Vigil target', async () => {
    const path = `/response/${randomUUID()}`;
    const res = await post(payload('vigil_ack', linked.slackUserId, 'not json', path));
    expect(res.status).toBe(200);
    const reply = await replyAt(path);
    expect(String(reply.body.text)).toContain('no longer valid');
  });

  it('rejects a bad signature, a stale timestamp and a missing signature with 401', async () => {
    const body = payload('vigil_ack', linked.slackUserId, { kind: 'training_assignment', id: newId() });
    const count = actions.length;
    expect((await post(body, { secret: 'wrong-secret' })).status).toBe(401);
    expect((await post(body, { timestamp: Math.floor(Date.now() / 1000) - 600 })).status).toBe(401);
    const unsigned = await fetch(`${url}/slack/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ payload: JSON.stringify(body) }).toString(),
    });
    expect(unsigned.status).toBe(401);
    expect(actions.length).toBe(count);
  });

  it('leaves JSON parsing intact for routes mounted after it', async () => {
    const res = await fetch(`${url}/echo`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ a: 1 }),
    });
    expect(await res.json()).toEqual({ a: 1 });
  });
});
