import { type Harness, startHarness, type TestWorkspace } from '../harness';

/**
 * GET /api/policies/{policy_id}/acknowledgements: each asked member's standing on one policy, within
 * the caller's read scope; and the team page's completion per policy from the same requests.
 */
describe('acknowledgement status by policy', () => {
  let h: Harness;
  let ws: TestWorkspace;
  let policyId: string;
  let manager: { id: string; token: string };
  let report: { id: string; token: string };
  let stranger: { id: string; token: string };

  beforeAll(async () => {
    h = await startHarness();
    ws = await h.workspace();
    manager = await ws.member('MANAGER', { name: 'Policy Manager' });
    report = await ws.member('MEMBER', { name: 'Policy Report', manager_id: manager.id });
    stranger = await ws.member('MEMBER', { name: 'Policy Stranger' });
    await h.request('PATCH', `/workspaces/${ws.id}/settings`, ws.adminToken, {
      policy_approver_id: ws.adminId,
    });
    const created = await h.request('POST', '/api/policies', ws.adminToken, {
      name: 'Acceptable use',
      content: 'Be kind to the laptops.\n',
      applies_to_all: true,
    });
    expect(created.status).toBe(201);
    policyId = created.body.policy.id;
    const approved = await h.request('POST', `/api/policies/${policyId}/approve`, ws.adminToken, {});
    expect(approved.status).toBe(200);
  });
  afterAll(() => h.close());

  it('lists every asked member for an auditor, and only the readable ones for a manager', async () => {
    const ack = await h.request('POST', `/api/acknowledge/${policyId}`, report.token, {});
    expect(ack.status).toBe(201);
    const auditor = await ws.member('AUDITOR', { name: 'Policy Auditor' });
    const all = await h.request('GET', `/api/policies/${policyId}/acknowledgements`, auditor.token);
    expect(all.status).toBe(200);
    expect(all.body.policy_name).toBe('Acceptable use');
    const byId = new Map(all.body.data.map((r: { member_id: string }) => [r.member_id, r]));
    expect(byId.get(report.id)).toMatchObject({ status: 'ACKNOWLEDGED', version_number: 1 });
    expect(byId.get(stranger.id)).toMatchObject({ status: 'PENDING', acknowledged_at: null });

    const scoped = await h.request('GET', `/api/policies/${policyId}/acknowledgements`, manager.token);
    expect(scoped.status).toBe(200);
    expect(scoped.body.data.map((r: { member_id: string }) => r.member_id).sort()).toEqual(
      [manager.id, report.id].sort(),
    );

    // The employee view is typed the same way; the team page counts the report's acknowledgement.
    const status = await h.request('GET', `/api/acknowledge/status?employee_id=${report.id}`, auditor.token);
    expect(status.body.data).toEqual([
      expect.objectContaining({ policy_id: policyId, policy_name: 'Acceptable use', status: 'ACKNOWLEDGED' }),
    ]);
    const team = await h.request('GET', `/workspaces/${ws.id}/me/team/obligations`, manager.token);
    expect(team.body.policies).toEqual([
      { id: policyId, name: 'Acceptable use', asked: 1, done: 1, overdue: 0, rate: 100 },
    ]);
  });

  it("answers 404 for another workspace's policy", async () => {
    const other = await h.workspace();
    const r = await h.request('GET', `/api/policies/${policyId}/acknowledgements`, other.adminToken);
    expect(r.status).toBe(404);
  });
});
