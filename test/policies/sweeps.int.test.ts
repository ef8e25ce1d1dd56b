import { periodicSweep } from '@vigil/domains/policies/ack-service';
import { approvalReminderSweep } from '@vigil/domains/policies/escalate';
import { type Harness, startHarness, type TestWorkspace } from '../harness';

describe('policies: periodic campaign, approval reminders, offboarding', () => {
  let h: Harness;
  let ws: TestWorkspace;
  let approver: { id: string; token: string };
  let policyId: string;

  beforeAll(async () => {
    h = await startHarness();
    ws = await h.workspace();
    approver = await ws.member('MEMBER', { name: 'Designated approver' });
    const now = new Date();
    await h.request('PATCH', `/workspaces/${ws.id}/settings`, ws.adminToken, {
      policy_approver_id: approver.id,
      periodic_ack: { month: now.getUTCMonth() + 1, day: Math.min(28, now.getUTCDate()) },
    });
    policyId = (
      await h.request('POST', '/api/policies', ws.adminToken, {
        name: 'Everyone policy',
        content: 'Hello\n',
        applies_to_all: true,
      })
    ).body.policy.id;
  });
  afterAll(() => h.close());

  it('the designated approver (a plain member) approves; the PERIODIC sweep runs once a year', async () => {
    expect((await h.request('POST', `/api/policies/${policyId}/approve`, approver.token, {})).status).toBe(
      200,
    );
    const today = new Date();
    if (today.getUTCDate() > 28) today.setUTCDate(28);
    const first = await periodicSweep(h.deps.db, today);
    expect(first.events).toBeGreaterThanOrEqual(1);
    const again = await periodicSweep(h.deps.db, today);
    expect(again.events).toBe(0);
    const history = await h.request('GET', `/api/employees/${approver.id}/acknowledgement`, approver.token);
    const statuses = history.body.data.map((r: { status: string }) => r.status);
    // The POLICY_UPDATE request of the first approval was replaced by the PERIODIC one.
    expect(statuses).toEqual(['CANCELLED', 'PENDING']);
  });

  it('reminds the approver of a version pending for more than a day, once per day', async () => {
    const v = await h.request('PUT', `/api/policies/${policyId}`, ws.adminToken, {
      content: 'Hello again\n',
      submit: true,
    });
    expect(v.body.status).toBe('PENDING_APPROVAL');
    const later = new Date(Date.now() + 2 * 86_400_000);
    const first = await approvalReminderSweep(h.deps.db, h.deps.config, later);
    expect(first.reminded).toBeGreaterThanOrEqual(1);
    const outbox = await h.request(
      'GET',
      `/workspaces/${ws.id}/notifications?obligation_id=${v.body.id}&limit=50`,
      ws.adminToken,
    );
    expect(outbox.body.data.map((n: { recipient_id: string }) => n.recipient_id)).toContain(approver.id);
    const again = await approvalReminderSweep(h.deps.db, h.deps.config, later);
    const mine = await h.request(
      'GET',
      `/workspaces/${ws.id}/notifications?obligation_id=${v.body.id}&limit=50`,
      ws.adminToken,
    );
    expect(mine.body.data.length).toBe(outbox.body.data.length);
    expect(again.reminded).toBe(0);
  });

  it('offboarding cancels the member’s open requests', async () => {
    const m = await h.request('POST', '/api/employees/onboard', ws.adminToken, {
      name: 'Leaver',
      email: 'leaver@example.com',
    });
    expect(m.body.requested).toBe(1);
    const off = await h.request(
      'POST',
      `/workspaces/${ws.id}/members/${m.body.member.id}/offboard`,
      ws.adminToken,
      {},
    );
    expect(off.status).toBeLessThan(300);
    const history = await h.request(
      'GET',
      `/api/employees/${m.body.member.id}/acknowledgement`,
      ws.adminToken,
    );
    expect(history.body.data.map((r: { status: string }) => r.status)).toEqual(['CANCELLED']);
  });
});
