import { type Harness, startHarness, type TestWorkspace } from '../harness';

/**
 * The four compliance reports over a seeded workspace. Trainings, certifications, teams and tickets
 * are created through the API; reminder instances and policy acknowledgement requests (which only
 * workflows create) are inserted directly. No worker runs, so statuses stay as seeded and
 * overdue-ness comes from due dates.
 */
describe('compliance reports', () => {
  let h: Harness;
  let ws: TestWorkspace;
  let manager: { id: string; token: string };
  let auditor: { id: string; token: string };
  let devA: { id: string; token: string };
  let devB: { id: string; token: string };
  let teamId: string;
  const ids: Record<string, string> = {};

  const DAY = 86_400_000;
  const at = (days: number) => new Date(Date.now() + days * DAY).toISOString();
  const api = async (method: string, path: string, body?: unknown, token = ws.adminToken) => {
    const r = await h.request(method, path, token, body);
    if (r.status >= 300) throw new Error(`${method} ${path} → ${r.status} ${JSON.stringify(r.body)}`);
    return r.body;
  };
  const q = (text: string, values: unknown[]) => h.deps.pool.query(text, values);

  beforeAll(async () => {
    h = await startHarness();
    ws = await h.workspace();
    manager = await ws.member('MANAGER', { name: 'Manny' });
    auditor = await ws.member('AUDITOR', { name: 'Audra' });
    devA = await ws.member('MEMBER', { name: 'Alice' });
    devB = await ws.member('MEMBER', { name: 'Bob' });
    teamId = (await api('POST', `/workspaces/${ws.id}/teams`, { name: 'Platform', member_ids: [devA.id] }))
      .id;

    // Training: Alice overdue (acknowledged, still overdue); Bob one completed, one due in 3 days.
    const training = async (name: string) =>
      (
        await api('POST', '/compliance/mandatory-training', {
          name,
          applies_to_type: 'INDIVIDUAL',
          applies_to_ids: [],
        })
      ).id as string;
    const t1 = await training('Security awareness');
    const t2 = await training('Privacy basics');
    const assign = async (tid: string, dev: string, days: number) =>
      (
        await api('POST', '/compliance/assignments', {
          mandatory_training_id: tid,
          developer_id: dev,
          due_date: at(days),
        })
      ).id as string;
    ids.aOverdue = await assign(t1, devA.id, -3.5);
    ids.bDone = await assign(t1, devB.id, 20);
    ids.bSoon = await assign(t2, devB.id, 3);
    await api('POST', `/compliance/assignments/${ids.aOverdue}/acknowledge`, {}, devA.token);
    await api('POST', `/compliance/assignments/${ids.bDone}/complete`, {}, devB.token);

    // Certifications: C1 required; Bob's copy expires in 5 days; Alice's expired 10 days ago. C2 optional.
    const c1 = await api('POST', '/compliance/certifications', {
      name: 'Cloud security',
      validity_months: 12,
      is_required: true,
    });
    const c2 = await api('POST', '/compliance/certifications', { name: 'Kubernetes', validity_months: 24 });
    ids.c1 = c1.id;
    const held = async (dev: string, cert: string, issued: number, expiry: number) =>
      (
        await api('POST', '/compliance/developer-certifications', {
          developer_id: dev,
          certification_id: cert,
          issued_date: at(issued),
          expiry_date: at(expiry),
        })
      ).id as string;
    ids.bC1 = await held(devB.id, c1.id, -360, 5.5);
    ids.aC1 = await held(devA.id, c1.id, -400, -10.5);
    ids.aC2 = await held(devA.id, c2.id, -100, 20.5);

    // Reminder instances: Alice's acknowledged but 2 days past due; Bob's completed; Bob's upcoming.
    const rem = await q(
      `INSERT INTO reminders (id, workspace_id, title, frequency, start_date)
       VALUES (gen_random_uuid(), $1, 'Quarterly access review', 'QUARTERLY', now()) RETURNING id`,
      [ws.id],
    );
    ids.reminder = rem.rows[0].id;
    const inst = async (owner: string, days: number, status: string, extra = '') =>
      (
        await q(
          `INSERT INTO reminder_instances (id, workspace_id, reminder_id, due_date, status, assigned_owner_id
             ${extra ? ', acknowledged_at, completed_at' : ''})
           VALUES (gen_random_uuid(), $1, $2, $3, $4, $5 ${extra ? `, ${extra}` : ''}) RETURNING id`,
          [ws.id, ids.reminder, at(days), status, owner],
        )
      ).rows[0].id as string;
    ids.iA = await inst(devA.id, -2.5, 'ACKNOWLEDGED', 'now(), NULL');
    ids.iBDone = await inst(devB.id, -1.5, 'COMPLETED', 'now(), now()');
    ids.iBNext = await inst(devB.id, 10, 'PENDING');

    // Policies: Alice's request OVERDUE (5 days), Bob's ACKNOWLEDGED; one version awaiting approval.
    const pol = await q(
      `INSERT INTO policies (id, workspace_id, name) VALUES (gen_random_uuid(), $1, 'Acceptable use') RETURNING id`,
      [ws.id],
    );
    ids.policy = pol.rows[0].id;
    await q(
      `INSERT INTO policy_versions (id, workspace_id, policy_id, number, content, content_sha256, status)
       VALUES (gen_random_uuid(), $1, $2, 1, 'text', 'sha', 'PENDING_APPROVAL')`,
      [ws.id, ids.policy],
    );
    const req = async (member: string, status: string, days: number) =>
      (
        await q(
          `INSERT INTO acknowledgement_requests (id, workspace_id, member_id, policy_id, policy_version_id, due_at, status, acknowledged_at)
           VALUES (gen_random_uuid(), $1, $2, $3, gen_random_uuid(), $4, $5, $6) RETURNING id`,
          [
            ws.id,
            member,
            ids.policy,
            at(days),
            status,
            status === 'ACKNOWLEDGED' ? new Date().toISOString() : null,
          ],
        )
      ).rows[0].id as string;
    ids.ackA = await req(devA.id, 'OVERDUE', -5.5);
    ids.ackB = await req(devB.id, 'ACKNOWLEDGED', 10);

    await api('POST', `/workspaces/${ws.id}/tickets`, { title: 'Laptop lost' });
  });
  afterAll(() => h.close());

  it('overview: workspace statistics and the compliance score', async () => {
    const o = await api('GET', '/compliance/reports/overview');
    expect(o.members.active).toBe(5);
    // The past-due assignment is PENDING until a sweep (which may run from another
    // test file, across workspaces) marks it OVERDUE; the report counts it overdue either way.
    const { PENDING, OVERDUE, ...others } = o.training.by_status;
    expect(PENDING + OVERDUE).toBe(2);
    expect(others).toEqual({ IN_PROGRESS: 0, COMPLETED: 1, WAIVED: 0 });
    expect(o.training).toMatchObject({ total: 3, overdue: 1, completion_rate: 33.3 });
    expect(o.certifications).toMatchObject({
      total: 3,
      expiring_in_30_days: 2,
      required_certifications: 1,
      members_missing_required: 4,
      required_coverage_rate: 20,
    });
    // flag-overdue-reminders (possibly run by another test file) may turn the
    // acknowledged past-due instance OVERDUE; either way it is counted overdue.
    const rs = o.reminders.by_status;
    expect([rs.ACKNOWLEDGED + rs.OVERDUE, rs.COMPLETED, rs.PENDING]).toEqual([1, 1, 1]);
    expect(o.reminders).toMatchObject({
      total: 3,
      overdue: 1,
      completion_rate: 50,
    });
    // The reminders dashboard reports the same rate on the same scale (percent, 0–100).
    const dash = await api('GET', `/workspaces/${ws.id}/reminders/dashboard/stats`);
    expect(dash.instances.completion_rate).toBe(o.reminders.completion_rate);
    expect(o.policies).toEqual({
      requests_by_status: { PENDING: 0, ACKNOWLEDGED: 1, OVERDUE: 1, CANCELLED: 0 },
      overdue_requests: 1,
      members_requested: 2,
      members_fully_acknowledged: 1,
      members_fully_acknowledged_rate: 50,
      acknowledgement_rate: 50,
      policies_pending_approval: 1,
    });
    expect(o.tickets).toMatchObject({ open: 1, escalated: 0 });
    expect(o.tickets.by_status.OPEN).toBe(1);
    // mean(33.3, 20, 50, 50), one decimal like every rate
    expect(o.compliance_score).toBe(38.3);

    expect((await h.request('GET', '/compliance/reports/overview', manager.token)).status).toBe(200);
    expect((await h.request('GET', '/compliance/reports/overview', auditor.token)).status).toBe(200);
    expect((await h.request('GET', '/compliance/reports/overview', devA.token)).status).toBe(403);
    expect((await h.request('GET', '/compliance/reports/overview', null)).status).toBe(401);
  });

  it('developer: NON_COMPLIANT, AT_RISK and COMPLIANT members', async () => {
    const a = await api('GET', `/compliance/reports/developer/${devA.id}`);
    expect(a.status).toBe('NON_COMPLIANT');
    expect(a.developer).toMatchObject({ id: devA.id, name: 'Alice' });
    expect(a.assignments).toEqual([
      expect.objectContaining({
        id: ids.aOverdue,
        is_overdue: true,
        days_until_due: -3,
        status: expect.stringMatching(/^(PENDING|OVERDUE)$/),
      }),
    ]);
    expect(a.assignments[0].acknowledged_at).toBeTruthy();
    expect(a.missing_required_certifications).toEqual([
      { certification_id: ids.c1, name: 'Cloud security', reason: 'EXPIRED' },
    ]);
    const aC1 = a.certifications.find((c: { id: string }) => c.id === ids.aC1);
    expect(aC1).toMatchObject({
      is_required: true,
      is_expired: true,
      is_expiring_soon: false,
      days_until_expiry: -10,
    });
    const aC2 = a.certifications.find((c: { id: string }) => c.id === ids.aC2);
    expect(aC2).toMatchObject({
      is_required: false,
      is_expired: false,
      is_expiring_soon: true,
      days_until_expiry: 21,
    });
    expect(a.open_reminder_instances).toEqual([
      expect.objectContaining({
        id: ids.iA,
        status: expect.stringMatching(/^(ACKNOWLEDGED|OVERDUE)$/),
        is_overdue: true,
        days_until_due: -2,
      }),
    ]);
    expect(a.policy_acknowledgements).toMatchObject({
      pending: 1,
      acknowledged: 0,
      overdue: 1,
      fully_acknowledged: false,
    });

    // Bob: an assignment due in 3 days and a required certification expiring in 5.
    const b = await api('GET', `/compliance/reports/developer/${devB.id}`, undefined, devB.token);
    expect(b.status).toBe('AT_RISK');
    expect(b.missing_required_certifications).toEqual([]);
    expect(b.assignments.map((x: { id: string }) => x.id).sort()).toEqual([ids.bDone, ids.bSoon].sort());
    expect(b.open_reminder_instances.map((x: { id: string }) => x.id)).toEqual([ids.iBNext]);
    expect(b.policy_acknowledgements).toMatchObject({
      pending: 0,
      acknowledged: 1,
      fully_acknowledged: true,
    });

    // The auditor holds nothing required: missing → NON_COMPLIANT.
    const au = await api('GET', `/compliance/reports/developer/${auditor.id}`);
    expect(au.status).toBe('NON_COMPLIANT');
    expect(au.missing_required_certifications).toEqual([
      { certification_id: ids.c1, name: 'Cloud security', reason: 'NOT_HELD' },
    ]);

    // A member holding the required certification well ahead of expiry, with nothing due: COMPLIANT.
    const devC = await ws.member('MEMBER', { name: 'Carol' });
    await api('POST', '/compliance/developer-certifications', {
      developer_id: devC.id,
      certification_id: ids.c1,
      issued_date: at(-10),
      expiry_date: at(100),
    });
    const c = await api('GET', `/compliance/reports/developer/${devC.id}`, undefined, devC.token);
    expect(c).toMatchObject({ status: 'COMPLIANT', missing_required_certifications: [], assignments: [] });
    expect(c.certifications[0]).toMatchObject({ is_expired: false, is_expiring_soon: false });
  });

  it('developer: a member reads only their own (another’s is 404); another workspace’s id is 404', async () => {
    expect((await h.request('GET', `/compliance/reports/developer/${devB.id}`, devA.token)).status).toBe(404);
    expect((await h.request('GET', `/compliance/reports/developer/${devA.id}`, devA.token)).status).toBe(200);
    expect((await h.request('GET', `/compliance/reports/developer/${devA.id}`, auditor.token)).status).toBe(
      200,
    );
    const other = await h.workspace();
    expect(
      (await h.request('GET', `/compliance/reports/developer/${devA.id}`, other.adminToken)).status,
    ).toBe(404);
    expect(
      (await h.request('GET', `/compliance/reports/developer/${other.adminId}`, ws.adminToken)).status,
    ).toBe(404);
    expect((await h.request('GET', '/compliance/reports/developer/not-a-uuid', ws.adminToken)).status).toBe(
      400,
    );
    // The other workspace sees none of this one's data.
    const o = await api('GET', '/compliance/reports/overview', undefined, other.adminToken);
    expect(o).toMatchObject({ members: { active: 1 }, training: { total: 0 }, compliance_score: 100 });
    expect((await api('GET', '/compliance/reports/overdue', undefined, other.adminToken)).data).toEqual([]);
  });

  it('overdue: every kind, most overdue first, with filters and a bound', async () => {
    const r = await api('GET', '/compliance/reports/overdue');
    expect(
      r.data.map((x: { kind: string; id: string; days_overdue: number }) => [x.kind, x.id, x.days_overdue]),
    ).toEqual([
      ['member_certification', ids.aC1, 10],
      ['acknowledgement_request', ids.ackA, 5],
      ['training_assignment', ids.aOverdue, 3],
      ['reminder_instance', ids.iA, 2],
    ]);
    expect(r.data[0]).toMatchObject({
      title: 'Cloud security',
      owner_id: devA.id,
      owner_name: 'Alice',
      escalation_level: null,
    });
    expect(r.data[2].title).toBe('Security awareness');
    expect(r).toMatchObject({ count: 4, truncated: false });

    const kind = await api('GET', '/compliance/reports/overdue?kind=training_assignment');
    expect(kind.data.map((x: { id: string }) => x.id)).toEqual([ids.aOverdue]);
    expect((await api('GET', `/compliance/reports/overdue?owner_id=${devB.id}`)).data).toEqual([]);
    expect((await api('GET', `/compliance/reports/overdue?team_id=${teamId}`)).count).toBe(4);
    const limited = await api('GET', '/compliance/reports/overdue?limit=2');
    expect(limited).toMatchObject({ count: 2, truncated: true });
    expect(limited.data[0].id).toBe(ids.aC1);

    expect((await h.request('GET', '/compliance/reports/overdue?limit=1001', ws.adminToken)).status).toBe(
      400,
    );
    expect((await h.request('GET', '/compliance/reports/overdue?kind=nope', ws.adminToken)).status).toBe(400);
    expect((await h.request('GET', '/compliance/reports/overdue', devA.token)).status).toBe(403);
  });

  it('expiring-certifications: within days_ahead, soonest first', async () => {
    const r = await api('GET', '/compliance/reports/expiring-certifications', undefined, auditor.token);
    expect(r.days_ahead).toBe(30);
    expect(
      r.data.map((x: { id: string; days_until_expiry: number; is_required: boolean }) => [
        x.id,
        x.days_until_expiry,
        x.is_required,
      ]),
    ).toEqual([
      [ids.bC1, 6, true],
      [ids.aC2, 21, false],
    ]);
    expect(r.data[0]).toMatchObject({
      developer_id: devB.id,
      developer_name: 'Bob',
      certification_name: 'Cloud security',
    });
    const week = await api('GET', '/compliance/reports/expiring-certifications?days_ahead=7');
    expect(week.data.map((x: { id: string }) => x.id)).toEqual([ids.bC1]);
    for (const bad of ['0', '366', 'x'])
      expect(
        (
          await h.request(
            'GET',
            `/compliance/reports/expiring-certifications?days_ahead=${bad}`,
            ws.adminToken,
          )
        ).status,
      ).toBe(400);
    expect((await h.request('GET', '/compliance/reports/expiring-certifications', devB.token)).status).toBe(
      403,
    );
  });
});
