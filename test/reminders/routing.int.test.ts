import { eventually, type Harness, startHarness, type TestWorkspace } from '../harness';

interface Instance {
  id: string;
  status: string;
  assigned_owner_id: string | null;
  assigned_team_id: string | null;
  routed_via: string | null;
}

describe('routing strategies through the API, with backups and offboarding', () => {
  let h: Harness;
  let ws: TestWorkspace;

  beforeAll(async () => {
    h = await startHarness({ worker: true });
    ws = await h.workspace();
  });
  afterAll(() => h.close());

  const post = (path: string, body: unknown) =>
    h.request('POST', `/workspaces/${ws.id}${path}`, ws.adminToken, body);

  /** A ONCE reminder due in 10 minutes with a one-hour lead time: its instance is materialized at once. */
  async function instanceFor(fields: Record<string, unknown>): Promise<Instance> {
    const r = await post('/reminders', {
      title: `Routing ${Math.random().toString(36).slice(2, 8)}`,
      frequency: 'ONCE',
      start_date: new Date(Date.now() + 600_000).toISOString(),
      notification_config: { lead_time: 'PT1H' },
      ...fields,
    });
    expect(r.status).toBe(201);
    return eventually(async () => {
      const res = await h.request(
        'GET',
        `/workspaces/${ws.id}/reminders/${r.body.id}/instances`,
        ws.adminToken,
      );
      return (res.body.data as Instance[])[0];
    });
  }

  async function team(name: string, memberIds: string[], extra: Record<string, unknown> = {}) {
    const t = await post('/teams', { name, member_ids: memberIds, ...extra });
    expect(t.status).toBe(201);
    return t.body.id as string;
  }

  it('FIXED: the default owner; an inactive default owner falls back to the default team', async () => {
    const a = await ws.member();
    const b = await ws.member();
    const teamId = await team('Fixed team', [b.id]);
    const i = await instanceFor({
      assignment_strategy: 'FIXED',
      default_owner_id: a.id,
      default_team_id: teamId,
    });
    expect(i.assigned_owner_id).toBe(a.id);
    await h.request('PATCH', `/workspaces/${ws.id}/members/${a.id}`, ws.adminToken, { status: 'INACTIVE' });
    const j = await instanceFor({
      assignment_strategy: 'FIXED',
      default_owner_id: a.id,
      default_team_id: teamId,
    });
    expect(j.assigned_owner_id).toBe(b.id);
  });

  it('ROUND_ROBIN: consecutive instances go to successive team members (cursor persisted)', async () => {
    const a = await ws.member();
    const b = await ws.member();
    const teamId = await team('RR team', [a.id, b.id]);
    const owners = [];
    for (let k = 0; k < 3; k++) {
      owners.push(
        (await instanceFor({ assignment_strategy: 'ROUND_ROBIN', default_team_id: teamId }))
          .assigned_owner_id,
      );
    }
    expect(new Set(owners.slice(0, 2))).toEqual(new Set([a.id, b.id]));
    expect(owners[2]).toBe(owners[0]);
  });

  it('ON_CALL: the member on call at the due date', async () => {
    const a = await ws.member();
    const b = await ws.member();
    const teamId = await team('On call', [a.id, b.id], {
      on_call: {
        member_ids: [b.id, a.id],
        period_days: 7,
        starts_at: new Date(Date.now() - 3_600_000).toISOString(),
      },
    });
    const i = await instanceFor({ assignment_strategy: 'ON_CALL', default_team_id: teamId });
    expect(i).toMatchObject({ assigned_owner_id: b.id, assigned_team_id: teamId, routed_via: 'ON_CALL' });
  });

  it('DOMAIN_MAPPING: control owner (backup when the primary is inactive), then the domain team', async () => {
    const primary = await ws.member();
    const backup = await ws.member();
    const co = await post('/reminders/control-owners', {
      control_id: 'CC6.1',
      domain: 'security',
      primary_owner_id: primary.id,
      backup_owner_id: backup.id,
    });
    expect(co.status).toBe(201);
    const i = await instanceFor({
      assignment_strategy: 'DOMAIN_MAPPING',
      control_id: 'CC6.1',
      domain: 'Security',
    });
    expect(i).toMatchObject({ assigned_owner_id: primary.id, routed_via: 'CONTROL_OWNER_PRIMARY' });
    await h.request('PATCH', `/workspaces/${ws.id}/members/${primary.id}`, ws.adminToken, {
      status: 'INACTIVE',
    });
    const j = await instanceFor({
      assignment_strategy: 'DOMAIN_MAPPING',
      control_id: 'CC6.1',
      domain: 'security',
    });
    expect(j).toMatchObject({ assigned_owner_id: backup.id, routed_via: 'CONTROL_OWNER_BACKUP' });

    const f = await ws.member();
    const financeTeam = await team('Finance', [f.id]);
    const m = await post('/reminders/domain-team-mappings', {
      domain: 'finance',
      team_id: financeTeam,
      priority: 1,
    });
    expect(m.status).toBe(201);
    const k = await instanceFor({ assignment_strategy: 'DOMAIN_MAPPING', domain: 'finance' });
    expect(k).toMatchObject({
      assigned_owner_id: f.id,
      assigned_team_id: financeTeam,
      routed_via: 'DOMAIN_TEAM',
    });
  });

  it('CUSTOM_RULE: the first matching active rule by priority', async () => {
    const auditOwner = await ws.member();
    const other = await ws.member();
    const low = await post('/reminders/assignment-rules', {
      name: 'Audit to other (lower priority)',
      priority: 20,
      rule_config: { conditions: { category: ['AUDIT'] }, assign: { owner_id: other.id } },
    });
    const high = await post('/reminders/assignment-rules', {
      name: 'Critical audits',
      priority: 10,
      rule_config: {
        conditions: { category: ['AUDIT'], priority: ['CRITICAL'] },
        assign: { owner_id: auditOwner.id },
      },
    });
    expect([low.status, high.status]).toEqual([201, 201]);
    const i = await instanceFor({
      assignment_strategy: 'CUSTOM_RULE',
      category: 'AUDIT',
      priority: 'CRITICAL',
    });
    expect(i).toMatchObject({ assigned_owner_id: auditOwner.id, routed_via: `RULE:${high.body.id}` });
    const j = await instanceFor({ assignment_strategy: 'CUSTOM_RULE', category: 'AUDIT', priority: 'LOW' });
    expect(j.assigned_owner_id).toBe(other.id);
    const bad = await post('/reminders/assignment-rules', {
      name: 'Broken',
      rule_config: { conditions: {}, assign: {} },
    });
    expect(bad.status).toBe(400);
  });

  it('nobody to assign: the instance is unassigned and the admins are alerted', async () => {
    const i = await instanceFor({ assignment_strategy: 'FIXED' });
    expect(i).toMatchObject({ assigned_owner_id: null, routed_via: 'UNASSIGNED' });
    const outbox = await eventually(async () => {
      const res = await h.request(
        'GET',
        `/workspaces/${ws.id}/notifications?obligation_id=${i.id}`,
        ws.adminToken,
      );
      return (res.body.data as Array<{ recipient_id: string }>).length > 0 && res.body.data;
    });
    expect(outbox.map((n: { recipient_id: string }) => n.recipient_id)).toContain(ws.adminId);
  });

  it('offboarding moves open instances and control ownership to the backup, audited', async () => {
    const primary = await ws.member();
    const backup = await ws.member();
    const co = await post('/reminders/control-owners', {
      control_id: 'CC7.2',
      primary_owner_id: primary.id,
      backup_owner_id: backup.id,
    });
    const i = await instanceFor({ assignment_strategy: 'DOMAIN_MAPPING', control_id: 'CC7.2' });
    expect(i.assigned_owner_id).toBe(primary.id);
    const off = await post(`/members/${primary.id}/offboard`, { reason: 'left' });
    expect(off.status).toBe(200);
    const instances = await h.request('GET', `/workspaces/${ws.id}/reminders/control-owners`, ws.adminToken);
    const row = (
      instances.body.data as Array<{ id: string; primary_owner_id: string; backup_owner_id: string }>
    ).find((r) => r.id === co.body.id);
    expect(row).toMatchObject({ primary_owner_id: backup.id, backup_owner_id: null });
    const mine = await h.request('GET', `/workspaces/${ws.id}/reminders/my-reminders`, backup.token);
    expect((mine.body.data as Instance[]).map((x) => x.id)).toContain(i.id);
    const log = await h.request(
      'GET',
      `/compliance/audit-logs?target_id=${i.id}&action_type=INSTANCE_REASSIGNED`,
      ws.adminToken,
    );
    expect(log.status).toBe(200);
    expect(log.body.data.length).toBe(1);
  });

  it('manual reassign notifies the new owner; bulk assign answers per id', async () => {
    const a = await ws.member();
    const b = await ws.member();
    const i = await instanceFor({ default_owner_id: a.id });
    const r = await post(`/reminders/instances/${i.id}/reassign`, { owner_id: b.id, reason: 'holiday' });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ assigned_owner_id: b.id, routed_via: 'MANUAL' });
    const outbox = await h.request(
      'GET',
      `/workspaces/${ws.id}/notifications?obligation_id=${i.id}`,
      ws.adminToken,
    );
    expect((outbox.body.data as Array<{ recipient_id: string }>).map((n) => n.recipient_id)).toContain(b.id);
    // A member may not reassign.
    const denied = await h.request(
      'POST',
      `/workspaces/${ws.id}/reminders/instances/${i.id}/reassign`,
      b.token,
      {
        owner_id: b.id,
      },
    );
    expect(denied.status).toBe(403);

    const missing = '019999ff-0000-7000-8000-000000000000';
    const res = await post('/reminders/bulk/assign', { instance_ids: [i.id, missing], owner_id: a.id });
    expect(res.status).toBe(200);
    expect(res.body.results).toEqual([
      { id: i.id, ok: true },
      expect.objectContaining({ id: missing, ok: false, status: 404 }),
    ]);
    const tooMany = await post('/reminders/bulk/complete', {
      instance_ids: Array.from({ length: 1001 }, () => missing),
    });
    expect(tooMany.status).toBe(400);
    const done = await post('/reminders/bulk/complete', { instance_ids: [i.id], notes: 'batch' });
    expect(done.body).toMatchObject({ succeeded: 1, failed: 0 });
  });
});
