import { type Harness, startHarness, type TestWorkspace } from '../harness';

interface Change {
  area: string;
  target_type: string;
  target_id: string;
  label: string;
  action: string;
  to_member_id: string | null;
}

describe('offboarding preview and the token list', () => {
  let h: Harness;
  let ws: TestWorkspace;
  let other: TestWorkspace;

  beforeAll(async () => {
    h = await startHarness();
    ws = await h.workspace();
    other = await h.workspace();
  });
  afterAll(() => h.close());

  const call = (method: string, path: string, token = ws.adminToken, body?: unknown) =>
    h.request(method, `/workspaces/${ws.id}${path}`, token, body);

  it('lists what offboarding would change, changes nothing, and offboarding then does it', async () => {
    const leaver = await ws.member('MANAGER', { name: 'Leaving Lead' });
    const backup = await ws.member();
    const report = await ws.member('MEMBER', { manager_id: leaver.id, name: 'Direct Report' });
    const co = await call('POST', '/reminders/control-owners', ws.adminToken, {
      control_id: 'CC6.1',
      primary_owner_id: leaver.id,
      backup_owner_id: backup.id,
    });
    expect(co.status).toBe(201);
    const team = await call('POST', '/teams', ws.adminToken, { name: 'Led team', lead_id: leaver.id });
    expect(team.status).toBe(201);
    expect((await call('PATCH', '/settings', ws.adminToken, { director_contact_id: leaver.id })).status).toBe(
      200,
    );

    const preview = await call('GET', `/members/${leaver.id}/offboarding-preview`);
    expect(preview.status).toBe(200);
    expect(preview.body.already_offboarded).toBe(false);
    const changes = preview.body.changes as Change[];
    const by = (type: string) => changes.filter((c) => c.target_type === type);
    expect(by('control_owner')).toEqual([
      expect.objectContaining({ target_id: co.body.id, action: 'REASSIGN', to_member_id: backup.id }),
    ]);
    expect(by('token').map((c) => c.action)).toEqual(['REVOKE']);
    expect(by('member')).toEqual([expect.objectContaining({ target_id: report.id, action: 'STAYS' })]);
    expect(by('team')).toEqual([expect.objectContaining({ target_id: team.body.id, action: 'STAYS' })]);
    expect(by('settings').map((c) => c.label)).toEqual(['Director escalation contact (L3)']);

    // Read-only: the control owner and the token are untouched.
    const owners = await call('GET', '/reminders/control-owners');
    expect(owners.body.data.find((r: { id: string }) => r.id === co.body.id)).toMatchObject({
      primary_owner_id: leaver.id,
      backup_owner_id: backup.id,
    });
    expect((await call('GET', '/tokens', leaver.token)).status).toBe(200);

    expect((await call('POST', `/members/${leaver.id}/offboard`, ws.adminToken, {})).status).toBe(200);
    const after = await call('GET', '/reminders/control-owners');
    expect(after.body.data.find((r: { id: string }) => r.id === co.body.id)).toMatchObject({
      primary_owner_id: backup.id,
      backup_owner_id: null,
    });
    const again = await call('GET', `/members/${leaver.id}/offboarding-preview`);
    expect(again.body.already_offboarded).toBe(true);
    expect((again.body.changes as Change[]).filter((c) => c.action !== 'STAYS')).toEqual([]);
  });

  it('lists the open acknowledgement requests offboarding cancels', async () => {
    const leaver = await ws.member();
    await call('PATCH', '/settings', ws.adminToken, { policy_approver_id: ws.adminId });
    const created = await h.request('POST', '/api/policies', ws.adminToken, {
      name: 'Acceptable use',
      content: '# Acceptable use\n',
      applies_to_all: true,
    });
    const policyId = created.body.policy.id as string;
    expect((await h.request('POST', `/api/policies/${policyId}/approve`, ws.adminToken, {})).status).toBe(
      200,
    );
    const event = await h.request('POST', '/api/acknowledgements/events', ws.adminToken, {
      type: 'MANUAL',
      scope: { member_ids: [leaver.id], policy_ids: [policyId] },
    });
    expect(event.status).toBe(201);
    expect(event.body.requested).toBeGreaterThanOrEqual(1);
    const preview = await call('GET', `/members/${leaver.id}/offboarding-preview`);
    const acks = (preview.body.changes as Change[]).filter(
      (c) => c.target_type === 'acknowledgement_request',
    );
    expect(acks).toEqual([
      expect.objectContaining({ area: 'policies', action: 'CANCEL', label: 'Acknowledge Acceptable use' }),
    ]);
  });

  it('is for admins, in their own workspace', async () => {
    const m = await ws.member('MANAGER');
    expect((await call('GET', `/members/${m.id}/offboarding-preview`, m.token)).status).toBe(403);
    const outsider = await other.member();
    expect((await call('GET', `/members/${outsider.id}/offboarding-preview`)).status).toBe(404);
    expect(
      (await h.request('GET', `/workspaces/${other.id}/members/${m.id}/offboarding-preview`, ws.adminToken))
        .status,
    ).toBe(404);
  });

  it('lists tokens without secrets: admins and auditors all, others their own; revoked on request', async () => {
    const a = await ws.member();
    const b = await ws.member();
    const auditor = await ws.member('AUDITOR');
    const made = await call('POST', '/tokens', a.token, { name: 'ci' });
    expect(made.status).toBe(201);

    const own = await call('GET', '/tokens', a.token);
    expect(own.status).toBe(200);
    expect(new Set(own.body.data.map((t: { member_id: string }) => t.member_id))).toEqual(new Set([a.id]));
    const row = own.body.data.find((t: { id: string }) => t.id === made.body.id);
    expect(row).toMatchObject({ name: 'ci', prefix: made.body.prefix, revoked_at: null });
    expect(JSON.stringify(own.body)).not.toContain(made.body.token);
    expect(Object.keys(row)).not.toContain('token_hash');

    expect((await call('GET', `/tokens?member_id=${b.id}`, a.token)).status).toBe(403);
    for (const token of [ws.adminToken, auditor.token]) {
      const all = await call('GET', `/tokens?member_id=${a.id}&limit=200`, token);
      expect(all.status).toBe(200);
      expect(all.body.data.map((t: { id: string }) => t.id)).toContain(made.body.id);
    }
    const everyone = await call('GET', '/tokens?limit=200');
    expect(new Set(everyone.body.data.map((t: { member_id: string }) => t.member_id))).toContain(b.id);

    expect((await call('DELETE', `/tokens/${made.body.id}`, a.token)).status).toBe(200);
    const live = await call('GET', '/tokens', a.token);
    expect(live.body.data.map((t: { id: string }) => t.id)).not.toContain(made.body.id);
    const withRevoked = await call('GET', '/tokens?include_revoked=true', a.token);
    expect(
      withRevoked.body.data.find((t: { id: string }) => t.id === made.body.id).revoked_at,
    ).not.toBeNull();
    expect((await call('GET', '/tokens?include_revoked=maybe', a.token)).status).toBe(400);
  });
});
