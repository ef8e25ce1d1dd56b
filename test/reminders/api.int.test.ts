import { loadObligation, loadView } from '@vigil/domains/obligations/service';
import {
  checkEvidenceFreshness,
  flagOverdueReminders,
  generateReminderInstances,
} from '@vigil/domains/reminders/maintenance';
import { localDayWindow } from '@vigil/domains/reminders/rules';
import { reminderInstances, reminderSuggestions, reminders } from '@vigil/domains/reminders/schema';
import { newId } from '@vigil/kernel/ids';
import { eq, sql } from 'drizzle-orm';
import { eventually, type Harness, startHarness, type TestWorkspace } from '../harness';

describe('reminders API: tenancy, roles, bad input, configuration, suggestions and sweeps', () => {
  let h: Harness;
  let ws: TestWorkspace;
  let other: TestWorkspace;

  beforeAll(async () => {
    h = await startHarness({ worker: true });
    ws = await h.workspace();
    other = await h.workspace();
  });
  afterAll(() => h.close());

  /** A YEARLY reminder starting in 200 days, owned by a new member (instances are inserted by hand). */
  const yearlyReminder = async (title: string, extra: Partial<typeof reminders.$inferInsert> = {}) => {
    const owner = await ws.member();
    const [reminder] = await h.deps.db
      .insert(reminders)
      .values({
        id: newId(),
        workspaceId: ws.id,
        title,
        frequency: 'YEARLY',
        startDate: new Date(Date.now() + 200 * 86_400_000),
        defaultOwnerId: owner.id,
        ...extra,
      })
      .returning();
    if (!reminder) throw new Error('no reminder');
    return { owner, reminder };
  };
  const base = () => `/workspaces/${ws.id}/reminders`;
  const future = (ms: number) => new Date(Date.now() + ms).toISOString();
  const body = (extra: Record<string, unknown> = {}) => ({
    title: 'Quarterly access review',
    frequency: 'QUARTERLY',
    start_date: future(86_400_000),
    timezone: 'America/New_York',
    ...extra,
  });

  it('validates schedules and fields, naming each one', async () => {
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ frequency: 'CUSTOM' }, 'body.cron_expression'],
      [{ frequency: 'CUSTOM', cron_expression: 'not a cron' }, 'body.cron_expression'],
      [{ cron_expression: '0 9 * * *' }, 'body.cron_expression'],
      [{ timezone: 'Mars/Olympus' }, 'body.timezone'],
      [{ end_date: new Date(Date.now() - 86_400_000).toISOString() }, 'body.end_date'],
      [{ category: 'FUN' }, 'category'],
      [{ unknown_field: 1 }, 'unknown_field'],
      [{ default_owner_id: newId() }, 'body.default_owner_id'],
      [{ notification_config: { lead_time: 'one day' } }, 'lead_time'],
    ];
    for (const [extra, field] of cases) {
      const res = await h.request('POST', base(), ws.adminToken, body(extra));
      expect({ extra, status: res.status }).toEqual({ extra, status: 400 });
      expect(JSON.stringify(res.body)).toContain(field);
    }
    const patch = await h.request('POST', base(), ws.adminToken, body());
    expect(patch.status).toBe(201);
    const bad = await h.request('PATCH', `${base()}/${patch.body.id}`, ws.adminToken, {
      frequency: 'CUSTOM',
    });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toContain('body.cron_expression');
    expect((await h.request('GET', `${base()}/not-a-uuid`, ws.adminToken)).status).toBe(400);
  });

  it('another workspace’s ids answer 404; static paths are not shadowed', async () => {
    const r = await h.request('POST', base(), ws.adminToken, body());
    const id = r.body.id as string;
    const foreign = `/workspaces/${other.id}/reminders`;
    expect((await h.request('GET', `${foreign}/${id}`, other.adminToken)).status).toBe(404);
    expect((await h.request('PATCH', `${foreign}/${id}`, other.adminToken, { title: 'x' })).status).toBe(404);
    expect((await h.request('DELETE', `${foreign}/${id}`, other.adminToken)).status).toBe(404);
    expect((await h.request('GET', `${foreign}/${id}/instances`, other.adminToken)).status).toBe(404);
    // A token of another workspace cannot reach this one at all.
    expect((await h.request('GET', `${base()}/${id}`, other.adminToken)).status).toBe(404);
    for (const path of [
      'dashboard/stats',
      'my-reminders',
      'control-owners',
      'domain-team-mappings',
      'assignment-rules',
      'suggestions',
    ]) {
      expect({ path, status: (await h.request('GET', `${base()}/${path}`, ws.adminToken)).status }).toEqual({
        path,
        status: 200,
      });
    }
    const list = await h.request('GET', `${base()}?frequency=QUARTERLY&search=access`, ws.adminToken);
    expect(list.body.data.map((x: { id: string }) => x.id)).toContain(id);
    expect((await h.request('GET', `/workspaces/${other.id}/reminders`, other.adminToken)).body.data).toEqual(
      [],
    );
  });

  it('roles: auditors read and never write; members cannot configure', async () => {
    const auditor = await ws.member('AUDITOR');
    const member = await ws.member('MEMBER');
    expect((await h.request('GET', base(), auditor.token)).status).toBe(200);
    expect((await h.request('POST', base(), auditor.token, body())).status).toBe(403);
    expect((await h.request('POST', base(), member.token, body())).status).toBe(403);
    for (const [path, payload] of [
      ['control-owners', { control_id: 'CC1.1' }],
      ['domain-team-mappings', { domain: 'x', team_id: newId() }],
      ['assignment-rules', { name: 'r', rule_config: { conditions: {}, assign: { owner_id: member.id } } }],
    ] as const) {
      expect((await h.request('POST', `${base()}/${path}`, auditor.token, payload)).status).toBe(403);
      expect((await h.request('POST', `${base()}/${path}`, member.token, payload)).status).toBe(403);
    }
    expect(
      (
        await h.request('POST', `${base()}/bulk/assign`, auditor.token, {
          instance_ids: [newId()],
          owner_id: member.id,
        })
      ).status,
    ).toBe(403);
  });

  it('configuration CRUD: control owners, domain mappings, assignment rules', async () => {
    const a = await ws.member();
    const co = await h.request('POST', `${base()}/control-owners`, ws.adminToken, {
      control_id: 'CC8.1',
      primary_owner_id: a.id,
    });
    expect(co.status).toBe(201);
    const patched = await h.request('PATCH', `${base()}/control-owners/${co.body.id}`, ws.adminToken, {
      domain: 'change',
    });
    expect(patched.body).toMatchObject({ control_id: 'CC8.1', domain: 'change', primary_owner_id: a.id });
    expect(
      (
        await h.request(
          'PATCH',
          `/workspaces/${other.id}/reminders/control-owners/${co.body.id}`,
          other.adminToken,
          {
            domain: 'x',
          },
        )
      ).status,
    ).toBe(404);
    const badRef = await h.request('POST', `${base()}/control-owners`, ws.adminToken, {
      control_id: 'CC8.1',
      backup_owner_id: newId(),
    });
    expect(badRef.status).toBe(400);
    expect(JSON.stringify(badRef.body)).toContain('body.backup_owner_id');
    expect((await h.request('DELETE', `${base()}/control-owners/${co.body.id}`, ws.adminToken)).status).toBe(
      200,
    );
    expect((await h.request('DELETE', `${base()}/control-owners/${co.body.id}`, ws.adminToken)).status).toBe(
      404,
    );

    const t = await h.request('POST', `/workspaces/${ws.id}/teams`, ws.adminToken, {
      name: 'Sec',
      member_ids: [a.id],
    });
    const m = await h.request('POST', `${base()}/domain-team-mappings`, ws.adminToken, {
      domain: 'security',
      team_id: t.body.id,
    });
    expect(m.status).toBe(201);
    expect((await h.request('GET', `${base()}/domain-team-mappings`, ws.adminToken)).body.data).toHaveLength(
      1,
    );
    expect(
      (await h.request('DELETE', `${base()}/domain-team-mappings/${m.body.id}`, ws.adminToken)).status,
    ).toBe(200);

    const rule = await h.request('POST', `${base()}/assignment-rules`, ws.adminToken, {
      name: 'Security to A',
      rule_config: { conditions: { category: ['SECURITY'] }, assign: { owner_id: a.id } },
    });
    expect(rule.status).toBe(201);
    const off = await h.request('PATCH', `${base()}/assignment-rules/${rule.body.id}`, ws.adminToken, {
      is_active: false,
    });
    expect(off.body.is_active).toBe(false);
    expect(
      (await h.request('DELETE', `${base()}/assignment-rules/${rule.body.id}`, ws.adminToken)).status,
    ).toBe(200);
  });

  it('suggestions: accept creates the reminder and links it; reject needs a reason', async () => {
    const [s1, s2] = [newId(), newId()];
    await h.deps.db.insert(reminderSuggestions).values([
      {
        id: s1,
        workspaceId: ws.id,
        questionId: 'Q12',
        suggestedTitle: 'Review firewall rules',
        suggestedCategory: 'SECURITY',
        suggestedFrequency: 'MONTHLY',
        suggestedDomain: 'network',
        confidenceScore: 0.82,
      },
      { id: s2, workspaceId: ws.id, suggestedTitle: 'Backup restore test', suggestedFrequency: 'YEARLY' },
    ]);
    const list = await h.request('GET', `${base()}/suggestions?status=PENDING`, ws.adminToken);
    expect(list.body.data.map((s: { id: string }) => s.id).sort()).toEqual([s1, s2].sort());
    expect(
      (
        await h.request(
          'POST',
          `/workspaces/${other.id}/reminders/suggestions/${s1}/accept`,
          other.adminToken,
          {},
        )
      ).status,
    ).toBe(404);
    const accepted = await h.request('POST', `${base()}/suggestions/${s1}/accept`, ws.adminToken, {
      start_date: future(86_400_000),
    });
    expect(accepted.status).toBe(200);
    expect(accepted.body.reminder).toMatchObject({
      title: 'Review firewall rules',
      category: 'SECURITY',
      frequency: 'MONTHLY',
      domain: 'network',
      source_question_id: 'Q12',
    });
    expect(accepted.body.suggestion).toMatchObject({
      status: 'ACCEPTED',
      created_reminder_id: accepted.body.reminder.id,
    });
    expect((await h.request('POST', `${base()}/suggestions/${s1}/accept`, ws.adminToken, {})).status).toBe(
      409,
    );
    expect((await h.request('POST', `${base()}/suggestions/${s2}/reject`, ws.adminToken, {})).status).toBe(
      400,
    );
    const rejected = await h.request('POST', `${base()}/suggestions/${s2}/reject`, ws.adminToken, {
      reason: 'duplicate',
    });
    expect(rejected.body).toMatchObject({ status: 'REJECTED', rejection_reason: 'duplicate' });
  });

  it('hard delete removes a reminder without completed instances', async () => {
    const r = await h.request('POST', base(), ws.adminToken, body());
    expect((await h.request('DELETE', `${base()}/${r.body.id}?hard=true`, ws.adminToken)).status).toBe(200);
    expect((await h.request('GET', `${base()}/${r.body.id}`, ws.adminToken)).status).toBe(404);
  });

  it("notification_config: the reminder's own intervals plan the reminders, its channels carry them", async () => {
    const { owner, reminder: r } = await yearlyReminder('Own cadence', {
      notificationConfig: { channels: ['slack', 'web_push'], intervals: ['P3D', 'PT4H'] },
    });
    const id = newId();
    const due = new Date(Date.now() + 10 * 86_400_000);
    await h.deps.db
      .insert(reminderInstances)
      .values({ id, workspaceId: ws.id, reminderId: r.id, dueDate: due, assignedOwnerId: owner.id });
    const loaded = await loadObligation(h.deps.db, 'reminder_instance', id, false);
    expect(loaded?.channels).toEqual(['slack']);
    // At the due date itself, then the reminder's own intervals before it.
    expect(loaded?.state.preDue.map((p) => p.offsetMs).sort((a, b) => a - b)).toEqual([
      0,
      4 * 3_600_000,
      3 * 86_400_000,
    ]);
    const view = await loadView(h.deps.db, 'reminder_instance', id);
    expect(view.next).toMatchObject({ type: 'STEP', key: 'REMIND:P3D', at: due.getTime() - 3 * 86_400_000 });
  });

  it("due today and this week are the viewer's local days", async () => {
    const { owner, reminder: r } = await yearlyReminder('Local days');
    // Kiritimati (UTC+14) and UTC never share a calendar day's bounds: of an instance at each
    // end of Kiritimati's today, at least one falls outside UTC's today.
    const kiri = localDayWindow(new Date(), 'Pacific/Kiritimati');
    const dues = [kiri.todayStart.getTime() + 1_800_000, kiri.todayEnd.getTime() - 1_800_000];
    const ids = dues.map(() => newId());
    await h.deps.db.insert(reminderInstances).values(
      dues.map((d, i) => ({
        id: ids[i] as string,
        workspaceId: ws.id,
        reminderId: r.id,
        dueDate: new Date(d),
        assignedOwnerId: owner.id,
      })),
    );
    const dueToday = async (tz?: string) =>
      (
        (
          await h.request(
            'GET',
            `${base()}/my-reminders?due_today=true${tz ? `&timezone=${tz}` : ''}`,
            owner.token,
          )
        ).body.data as Array<{ id: string }>
      )
        .map((i) => i.id)
        .filter((id) => ids.includes(id))
        .sort();
    expect(await dueToday('Pacific/Kiritimati')).toEqual([...ids].sort());
    const utc = localDayWindow(new Date(), 'UTC');
    const inUtc = ids.filter(
      (_, i) =>
        (dues[i] as number) >= utc.todayStart.getTime() && (dues[i] as number) < utc.todayEnd.getTime(),
    );
    expect(inUtc.length).toBeLessThan(2);
    // Without ?timezone= the member's own zone (UTC by default) counts.
    expect(await dueToday()).toEqual([...inUtc].sort());
    await h.request('PATCH', `/workspaces/${ws.id}/members/${owner.id}`, ws.adminToken, {
      timezone: 'Pacific/Kiritimati',
    });
    expect(await dueToday()).toEqual([...ids].sort());
    const stats = await h.request(
      'GET',
      `${base()}/dashboard/stats?timezone=Pacific/Kiritimati`,
      owner.token,
    );
    expect(stats.status).toBe(200);
    expect(
      (await h.request('GET', `${base()}/dashboard/stats?timezone=Mars/Olympus`, owner.token)).status,
    ).toBe(400);
  });

  it('sweeps: overdue flagging in one UPDATE, evidence freshness re-fires, reconcile starts planners', async () => {
    const { owner, reminder: r } = await yearlyReminder('Evidence decays', {
      requiresEvidence: true,
      evidenceFreshnessDays: 30,
    });
    const past = (days: number) => new Date(Date.now() - days * 86_400_000);
    await h.deps.db.insert(reminderInstances).values([
      { id: newId(), workspaceId: ws.id, reminderId: r.id, dueDate: past(3), status: 'PENDING' },
      { id: newId(), workspaceId: ws.id, reminderId: r.id, dueDate: past(2), status: 'ACKNOWLEDGED' },
      {
        id: newId(),
        workspaceId: ws.id,
        reminderId: r.id,
        dueDate: past(60),
        status: 'COMPLETED',
        completedAt: past(59),
        evidenceLinks: [{ url: 'https://e.example.com', added_at: past(59).toISOString() }],
      },
    ]);
    const flagged = await flagOverdueReminders(h.deps.db);
    expect(flagged.corrected).toBeGreaterThanOrEqual(2);
    const statuses = await h.deps.db
      .select({ s: reminderInstances.status, acked: sql<boolean>`${reminderInstances.status} = 'OVERDUE'` })
      .from(reminderInstances)
      .where(eq(reminderInstances.reminderId, r.id));
    expect(statuses.filter((x) => x.s === 'OVERDUE')).toHaveLength(2);
    expect((await flagOverdueReminders(h.deps.db)).corrected).toBe(0);

    // Open instances exist: no re-fire yet. Once they are done, the stale completion fires again.
    expect((await checkEvidenceFreshness(h.deps)).created).toBe(0);
    await h.deps.db
      .update(reminderInstances)
      .set({ status: 'SKIPPED' })
      .where(sql`${reminderInstances.reminderId} = ${r.id} AND ${reminderInstances.status} = 'OVERDUE'`);
    const fresh = await checkEvidenceFreshness(h.deps);
    expect(fresh.created).toBe(1);
    const open = await h.deps.db
      .select()
      .from(reminderInstances)
      .where(
        sql`${reminderInstances.reminderId} = ${r.id} AND ${reminderInstances.status} NOT IN ('COMPLETED','SKIPPED')`,
      );
    expect(open).toHaveLength(1);
    expect(open[0]?.assignedOwnerId).toBe(owner.id);

    const reconciled = await generateReminderInstances(h.deps);
    expect(reconciled.failed).toBe(0);
    const handle = h.deps.temporal.client.workflow.getHandle(`reminder/${r.id}`);
    await eventually(async () => (await handle.describe()).status.name === 'RUNNING');
  });
});
