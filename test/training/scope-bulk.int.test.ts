import { randomUUID } from 'node:crypto';
import { checkExpiredCerts, checkExpiringCerts } from '@vigil/domains/certifications/sweeps';
import { events } from '@vigil/domains/events/schema';
import {
  checkApproachingDueAssignments,
  checkOverdueAssignments,
  regenerateRecurring,
} from '@vigil/domains/training/sweeps';
import { SA } from '@vigil/kernel/search-attributes';
import { eq, sql } from 'drizzle-orm';
import { eventually, type Harness, startHarness, type TestWorkspace } from '../harness';

describe('training scope, bulk assignment, sweeps, tenancy and roles', () => {
  let h: Harness;
  let ws: TestWorkspace;
  let other: TestWorkspace;

  beforeAll(async () => {
    h = await startHarness({ worker: true, env: { BODY_LIMIT: '2mb' } });
    ws = await h.workspace();
    other = await h.workspace();
  });
  afterAll(() => h.close());

  const assignmentsOf = async (trainingId: string) =>
    (
      await h.request(
        'GET',
        `/compliance/assignments?mandatory_training_id=${trainingId}&limit=500`,
        ws.adminToken,
      )
    ).body.data as Array<{
      developer_id: string;
      status: string;
      cycle: number;
      id: string;
      due_date: string;
    }>;

  it('TEAM scope assigns current members, and a member added later gets it too', async () => {
    const a = await ws.member();
    const b = await ws.member();
    const c = await ws.member();
    const team = await h.request('POST', `/workspaces/${ws.id}/teams`, ws.adminToken, {
      name: `Team ${randomUUID().slice(0, 4)}`,
      member_ids: [a.id, b.id],
    });
    const t = await h.request('POST', '/compliance/mandatory-training', ws.adminToken, {
      name: 'Secure coding',
      applies_to_type: 'TEAM',
      applies_to_ids: [team.body.id],
      due_days_after_assignment: 14,
    });
    expect(t.status).toBe(201);
    expect(t.body.assigned).toBe(2);
    expect((await assignmentsOf(t.body.id)).map((x) => x.developer_id).sort()).toEqual([a.id, b.id].sort());
    await h.request('PATCH', `/workspaces/${ws.id}/teams/${team.body.id}`, ws.adminToken, {
      member_ids: [a.id, b.id, c.id],
    });
    const rows = await assignmentsOf(t.body.id);
    expect(rows.map((x) => x.developer_id).sort()).toEqual([a.id, b.id, c.id].sort());
    await eventually(async () => {
      const d = await h.deps.temporal.client.workflow
        .getHandle(`training_assignment/${rows.find((r) => r.developer_id === c.id)?.id}`)
        .describe();
      return d.status.name === 'RUNNING';
    });

    const list = await h.request('GET', '/compliance/mandatory-training', ws.adminToken);
    const stats = (list.body.data as Array<{ id: string; stats: Record<string, number> }>).find(
      (x) => x.id === t.body.id,
    )?.stats;
    expect(stats).toMatchObject({ assigned: 3, completed: 0, completion_rate: 0 });

    // Deactivated: a member who joins later gets nothing; open assignments stay.
    expect(
      (await h.request('DELETE', `/compliance/mandatory-training/${t.body.id}`, ws.adminToken)).status,
    ).toBe(200);
    const d = await ws.member();
    await h.request('PATCH', `/workspaces/${ws.id}/teams/${team.body.id}`, ws.adminToken, {
      member_ids: [a.id, b.id, c.id, d.id],
    });
    expect(await assignmentsOf(t.body.id)).toHaveLength(3);
  });

  it('ROLE scope assigns current holders and a member given the role later', async () => {
    const role = await h.request('POST', '/api/roles', ws.adminToken, {
      name: `Eng ${randomUUID().slice(0, 4)}`,
    });
    const a = await ws.member();
    await h.request('PATCH', `/workspaces/${ws.id}/members/${a.id}`, ws.adminToken, {
      role_ids: [role.body.id],
    });
    const t = await h.request('POST', '/compliance/mandatory-training', ws.adminToken, {
      name: 'Incident response',
      applies_to_type: 'ROLE',
      applies_to_ids: [role.body.id],
    });
    expect(t.body.assigned).toBe(1);
    const b = await ws.member();
    await h.request('PATCH', `/workspaces/${ws.id}/members/${b.id}`, ws.adminToken, {
      role_ids: [role.body.id],
    });
    expect((await assignmentsOf(t.body.id)).map((x) => x.developer_id).sort()).toEqual([a.id, b.id].sort());
  });

  it('bulk: all or nothing with per-member reasons, partial mode, and a 10,001 limit', async () => {
    const t = await h.request('POST', '/compliance/mandatory-training', ws.adminToken, {
      name: 'Bulk training',
      applies_to_type: 'INDIVIDUAL',
      applies_to_ids: [],
    });
    const ms = [await ws.member(), await ws.member(), await ws.member()].map((m) => m.id);
    const stranger = (await other.member()).id;
    const all = await h.request('POST', '/compliance/assignments/bulk', ws.adminToken, {
      mandatory_training_id: t.body.id,
      developer_ids: [...ms, stranger],
    });
    expect(all.status).toBe(422);
    expect(all.body.errors).toEqual([{ field: `body.developer_ids[${stranger}]`, message: 'NOT_FOUND' }]);
    expect(await assignmentsOf(t.body.id)).toHaveLength(0);

    const partial = await h.request('POST', '/compliance/assignments/bulk', ws.adminToken, {
      mandatory_training_id: t.body.id,
      developer_ids: [...ms, stranger],
      partial: true,
    });
    expect(partial.status).toBe(201);
    expect(partial.body.assigned).toBe(3);
    expect(partial.body.rejected).toEqual([{ developer_id: stranger, reason: 'NOT_FOUND' }]);
    const assigned = await assignmentsOf(t.body.id);
    expect(assigned).toHaveLength(3);

    // Each workflow starts with the committed state: searchable and readable in the Web UI at once.
    const first = assigned[0] as (typeof assigned)[number];
    const handle = h.deps.temporal.client.workflow.getHandle(`training_assignment/${first.id}`);
    const d = await eventually(async () => {
      const x = await handle.describe().catch(() => null);
      return x?.status.name === 'RUNNING' ? x : null;
    });
    expect(d.typedSearchAttributes.get(SA.ObligationStatus)).toBe('PENDING');
    expect(d.typedSearchAttributes.get(SA.OwnerId)).toBe(first.developer_id);
    expect(d.typedSearchAttributes.get(SA.DueAt)?.toISOString()).toBe(new Date(first.due_date).toISOString());
    expect(d.typedSearchAttributes.get(SA.EscalationLevel)).toBe('NONE');
    expect(await d.memo).toMatchObject({ title: 'Training: Bulk training', status: 'PENDING' });
    const state = await handle.query<{ status: string; next: { type: string; key: string } } | null>('state');
    expect(state).toMatchObject({ status: 'PENDING', next: { type: 'STEP', key: 'REMIND:P7D' } });

    const again = await h.request('POST', '/compliance/assignments/bulk', ws.adminToken, {
      mandatory_training_id: t.body.id,
      developer_ids: [ms[0]],
    });
    expect(again.status).toBe(422);
    expect(again.body.errors[0].message).toBe('ALREADY_ASSIGNED');

    const tooMany = await h.request('POST', '/compliance/assignments/bulk', ws.adminToken, {
      mandatory_training_id: t.body.id,
      developer_ids: Array.from({ length: 10_001 }, () => randomUUID()),
    });
    expect(tooMany.status).toBe(400);
    expect(JSON.stringify(tooMany.body.errors)).toContain('body.developer_ids');
  });

  it('tenancy, roles and bad input', async () => {
    const mine = await h.request('POST', '/compliance/mandatory-training', ws.adminToken, {
      name: 'Mine',
      applies_to_type: 'INDIVIDUAL',
      applies_to_ids: [],
    });
    expect(
      (
        await h.request('PATCH', `/compliance/mandatory-training/${mine.body.id}`, other.adminToken, {
          name: 'x',
        })
      ).status,
    ).toBe(404);
    expect(
      (await h.request('DELETE', `/compliance/mandatory-training/${mine.body.id}`, other.adminToken)).status,
    ).toBe(404);

    const auditor = await ws.member('AUDITOR');
    expect(
      (await h.request('POST', '/compliance/mandatory-training', auditor.token, { name: 'Nope' })).status,
    ).toBe(403);
    expect(
      (await h.request('POST', '/compliance/certifications', auditor.token, { name: 'Nope' })).status,
    ).toBe(403);

    const unknown = await h.request('POST', '/compliance/mandatory-training', ws.adminToken, {
      name: 'Bad',
      colour: 'red',
    });
    expect(unknown.status).toBe(400);
    expect(JSON.stringify(unknown.body)).toContain('colour');
    const badScope = await h.request('POST', '/compliance/mandatory-training', ws.adminToken, {
      name: 'Bad scope',
      applies_to_type: 'TEAM',
      applies_to_ids: [randomUUID()],
    });
    expect(badScope.status).toBe(400);
    expect(badScope.body.errors[0].field).toBe('body.applies_to_ids');
    const names = (await h.request('GET', '/compliance/mandatory-training', ws.adminToken)).body.data.map(
      (x: { name: string }) => x.name,
    );
    expect(names).not.toContain('Bad scope');

    const alice = await ws.member();
    const bob = await ws.member();
    const a = await h.request('POST', '/compliance/assignments', ws.adminToken, {
      mandatory_training_id: mine.body.id,
      developer_id: alice.id,
    });
    expect(a.status).toBe(201);
    expect((await h.request('POST', `/compliance/assignments/${a.body.id}/start`, bob.token)).status).toBe(
      403,
    );
    expect(
      (await h.request('POST', `/compliance/assignments/${a.body.id}/start`, other.adminToken)).status,
    ).toBe(404);
    const started = await h.request('POST', `/compliance/assignments/${a.body.id}/start`, alice.token);
    expect(started.body).toMatchObject({ status: 'IN_PROGRESS' });
    expect(started.body.started_at).toBeTruthy();
    expect(
      (
        await h.request('PATCH', `/compliance/assignments/${a.body.id}`, alice.token, {
          progress_percentage: 101,
        })
      ).status,
    ).toBe(400);
    const bobsView = await h.request('GET', '/compliance/assignments', bob.token);
    expect(bobsView.body.data).toEqual([]);

    const foreign = await h.request('POST', '/compliance/assignments', other.adminToken, {
      mandatory_training_id: mine.body.id,
      developer_id: (await other.member()).id,
    });
    expect(foreign.status).toBe(422);
    const cert = await h.request('POST', '/compliance/certifications', ws.adminToken, {
      name: 'C',
      is_required: true,
    });
    expect(
      (
        await h.request('PATCH', `/compliance/certifications/${cert.body.id}`, other.adminToken, {
          name: 'x',
        })
      ).status,
    ).toBe(404);
    const listed = await h.request('GET', '/compliance/certifications', ws.adminToken);
    const stats = listed.body.data.find((c: { id: string }) => c.id === cert.body.id).stats;
    expect(stats.missing_required_developer_ids).toContain(alice.id);
    const bobCert = await h.request('POST', '/compliance/developer-certifications', alice.token, {
      developer_id: bob.id,
      certification_id: cert.body.id,
    });
    expect(bobCert.status).toBe(403);
  });

  it('daily sweeps correct what workflows missed, emit deduplicated events, and regenerate recurring cycles', async () => {
    const t = await h.request('POST', '/compliance/mandatory-training', ws.adminToken, {
      name: 'Annual refresher',
      applies_to_type: 'INDIVIDUAL',
      applies_to_ids: [],
      recurring_months: 12,
      due_days_after_assignment: 3,
    });
    const m = await ws.member();
    await h.request('PATCH', `/compliance/mandatory-training/${t.body.id}`, ws.adminToken, {
      applies_to_type: 'INDIVIDUAL',
      applies_to_ids: [m.id],
    });
    const [first] = await assignmentsOf(t.body.id);
    expect(first).toMatchObject({ developer_id: m.id, cycle: 0, status: 'PENDING' });
    expect((await checkApproachingDueAssignments(h.deps.db)).events).toBeGreaterThanOrEqual(1);
    expect((await checkApproachingDueAssignments(h.deps.db)).events).toBe(0);

    const later = new Date(Date.now() + 366 * 24 * 3600 * 1000);
    const r1 = await regenerateRecurring(h.deps, later);
    expect(r1.created).toBeGreaterThanOrEqual(1);
    expect((await regenerateRecurring(h.deps, later)).created).toBe(0);
    const cycles = (await assignmentsOf(t.body.id)).map((a) => a.cycle).sort();
    expect(cycles).toEqual([0, 1]);

    // A TEAM training recurs only for members still in the team.
    const [stay, leave] = [await ws.member(), await ws.member()];
    const squad = await h.request('POST', `/workspaces/${ws.id}/teams`, ws.adminToken, {
      name: 'Recurring squad',
      member_ids: [stay.id, leave.id],
    });
    const tt = await h.request('POST', '/compliance/mandatory-training', ws.adminToken, {
      name: 'Team refresher',
      applies_to_type: 'TEAM',
      applies_to_ids: [squad.body.id],
      recurring_months: 12,
    });
    expect(tt.body.assigned).toBe(2);
    await h.request('PATCH', `/workspaces/${ws.id}/teams/${squad.body.id}`, ws.adminToken, {
      member_ids: [stay.id],
    });
    await regenerateRecurring(h.deps, later);
    const teamCycles = (await assignmentsOf(tt.body.id)).map((a) => `${a.developer_id}:${a.cycle}`).sort();
    expect(teamCycles).toEqual([`${leave.id}:0`, `${stay.id}:0`, `${stay.id}:1`].sort());

    // Force a missed transition: due in the past without the workflow having run.
    await h.deps.db.execute(
      sql`UPDATE training_assignments SET due_date = now() - interval '1 minute' WHERE id = ${first?.id ?? ''}`,
    );
    const over = await checkOverdueAssignments(h.deps.db);
    expect(over.corrected).toBeGreaterThanOrEqual(1);
    const ev = await h.deps.db
      .select()
      .from(events)
      .where(eq(events.entityId, first?.id ?? ''));
    expect(ev.map((e) => e.type).sort()).toEqual(['assignment.approaching_due', 'assignment.overdue']);
    // "Approaching" is the workspace's first reminder: 30 days ahead here, not a fixed 7.
    const early = await h.workspace();
    await h.request('PATCH', `/workspaces/${early.id}/settings`, early.adminToken, {
      reminder_offsets: ['P30D', 'P1D'],
    });
    const em = await early.member();
    const et = await h.request('POST', '/compliance/mandatory-training', early.adminToken, {
      name: 'Due in 20 days',
      applies_to_type: 'INDIVIDUAL',
      applies_to_ids: [em.id],
      due_days_after_assignment: 20,
    });
    expect(et.status).toBe(201);
    await checkApproachingDueAssignments(h.deps.db);
    const [ea] = (
      await h.request('GET', `/compliance/assignments?mandatory_training_id=${et.body.id}`, early.adminToken)
    ).body.data as Array<{ id: string }>;
    const eev = await h.deps.db
      .select()
      .from(events)
      .where(eq(events.entityId, ea?.id ?? ''));
    expect(eev.map((e) => e.type)).toEqual(['assignment.approaching_due']);
    expect(await checkExpiringCerts(h.deps.db)).toMatchObject({ corrected: expect.any(Number) });
    expect(await checkExpiredCerts(h.deps.db)).toMatchObject({ corrected: expect.any(Number) });
  });
});
