import { flagOverdueReminders } from '@vigil/domains/reminders/maintenance';
import { reminderInstances, reminders } from '@vigil/domains/reminders/schema';
import { dashboardStats, myReminders } from '@vigil/domains/reminders/views';
import { overdueReport } from '@vigil/domains/reports/lists';
import { overview } from '@vigil/domains/reports/service';
import { checkOverdueAssignments } from '@vigil/domains/training/sweeps';
import { newId } from '@vigil/kernel/ids';
import { eq } from 'drizzle-orm';
import { type Harness, startHarness, type TestWorkspace } from '../harness';

/**
 * One overdue boundary: an item due at exactly `now` is overdue, as the engine plans
 * MARK_OVERDUE at the deadline and performs it once its time is not in the future. The sweeps,
 * the reminders dashboard and lists, and the reports all agree, asked at that very instant.
 * No worker runs; the deadline is an hour ahead and every reader is given it as its clock.
 */
describe('due at exactly now is overdue everywhere', () => {
  let h: Harness;
  let ws: TestWorkspace;
  let owner: { id: string; token: string };
  const at = new Date(Math.floor(Date.now() / 1000) * 1000 + 3_600_000);
  const ids = { instance: '', assignment: '' };

  beforeAll(async () => {
    h = await startHarness();
    ws = await h.workspace();
    owner = await ws.member('MEMBER', { name: 'Olive' });
    const [r] = await h.deps.db
      .insert(reminders)
      .values({ workspaceId: ws.id, title: 'Access review', frequency: 'YEARLY', startDate: new Date() })
      .returning();
    ids.instance = newId();
    await h.deps.db.insert(reminderInstances).values({
      id: ids.instance,
      workspaceId: ws.id,
      reminderId: r?.id ?? '',
      dueDate: at,
      status: 'PENDING',
      assignedOwnerId: owner.id,
    });
    const t = await h.request('POST', '/compliance/mandatory-training', ws.adminToken, {
      name: 'Security awareness',
      applies_to_type: 'INDIVIDUAL',
      applies_to_ids: [],
    });
    const a = await h.request('POST', '/compliance/assignments', ws.adminToken, {
      mandatory_training_id: t.body.id,
      developer_id: owner.id,
      due_date: at.toISOString(),
    });
    expect(a.status).toBe(201);
    ids.assignment = a.body.id;
  });
  afterAll(() => h.close());

  it('the reminders dashboard, my-reminders, the overview and the overdue report count it', async () => {
    const before = new Date(at.getTime() - 1);
    expect((await dashboardStats(h.deps.db, ws.ctx, 'UTC', before)).instances.overdue).toBe(0);
    expect((await dashboardStats(h.deps.db, ws.ctx, 'UTC', at)).instances.overdue).toBe(1);

    const ctx = { ...ws.ctx, memberId: owner.id, role: 'MEMBER' as const };
    const mine = await myReminders(h.deps.db, ctx, { overdue: true, limit: 50 }, 'UTC', at);
    expect(mine.map((m) => m.instance.id)).toEqual([ids.instance]);

    const o = await overview(h.deps.db, ws.id, at);
    expect([o.reminders.overdue, o.training.overdue]).toEqual([1, 1]);
    const report = await overdueReport(h.deps.db, ws.ctx, { limit: 50 }, at);
    expect(report.data.map((d) => d.id).sort()).toEqual([ids.assignment, ids.instance].sort());
    expect((await overdueReport(h.deps.db, ws.ctx, { limit: 50 }, before)).count).toBe(0);
  });

  it('the reminder and training sweeps mark it OVERDUE at that instant, not a moment later', async () => {
    expect((await flagOverdueReminders(h.deps.db, new Date(at.getTime() - 1))).corrected).toBe(0);
    expect((await flagOverdueReminders(h.deps.db, at)).corrected).toBe(1);
    const [i] = await h.deps.db
      .select({ status: reminderInstances.status })
      .from(reminderInstances)
      .where(eq(reminderInstances.id, ids.instance));
    expect(i?.status).toBe('OVERDUE');

    expect((await checkOverdueAssignments(h.deps.db, new Date(at.getTime() - 1))).corrected).toBe(0);
    expect((await checkOverdueAssignments(h.deps.db, at)).corrected).toBe(1);
    const a = await h.request('GET', `/compliance/assignments?developer_id=${owner.id}`, ws.adminToken);
    expect(a.body.data[0]).toMatchObject({ id: ids.assignment, status: 'OVERDUE', is_overdue: true });
  });
});
