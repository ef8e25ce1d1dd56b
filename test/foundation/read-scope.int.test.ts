import { type Harness, startHarness, type TestWorkspace } from '../harness';

/**
 * Read scoping by role (people/visibility.ts). Admins, approvers and auditors read every member's
 * items; anyone else reads their own, those of the people they manage (direct and indirect reports)
 * and those of the members of the teams they lead. The org:
 *
 *   boss (MANAGER) ─ report ─ subReport        lead leads Platform = { mate }
 *   mate ─ mateReport (not in Platform)        outsider (nobody's)
 *
 * Every one of them owns a training assignment, a held certification, a reminder instance, an
 * overdue acknowledgement request and a notification; one more instance is assigned to Platform
 * alone. Instances, requests and notifications (which only workflows create) are inserted directly.
 */
type Person = { id: string; token: string };
const PEOPLE = ['boss', 'report', 'subReport', 'lead', 'mate', 'mateReport', 'outsider'] as const;
type Name = (typeof PEOPLE)[number];
const SCOPE: Record<Name, Name[]> = {
  boss: ['boss', 'report', 'subReport'],
  report: ['report', 'subReport'],
  subReport: ['subReport'],
  lead: ['lead', 'mate'],
  mate: ['mate', 'mateReport'],
  mateReport: ['mateReport'],
  outsider: ['outsider'],
};
/** Who reads the instance assigned to Platform only: its lead and members (and the read-all roles). */
const READS_TEAM_ITEM = new Set<Name>(['lead', 'mate']);

