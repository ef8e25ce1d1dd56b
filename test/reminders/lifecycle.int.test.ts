import { randomUUID } from 'node:crypto';
import { documents } from '@vigil/domains/documents/schema';
import { members } from '@vigil/domains/people/schema';
import { eq } from 'drizzle-orm';
import { ladderOrg, secondsLadder } from '../engine/org';
import { type Recorders, startRecorders } from '../fakes/providers';
import { eventually, type Harness, startHarness, type TestWorkspace } from '../harness';
import { secondsCronReminder } from './seconds-cron';

interface Instance {
  id: string;
  status: string;
  due_date: string;
  assigned_owner_id: string | null;
  notification_count: number;
  last_notified_at: string | null;
  acknowledged_at: string | null;
  current_escalation_level: string | null;
  evidence_links: unknown[];
}

describe('a CUSTOM cron reminder firing every 3 seconds, on the real server', () => {
  let h: Harness;
  let ws: TestWorkspace;
  let org: Awaited<ReturnType<typeof ladderOrg>>;
  let reminderId: string;

  let recorders: Recorders;

  beforeAll(async () => {
    recorders = await startRecorders();
    h = await startHarness({
      worker: true,
      env: recorders.env,
    });
    ws = await h.workspace();
    org = await ladderOrg(h, ws);
    // The owner could be reached on Slack too; the reminder's notification_config says email only.
    await h.deps.db.update(members).set({ slackUserId: 'UOWNER01' }).where(eq(members.id, org.owner.id));
  });
  afterAll(async () => {
    await h?.close();
    await recorders?.close();
  });

  const instances = async (query = '') =>
    (
      await h.request(
        'GET',
        `/workspaces/${ws.id}/reminders/${reminderId}/instances?limit=200${query}`,
        ws.adminToken,
      )
    ).body.data as Instance[];

  it('materializes routed instances that are notified at the due date, then overdue, then escalated', async () => {
    const created = await secondsCronReminder(h, ws, {
      title: 'Rotate the break-glass password',
      cron_expression: '*/3 * * * * *',
      default_owner_id: org.owner.id,
      default_team_id: org.teamId,
      requires_evidence: true,
      escalation_config: secondsLadder([1]),
      notification_config: { channels: ['email'], lead_time: 'PT2S' },
    });
    expect(created.status).toBe(200);
    expect(created.body).toMatchObject({ status: 'ACTIVE', frequency: 'CUSTOM', requires_evidence: true });
    expect(created.body.next_occurrence).not.toBeNull();
    reminderId = created.body.id;

    // Materialized ahead of its due date (lead time), routed to the fixed owner.
    const first = await eventually(async () => (await instances()).find((i) => i.status === 'PENDING'));
    expect(first.assigned_owner_id).toBe(org.owner.id);
    expect(new Date(first.due_date).getTime()).toBeGreaterThan(Date.now() - 1500);

    // At its due date: reminded (count, timestamp), overdue, then L1.
    const escalated = await eventually(
      async () =>
        (await instances()).find((i) => i.status === 'ESCALATED' && i.current_escalation_level === 'L1'),
      20000,
    );
    expect(escalated.notification_count).toBeGreaterThanOrEqual(1);
    expect(escalated.last_notified_at).not.toBeNull();
    const outbox = await h.request(
      'GET',
      `/workspaces/${ws.id}/notifications?obligation_id=${escalated.id}&limit=50`,
      ws.adminToken,
    );
    const rows = outbox.body.data as Array<{ template: string; recipient_id: string; channel: string }>;
    const templates = rows.map((n) => `${n.template}:${n.recipient_id}`);
    // notification_config.channels: the owner's messages go by email only.
    expect(new Set(rows.filter((n) => n.recipient_id === org.owner.id).map((n) => n.channel))).toEqual(
      new Set(['email']),
    );
    expect(templates).toEqual(
      expect.arrayContaining([
        `obligation.reminder:${org.owner.id}`,
        `obligation.overdue:${org.owner.id}`,
        `obligation.escalation:${org.lead.id}`,
      ]),
    );
    // Each occurrence exactly once.
    const all = await instances();
    expect(new Set(all.map((i) => i.due_date)).size).toBe(all.length);
  });

  it('acknowledged is not completed: an acknowledged past-due instance still counts as overdue', async () => {
    const target = await eventually(async () => (await instances()).find((i) => i.status === 'PENDING'));
    const other = await ws.member('MEMBER');
    const foreign = await h.workspace();
    const elsewhere = await h.request(
      'POST',
      `/workspaces/${foreign.id}/reminders/instances/${target.id}/acknowledge`,
      foreign.adminToken,
      {},
    );
    expect(elsewhere.status).toBe(404);
    const denied = await h.request(
      'POST',
      `/workspaces/${ws.id}/reminders/instances/${target.id}/acknowledge`,
      other.token,
      { notes: 'not mine' },
    );
    expect(denied.status).toBe(403);
    const ack = await h.request(
      'POST',
      `/workspaces/${ws.id}/reminders/instances/${target.id}/acknowledge`,
      org.owner.token,
      { notes: 'on it' },
    );
    expect(ack.status).toBe(200);
    expect(ack.body).toMatchObject({ status: 'ACKNOWLEDGED', acknowledged_by_id: org.owner.id });
    const overdue = await eventually(async () =>
      (await instances()).find((i) => i.id === target.id && i.status !== 'ACKNOWLEDGED'),
    );
    expect(['OVERDUE', 'ESCALATED']).toContain(overdue.status);
    expect(overdue.acknowledged_at).not.toBeNull();
    const mine = await h.request(
      'GET',
      `/workspaces/${ws.id}/reminders/my-reminders?overdue=true&limit=500`,
      org.owner.token,
    );
    expect(mine.status).toBe(200);
    expect((mine.body.data as Instance[]).map((i) => i.id)).toContain(target.id);
  });

  it('completing needs evidence (422 naming the rule), then completes with a link', async () => {
    const target = await eventually(async () =>
      (await instances()).find((i) => i.status !== 'COMPLETED' && i.status !== 'SKIPPED'),
    );
    const path = `/workspaces/${ws.id}/reminders/instances/${target.id}/complete`;
    const bare = await h.request('POST', path, org.owner.token, { notes: 'done' });
    expect(bare.status).toBe(422);
    expect(JSON.stringify(bare.body)).toContain('body.evidence_links');
    const auditor = await ws.member('AUDITOR');
    expect((await h.request('POST', path, auditor.token, {})).status).toBe(403);
    // Evidence naming a document must name one of this workspace's live documents.
    const unknownDoc = await h.request('POST', path, org.owner.token, {
      evidence_links: [
        { url: 'https://vault.example.com/a' },
        { document_id: randomUUID(), title: 'Missing' },
      ],
    });
    expect(unknownDoc.status).toBe(400);
    expect(unknownDoc.body.errors[0].field).toBe('body.evidence_links[1].document_id');
    expect((await instances()).find((i) => i.id === target.id)?.status).not.toBe('COMPLETED');
    const [doc] = await h.deps.db
      .insert(documents)
      .values({
        workspaceId: ws.id,
        title: 'Key rotation log',
        fileName: 'rotation.pdf',
        mimeType: 'application/pdf',
        sizeBytes: 1024,
        sha256: 'a'.repeat(64),
        storageKey: `workspaces/${ws.id}/documents/${randomUUID()}/rotation.pdf`,
      })
      .returning();
    const done = await h.request('POST', path, org.owner.token, {
      notes: 'rotated',
      evidence_links: [
        { url: 'https://vault.example.com/audit/123', title: 'Vault log' },
        { document_id: doc?.id, title: 'Rotation log' },
      ],
    });
    expect(done.status).toBe(200);
    expect(done.body).toMatchObject({ status: 'COMPLETED', completed_by_id: org.owner.id });
    expect(done.body.evidence_links).toHaveLength(2);
    const again = await h.request('POST', path, org.owner.token, {
      evidence_links: [{ url: 'https://x.example.com' }],
    });
    expect(again.status).toBe(409);
  });

  it('skip needs a reason; dashboard and calendar see the instances', async () => {
    const target = await eventually(async () =>
      (await instances()).find((i) => i.status !== 'COMPLETED' && i.status !== 'SKIPPED'),
    );
    const path = `/workspaces/${ws.id}/reminders/instances/${target.id}/skip`;
    expect((await h.request('POST', path, org.owner.token, {})).status).toBe(400);
    const skipped = await h.request('POST', path, org.owner.token, { reason: 'maintenance window' });
    expect(skipped.status).toBe(200);
    expect(skipped.body).toMatchObject({ status: 'SKIPPED', skip_reason: 'maintenance window' });

    // New occurrences keep falling due every 3 seconds, so one is soon overdue.
    const stats = await eventually(async () => {
      const res = await h.request('GET', `/workspaces/${ws.id}/reminders/dashboard/stats`, ws.adminToken);
      return res.status === 200 && res.body.instances.overdue >= 1 && res;
    });
    expect(stats.body.reminders.by_category.SECURITY).toBe(1);
    expect(stats.body.instances.completed).toBeGreaterThanOrEqual(1);
    expect(stats.body.instances.completion_rate).toBeGreaterThan(0);

    const from = new Date(Date.now() - 60_000).toISOString();
    const to = new Date(Date.now() + 30_000).toISOString();
    const cal = await h.request(
      'GET',
      `/workspaces/${ws.id}/reminders/calendar?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`,
      ws.adminToken,
    );
    expect(cal.status).toBe(200);
    expect(cal.body.instances.length).toBeGreaterThan(0);
    expect(cal.body.projected.length).toBeGreaterThan(3);
    const bad = await h.request(
      'GET',
      `/workspaces/${ws.id}/reminders/calendar?from=${encodeURIComponent(to)}&to=${encodeURIComponent(from)}`,
      ws.adminToken,
    );
    expect(bad.status).toBe(400);
  });

  it('PAUSED stops new instances; ARCHIVED ends the workflow', async () => {
    const paused = await h.request('PATCH', `/workspaces/${ws.id}/reminders/${reminderId}`, ws.adminToken, {
      status: 'PAUSED',
    });
    expect(paused.status).toBe(200);
    // At most one instance may already be in flight when the pause lands.
    await new Promise((r) => setTimeout(r, 1000));
    const before = (await instances()).length;
    await new Promise((r) => setTimeout(r, 7000));
    expect((await instances()).length).toBe(before);

    const handle = h.deps.temporal.client.workflow.getHandle(`reminder/${reminderId}`);
    expect((await handle.describe()).status.name).toBe('RUNNING');
    const archived = await h.request('DELETE', `/workspaces/${ws.id}/reminders/${reminderId}`, ws.adminToken);
    expect(archived.status).toBe(200);
    await eventually(async () => (await handle.describe()).status.name === 'COMPLETED');
    expect(await handle.result()).toBe('ARCHIVED');
    const got = await h.request('GET', `/workspaces/${ws.id}/reminders/${reminderId}`, ws.adminToken);
    expect(got.body.status).toBe('ARCHIVED');
    expect(got.body.instances.length).toBeGreaterThan(0);
    // Completed instances are audit evidence: no hard delete.
    const hard = await h.request(
      'DELETE',
      `/workspaces/${ws.id}/reminders/${reminderId}?hard=true`,
      ws.adminToken,
    );
    expect(hard.status).toBe(409);
  });
});
