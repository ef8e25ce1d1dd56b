import { checkBulkCompliance } from '@vigil/domains/compliance/service';
import { flagOverdueReminders } from '@vigil/domains/reminders/maintenance';
import { reminderInstances, reminders } from '@vigil/domains/reminders/schema';
import { newId } from '@vigil/kernel/ids';
import { type Harness, startHarness, type TestWorkspace } from '../harness';

const DAY = 24 * 60 * 60 * 1000;

describe('check-bulk-compliance: the workspace compliance status', () => {
  let h: Harness;
  let ws: TestWorkspace;

  beforeAll(async () => {
    h = await startHarness();
    ws = await h.workspace();
  });
  afterAll(() => h.close());

  const statusEvents = async () =>
    (
      await h.request(
        'GET',
        `/workspaces/${ws.id}/events?type=workspace.compliance_status_changed`,
        ws.adminToken,
      )
    ).body.data as Array<{ payload: { before: string; after: string }; subject: { id: string } }>;

  it('moves COMPLIANT → AT_RISK → NON_COMPLIANT → COMPLIANT as items go overdue and are completed, one event per change', async () => {
    const settings = await h.request('PATCH', `/workspaces/${ws.id}/settings`, ws.adminToken, {
      compliance_thresholds: { at_risk: 1, non_compliant: 2 },
    });
    expect(settings.status).toBe(200);
    const a = await ws.member();
    const b = await ws.member();
    const assign = async (member: string, days: number) => {
      const t = await h.request('POST', '/compliance/mandatory-training', ws.adminToken, {
        name: `Training due in ${days} days`,
        applies_to_type: 'INDIVIDUAL',
        applies_to_ids: [member],
        due_days_after_assignment: days,
      });
      expect(t.status).toBe(201);
      const list = await h.request(
        'GET',
        `/compliance/assignments?mandatory_training_id=${t.body.id}`,
        ws.adminToken,
      );
      return list.body.data[0].id as string;
    };
    const first = await assign(a.id, 10);
    const second = await assign(b.id, 20);
    const t0 = Date.now();

    await checkBulkCompliance(h.deps.db, new Date(t0));
    let overview = await h.request('GET', '/compliance/reports/overview', ws.adminToken);
    expect(overview.body.compliance_status).toMatchObject({ status: 'COMPLIANT' });
    expect(await statusEvents()).toHaveLength(0);

    await checkBulkCompliance(h.deps.db, new Date(t0 + 12 * DAY));
    await checkBulkCompliance(h.deps.db, new Date(t0 + 13 * DAY)); // unchanged: no second event
    overview = await h.request('GET', '/compliance/reports/overview', ws.adminToken);
    expect(overview.body.compliance_status).toMatchObject({
      status: 'AT_RISK',
      since: new Date(t0 + 12 * DAY).toISOString(),
      counts: { overdue_trainings: 1 },
    });

    await checkBulkCompliance(h.deps.db, new Date(t0 + 22 * DAY));
    overview = await h.request('GET', '/compliance/reports/overview', ws.adminToken);
    expect(overview.body.compliance_status).toMatchObject({
      status: 'NON_COMPLIANT',
      counts: { overdue_trainings: 2 },
    });

    expect((await h.request('POST', `/compliance/assignments/${first}/complete`, a.token)).status).toBe(200);
    expect((await h.request('POST', `/compliance/assignments/${second}/complete`, b.token)).status).toBe(200);
    await checkBulkCompliance(h.deps.db, new Date(t0 + 23 * DAY));
    overview = await h.request('GET', '/compliance/reports/overview', ws.adminToken);
    expect(overview.body.compliance_status).toMatchObject({
      status: 'COMPLIANT',
      since: new Date(t0 + 23 * DAY).toISOString(),
    });

    const changes = (await statusEvents()).reverse();
    expect(changes.map((e) => [e.payload.before, e.payload.after])).toEqual([
      ['COMPLIANT', 'AT_RISK'],
      ['AT_RISK', 'NON_COMPLIANT'],
      ['NON_COMPLIANT', 'COMPLIANT'],
    ]);
    expect(changes.every((e) => e.subject.id === ws.id)).toBe(true);
    const audit = await h.request(
      'GET',
      '/compliance/audit-logs?action_type=COMPLIANCE_STATUS_CHANGED',
      ws.adminToken,
    );
    expect(audit.body.data).toHaveLength(3);
  });

  it('member.onboarded and member.offboarded are emitted with their changes, filtered by type and date', async () => {
    const before = new Date().toISOString();
    const m = await ws.member();
    const off = await h.request('POST', `/workspaces/${ws.id}/members/${m.id}/offboard`, ws.adminToken, {
      reason: 'left',
    });
    expect(off.status).toBe(200);
    const list = await h.request(
      'GET',
      `/workspaces/${ws.id}/events?type=member.onboarded,member.offboarded&subject_id=${m.id}&from=${encodeURIComponent(before)}`,
      ws.adminToken,
    );
    expect(list.body.data.map((e: { type: string }) => e.type)).toEqual([
      'member.offboarded',
      'member.onboarded',
    ]);
    expect(list.body.data[0]).toMatchObject({
      subject: { type: 'member', id: m.id },
      payload: { reason: 'left', actor_id: ws.adminId },
    });
    const one = await h.request('GET', `/workspaces/${ws.id}/events/${list.body.data[1].id}`, ws.adminToken);
    expect(one.body).toMatchObject({ type: 'member.onboarded', workspace_id: ws.id });
    const page = await h.request('GET', `/workspaces/${ws.id}/events?limit=1`, ws.adminToken);
    expect(page.body.data).toHaveLength(1);
    const next = await h.request(
      'GET',
      `/workspaces/${ws.id}/events?limit=1&cursor=${page.body.next_cursor}`,
      ws.adminToken,
    );
    expect(next.body.data[0].id < page.body.data[0].id).toBe(true);
    const later = await h.request(
      'GET',
      `/workspaces/${ws.id}/events?to=${encodeURIComponent(before)}&subject_id=${m.id}`,
      ws.adminToken,
    );
    expect(later.body.data).toHaveLength(0);
  });

  it('a policy approval emits policy.approved and policy.version_published; an acknowledgement acknowledgement.completed', async () => {
    const member = await ws.member('MEMBER');
    const policy = (
      await h.request('POST', '/api/policies', ws.adminToken, { name: 'Events policy', content: 'A\n' })
    ).body.policy.id as string;
    await h.request('PATCH', `/workspaces/${ws.id}/settings`, ws.adminToken, {
      policy_approver_id: ws.adminId,
    });
    expect((await h.request('POST', `/api/policies/${policy}/approve`, ws.adminToken, {})).status).toBe(200);
    expect((await h.request('POST', `/api/acknowledge/${policy}`, member.token, {})).status).toBe(201);
    const list = async (type: string) =>
      (await h.request('GET', `/workspaces/${ws.id}/events?type=${type}`, ws.adminToken)).body.data as Array<{
        subject: { id: string };
        payload: Record<string, unknown>;
      }>;
    const approved = await list('policy.approved');
    const published = await list('policy.version_published');
    expect(approved.filter((e) => e.subject.id === policy)).toHaveLength(1);
    expect(published.filter((e) => e.subject.id === policy)).toHaveLength(1);
    expect(published[0]?.payload).toMatchObject({ number: 1, actor_id: ws.adminId });
    const acks = (await list('acknowledgement.completed')).filter((e) => e.payload.policy_id === policy);
    expect(acks).toHaveLength(1);
    expect(acks[0]?.payload).toMatchObject({ member_id: member.id, version_number: 1 });
  });

  it('the overdue sweep emits reminder_instance.overdue per instance; completing one reminder_instance.completed', async () => {
    const owner = await ws.member();
    const [reminder] = await h.deps.db
      .insert(reminders)
      .values({
        id: newId(),
        workspaceId: ws.id,
        title: 'Access review',
        frequency: 'YEARLY',
        startDate: new Date(Date.now() + 200 * DAY),
        defaultOwnerId: owner.id,
      })
      .returning();
    const ids = [newId(), newId()];
    await h.deps.db.insert(reminderInstances).values(
      ids.map((id, i) => ({
        id,
        workspaceId: ws.id,
        reminderId: reminder?.id as string,
        dueDate: new Date(Date.now() + DAY + i * 60_000),
        assignedOwnerId: owner.id,
      })),
    );
    await flagOverdueReminders(h.deps.db, new Date(Date.now() + 2 * DAY));
    await flagOverdueReminders(h.deps.db, new Date(Date.now() + 3 * DAY)); // nothing left to flag
    const overdue = (
      await h.request('GET', `/workspaces/${ws.id}/events?type=reminder_instance.overdue`, ws.adminToken)
    ).body.data.map((e: { subject: { id: string } }) => e.subject.id);
    expect(overdue.sort()).toEqual([...ids].sort());
    const done = await h.request(
      'POST',
      `/workspaces/${ws.id}/reminders/instances/${ids[0]}/complete`,
      owner.token,
      {
        notes: 'done',
      },
    );
    expect(done.status).toBe(200);
    const completed = await h.request(
      'GET',
      `/workspaces/${ws.id}/events?type=reminder_instance.completed&subject_id=${ids[0]}`,
      ws.adminToken,
    );
    expect(completed.body.data).toHaveLength(1);
    expect(completed.body.data[0].payload).toMatchObject({
      status: 'COMPLETED',
      notes: 'done',
      actor_id: owner.id,
    });
  });

  it('validates thresholds, and only admins and auditors read events', async () => {
    const bad = await h.request('PATCH', `/workspaces/${ws.id}/settings`, ws.adminToken, {
      compliance_thresholds: { at_risk: 3, non_compliant: 1 },
    });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body.errors)).toContain('compliance_thresholds');
    const member = await ws.member();
    expect((await h.request('GET', `/workspaces/${ws.id}/events`, member.token)).status).toBe(403);
    const auditor = await ws.member('AUDITOR');
    expect((await h.request('GET', `/workspaces/${ws.id}/events`, auditor.token)).status).toBe(200);
    expect((await h.request('GET', `/workspaces/${ws.id}/events?type=nope`, auditor.token)).status).toBe(400);
    const other = await h.workspace();
    expect((await h.request('GET', `/workspaces/${ws.id}/events`, other.adminToken)).status).toBe(404);
  });
});