describe('read scoping by role', () => {
  let h: Harness;
  let ws: TestWorkspace;
  const p = {} as Record<Name, Person>;
  let auditor: Person;
  let approver: Person;
  let trainingId: string;
  let requiredCertId: string;
  let reminderId: string;
  let teamInstanceId: string;
  const assignment = {} as Record<Name, string>;
  const instance = {} as Record<Name, string>;

  const DAY = 86_400_000;
  const at = (days: number) => new Date(Date.now() + days * DAY).toISOString();
  const q = (text: string, values: unknown[]) => h.deps.pool.query(text, values);
  const get = async (path: string, token: string) => {
    const r = await h.request('GET', path, token);
    if (r.status !== 200) throw new Error(`GET ${path} → ${r.status} ${JSON.stringify(r.body)}`);
    return r.body;
  };
  const post = async (path: string, body: unknown) => {
    const r = await h.request('POST', path, ws.adminToken, body);
    if (r.status >= 300) throw new Error(`POST ${path} → ${r.status} ${JSON.stringify(r.body)}`);
    return r.body;
  };
  const idsOf = (names: Iterable<Name>) => [...names].map((n) => p[n].id).sort();
  const sorted = (xs: Array<string | null>) => [...xs].sort();
  /** Every viewer with the owners it should read: the seven people, then the read-all roles. */
  const viewers = (): Array<{ who: string; token: string; sees: Name[]; all: boolean }> => [
    ...PEOPLE.map((n) => ({ who: n, token: p[n].token, sees: SCOPE[n], all: false })),
    ...[
      ['admin', ws.adminToken],
      ['auditor', auditor.token],
      ['approver', approver.token],
    ].map(([who, token]) => ({ who: who as string, token: token as string, sees: [...PEOPLE], all: true })),
  ];

  beforeAll(async () => {
    h = await startHarness();
    ws = await h.workspace();
    p.boss = await ws.member('MANAGER', { name: 'Boss' });
    p.report = await ws.member('MEMBER', { name: 'Report', manager_id: p.boss.id });
    p.subReport = await ws.member('MEMBER', { name: 'Sub-report', manager_id: p.report.id });
    p.lead = await ws.member('MEMBER', { name: 'Lead' });
    p.mate = await ws.member('MEMBER', { name: 'Mate' });
    p.mateReport = await ws.member('MEMBER', { name: 'Mate report', manager_id: p.mate.id });
    p.outsider = await ws.member('MEMBER', { name: 'Outsider' });
    auditor = await ws.member('AUDITOR');
    approver = await ws.member('APPROVER');
    const team = await post(`/workspaces/${ws.id}/teams`, {
      name: 'Platform',
      lead_id: p.lead.id,
      member_ids: [p.mate.id],
    });

    trainingId = (
      await post('/compliance/mandatory-training', {
        name: 'Security awareness',
        applies_to_type: 'INDIVIDUAL',
        applies_to_ids: [],
      })
    ).id;
    const cert = await post('/compliance/certifications', { name: 'Cloud security', validity_months: 12 });
    requiredCertId = (
      await post('/compliance/certifications', { name: 'Incident response', is_required: true })
    ).id;
    reminderId = (
      await q(
        `INSERT INTO reminders (id, workspace_id, title, frequency, start_date, status)
         VALUES (gen_random_uuid(), $1, 'Access review', 'QUARTERLY', now(), 'PAUSED') RETURNING id`,
        [ws.id],
      )
    ).rows[0].id;
    const policyId = (
      await q(
        `INSERT INTO policies (id, workspace_id, name) VALUES (gen_random_uuid(), $1, 'Acceptable use') RETURNING id`,
        [ws.id],
      )
    ).rows[0].id;
    const versionId = (
      await q(
        `INSERT INTO policy_versions (id, workspace_id, policy_id, number, content, content_sha256, status)
         VALUES (gen_random_uuid(), $1, $2, 1, 'text', 'sha', 'ACTIVE') RETURNING id`,
        [ws.id, policyId],
      )
    ).rows[0].id;
    const insertInstance = async (owner: string | null, team: string | null) =>
      (
        await q(
          `INSERT INTO reminder_instances (id, workspace_id, reminder_id, due_date, status, assigned_owner_id, assigned_team_id)
           VALUES (gen_random_uuid(), $1, $2, $3, 'PENDING', $4, $5) RETURNING id`,
          [ws.id, reminderId, at(-1 - Math.random()), owner, team],
        )
      ).rows[0].id as string;

    for (const n of PEOPLE) {
      const id = p[n].id;
      assignment[n] = (
        await post('/compliance/assignments', {
          mandatory_training_id: trainingId,
          developer_id: id,
          due_date: at(-2),
        })
      ).id;
      await post('/compliance/developer-certifications', {
        developer_id: id,
        certification_id: cert.id,
        issued_date: at(-300),
        expiry_date: at(10),
      });
      instance[n] = await insertInstance(id, null);
      await q(
        `INSERT INTO acknowledgement_requests (id, workspace_id, member_id, policy_id, policy_version_id, due_at, status)
         VALUES (gen_random_uuid(), $1, $2, $3, $4, $5, 'OVERDUE')`,
        [ws.id, id, policyId, versionId, at(-3)],
      );
      await q(
        `INSERT INTO notifications (id, workspace_id, dedupe_key, channel, recipient_id, template, subject, body, status)
         VALUES (gen_random_uuid(), $1, $2, 'log', $3, 'test', 'Hello', 'Body', 'SENT')`,
        [ws.id, `read-scope/${id}`, id],
      );
    }
    teamInstanceId = await insertInstance(null, team.id);
  });
  afterAll(() => h.close());

  it('training assignments: each caller lists exactly the owners in scope; one out of scope is 404', async () => {
    for (const v of viewers()) {
      const page = await get(
        `/compliance/assignments?mandatory_training_id=${trainingId}&limit=500`,
        v.token,
      );
      const owners = page.data.map((a: { developer_id: string }) => a.developer_id);
      expect([v.who, sorted(owners)]).toEqual([v.who, idsOf(v.sees)]);
      for (const n of PEOPLE) {
        const one = await h.request('GET', `/compliance/assignments/${assignment[n]}`, v.token);
        expect([v.who, n, one.status]).toEqual([v.who, n, v.sees.includes(n) ? 200 : 404]);
        if (one.status === 200) expect(one.body).toMatchObject({ developer_id: p[n].id, is_overdue: true });
      }
    }
    // A filter naming someone outside the scope is an empty page.
    const none = await get(`/compliance/assignments?developer_id=${p.outsider.id}`, p.boss.token);
    expect(none).toEqual({ data: [], next_cursor: null });
    const other = await h.workspace();
    expect(
      (await h.request('GET', `/compliance/assignments/${assignment.boss}`, other.adminToken)).status,
    ).toBe(404);
  });

  it('held certifications and missing required holders follow the scope', async () => {
    for (const v of viewers()) {
      const page = await get('/compliance/developer-certifications?limit=500', v.token);
      const owners = page.data.map((c: { developer_id: string }) => c.developer_id);
      expect([v.who, sorted(owners)]).toEqual([v.who, idsOf(v.sees)]);
      const defs = await get('/compliance/certifications', v.token);
      const required = defs.data.find((c: { id: string }) => c.id === requiredCertId);
      // The count covers every active member; the ids only those the caller reads.
      expect(required.stats.missing_required_count).toBe(PEOPLE.length + 3);
      const missing = required.stats.missing_required_developer_ids as string[];
      if (v.all) expect(missing).toEqual(expect.arrayContaining(idsOf(PEOPLE)));
      else expect([v.who, sorted(missing)]).toEqual([v.who, idsOf(v.sees)]);
    }
    const mine = await get(`/compliance/developer-certifications?developer_id=${p.report.id}`, p.boss.token);
    expect(mine.data).toHaveLength(1);
    expect(mine.missing_required).toEqual([{ certification_id: requiredCertId, name: 'Incident response' }]);
    const outside = await get(`/compliance/developer-certifications?developer_id=${p.lead.id}`, p.boss.token);
    expect(outside).toEqual({ data: [], next_cursor: null });
  });

  it('reminder instances: a reminder’s instances, its recent ones, the calendar and the dashboard', async () => {
    const base = `/workspaces/${ws.id}/reminders`;
    const from = encodeURIComponent(at(-30));
    const to = encodeURIComponent(at(30));
    for (const v of viewers()) {
      const expected = [
        ...v.sees.map((n) => instance[n]),
        ...(v.all || READS_TEAM_ITEM.has(v.who as Name) ? [teamInstanceId] : []),
      ].sort();
      const listed = await get(`${base}/${reminderId}/instances?limit=200`, v.token);
      expect([v.who, sorted(listed.data.map((i: { id: string }) => i.id))]).toEqual([v.who, expected]);
      const one = await get(`${base}/${reminderId}`, v.token);
      expect([v.who, sorted(one.instances.map((i: { id: string }) => i.id))]).toEqual([v.who, expected]);
      const cal = await get(`${base}/calendar?from=${from}&to=${to}`, v.token);
      expect([v.who, sorted(cal.instances.map((i: { id: string }) => i.id))]).toEqual([v.who, expected]);
      const stats = await get(`${base}/dashboard/stats`, v.token);
      expect([v.who, stats.instances.total, stats.instances.overdue]).toEqual([
        v.who,
        expected.length,
        expected.length,
      ]);
      expect(stats.reminders.total).toBe(1);
    }
    const filtered = await get(`${base}/${reminderId}/instances?owner_id=${p.outsider.id}`, p.lead.token);
    expect(filtered.data).toEqual([]);
  });

  it('acknowledgement status and history: in scope 200, out of scope 404', async () => {
    for (const v of viewers()) {
      for (const n of PEOPLE) {
        const want = v.sees.includes(n) ? 200 : 404;
        const status = await h.request('GET', `/api/acknowledge/status?employee_id=${p[n].id}`, v.token);
        const history = await h.request('GET', `/api/employees/${p[n].id}/acknowledgement`, v.token);
        expect([v.who, n, status.status, history.status]).toEqual([v.who, n, want, want]);
        if (want === 200) {
          expect(status.body.data).toEqual([expect.objectContaining({ status: 'OVERDUE' })]);
          expect(history.body.data).toEqual([expect.objectContaining({ member_id: p[n].id })]);
        }
      }
    }
    // The caller's own status needs no employee_id.
    const own = await get('/api/acknowledge/status', p.outsider.token);
    expect(own.employee_id).toBe(p.outsider.id);
  });

  it('notifications: admins, approvers and auditors read the outbox; anyone else their own messages', async () => {
    for (const v of viewers()) {
      const page = await get(`/workspaces/${ws.id}/notifications?limit=500`, v.token);
      const to = page.data.map((n: { recipient_id: string }) => n.recipient_id);
      if (v.all) expect(to).toEqual(expect.arrayContaining(idsOf(PEOPLE)));
      // A manager does not read the messages sent to their reports.
      else expect([v.who, [...new Set(to)]]).toEqual([v.who, [p[v.who as Name].id]]);
    }
    const others = await get(`/workspaces/${ws.id}/notifications?recipient_id=${p.report.id}`, p.boss.token);
    expect(others.data).toEqual([]);
  });

  it('reports: a member’s status, the overdue list and expiring certifications follow the scope', async () => {
    for (const v of viewers()) {
      for (const n of PEOPLE) {
        const r = await h.request('GET', `/compliance/reports/developer/${p[n].id}`, v.token);
        expect([v.who, n, r.status]).toEqual([v.who, n, v.sees.includes(n) ? 200 : 404]);
      }
    }
    // The list reports are for managers, admins and auditors; a manager's lists are their scope.
    const overdue = await get('/compliance/reports/overdue?limit=1000', p.boss.token);
    const byKind = (kind: string) =>
      sorted(
        overdue.data
          .filter((x: { kind: string }) => x.kind === kind)
          .map((x: { owner_id: string }) => x.owner_id),
      );
    for (const kind of ['training_assignment', 'reminder_instance', 'acknowledgement_request'])
      expect([kind, byKind(kind)]).toEqual([kind, idsOf(SCOPE.boss)]);
    const all = await get('/compliance/reports/overdue?limit=1000', auditor.token);
    expect(all.data.map((x: { id: string }) => x.id)).toEqual(expect.arrayContaining([teamInstanceId]));
    expect(all.count).toBe(PEOPLE.length * 3 + 1);
    const expiring = await get('/compliance/reports/expiring-certifications', p.boss.token);
    expect(sorted(expiring.data.map((x: { developer_id: string }) => x.developer_id))).toEqual(
      idsOf(SCOPE.boss),
    );
    const everyone = await get('/compliance/reports/expiring-certifications', ws.adminToken);
    expect(everyone.count).toBe(PEOPLE.length);
    expect((await h.request('GET', '/compliance/reports/overdue', p.lead.token)).status).toBe(403);
  });

  it('a reporting loop written behind the API’s back still ends the scope query', async () => {
    // The API refuses loops (400 on manager_id); the query must end even so.
    await q('UPDATE members SET manager_id = $1 WHERE id = $2', [p.subReport.id, p.boss.id]);
    try {
      for (const n of ['boss', 'report', 'subReport'] as const) {
        const page = await get(`/compliance/assignments?mandatory_training_id=${trainingId}`, p[n].token);
        const owners = page.data.map((a: { developer_id: string }) => a.developer_id);
        expect([n, sorted(owners)]).toEqual([n, idsOf(SCOPE.boss)]);
      }
    } finally {
      await q('UPDATE members SET manager_id = NULL WHERE id = $1', [p.boss.id]);
    }
  });
});
