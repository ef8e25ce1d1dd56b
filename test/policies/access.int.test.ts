import { publishTemplateVersion } from '@vigil/domains/policies/template-service';
import { type Harness, startHarness, type TestWorkspace } from '../harness';

describe('policies: tenancy, roles, bad input, template upgrades', () => {
  let h: Harness;
  let a: TestWorkspace;
  let b: TestWorkspace;
  let policyA: string;
  let roleA: string;
  let member: { id: string; token: string };
  let auditor: { id: string; token: string };

  beforeAll(async () => {
    h = await startHarness();
    a = await h.workspace();
    b = await h.workspace();
    member = await a.member('MEMBER');
    auditor = await a.member('AUDITOR');
    policyA = (await h.request('POST', '/api/policies', a.adminToken, { name: 'Mine', content: 'A\n' })).body
      .policy.id;
    roleA = (await h.request('POST', '/api/roles', a.adminToken, { name: 'Ops' })).body.id;
    await h.request('PATCH', `/workspaces/${a.id}/settings`, a.adminToken, { policy_approver_id: a.adminId });
  });
  afterAll(() => h.close());

  it('another workspace’s policy, role or employee is a 404 (or a named 400 in a body)', async () => {
    const t = b.adminToken;
    expect((await h.request('GET', `/api/policies/${policyA}/versions`, t)).status).toBe(404);
    expect((await h.request('PUT', `/api/policies/${policyA}`, t, { content: 'x' })).status).toBe(404);
    expect((await h.request('GET', `/api/policies/${policyA}/diff?from=1&to=1`, t)).status).toBe(404);
    expect((await h.request('POST', `/api/acknowledge/${policyA}`, t, {})).status).toBe(404);
    expect((await h.request('GET', `/api/employees/${member.id}/acknowledgement`, t)).status).toBe(404);
    const assign = await h.request('POST', `/api/roles/${roleA}/assign_policies`, t, { policy_ids: [] });
    expect(assign.status).toBe(404);
    expect((await h.request('GET', `/api/roles/${roleA}/policies`, t)).status).toBe(404);
    const bRole = (await h.request('POST', '/api/roles', t, { name: 'B role' })).body.id;
    const cross = await h.request('POST', `/api/roles/${bRole}/assign_policies`, t, {
      policy_ids: [policyA],
    });
    expect(cross.status).toBe(400);
    expect(JSON.stringify(cross.body)).toContain('body.policy_ids');
    expect((await h.request('GET', '/api/policies', t)).body.data).toEqual([]);
    const esc = await h.request('POST', '/api/notifications/escalate', t, {
      company_id: a.id,
      employee_id: member.id,
      policy_id: policyA,
      escalation_level: 'CXO',
    });
    expect(esc.status).toBe(404);
  });

  it('roles: members and auditors cannot configure; reads of others’ acknowledgements are limited', async () => {
    expect((await h.request('POST', '/api/policies', member.token, { name: 'x', content: 'y' })).status).toBe(
      403,
    );
    expect((await h.request('PUT', `/api/policies/${policyA}`, member.token, { content: 'y' })).status).toBe(
      403,
    );
    expect((await h.request('POST', `/api/policies/${policyA}/approve`, auditor.token, {})).status).toBe(403);
    expect(
      (await h.request('POST', `/api/roles/${roleA}/assign_policies`, member.token, { policy_ids: [] }))
        .status,
    ).toBe(403);
    expect(
      (await h.request('POST', '/api/employees/onboard', member.token, { name: 'x', email: 'x@example.com' }))
        .status,
    ).toBe(403);
    expect(
      (
        await h.request('POST', '/api/acknowledgements/events', member.token, {
          type: 'MANUAL',
          scope: { all: true },
        })
      ).status,
    ).toBe(403);
    expect((await h.request('POST', `/api/acknowledge/${policyA}`, auditor.token, {})).status).toBe(403);
    // A member acknowledges only for themselves.
    const other = await h.request('POST', `/api/acknowledge/${policyA}`, member.token, {
      employee_id: a.adminId,
    });
    expect(other.status).toBe(403);
    // Someone the member neither is, manages nor leads: 404, as for an unknown member.
    expect(
      (await h.request('GET', `/api/acknowledge/status?employee_id=${a.adminId}`, member.token)).status,
    ).toBe(404);
    expect(
      (await h.request('GET', `/api/acknowledge/status?employee_id=${member.id}`, auditor.token)).status,
    ).toBe(200);
    // No approved version yet: nothing to acknowledge.
    expect((await h.request('POST', `/api/acknowledge/${policyA}`, member.token, {})).status).toBe(409);
    // approver_id (spec payload) must be the caller; company_id must be the caller's workspace.
    const spoof = await h.request('POST', `/api/policies/${policyA}/approve`, a.adminToken, {
      approver_id: member.id,
    });
    expect(spoof.status).toBe(403);
    const wrongCompany = await h.request('POST', '/api/employees/onboard', a.adminToken, {
      name: 'x',
      email: 'elsewhere@example.com',
      company_id: b.id,
    });
    expect(wrongCompany.status).toBe(404);
    // A designated admin approver may approve.
    expect((await h.request('POST', `/api/policies/${policyA}/approve`, a.adminToken, {})).status).toBe(200);
    expect((await h.request('POST', `/api/acknowledge/${policyA}`, member.token, {})).status).toBe(201);
    const hire = await h.request('POST', '/api/employees/onboard', a.adminToken, {
      name: 'Hire',
      email: 'hire@example.com',
      company_id: a.id,
    });
    expect(hire.body).toMatchObject({
      employee_id: hire.body.member.id,
      acknowledgement_status: 'NOTHING_TO_ACKNOWLEDGE',
    });
  });

  it('bad input answers 400 naming the field', async () => {
    const cases: Array<[string, string, unknown, string]> = [
      ['POST', '/api/policies', {}, 'body.content'],
      ['POST', '/api/policies', { name: 'x', content: 'y', extra: 1 }, 'body'],
      ['POST', '/api/policies', { template_key: 'no-such-template' }, 'body.template_key'],
      [
        'POST',
        '/api/acknowledgements/events',
        { type: 'MANUAL', scope: {}, due_in: '3 seconds' },
        'body.due_in',
      ],
      ['POST', '/api/acknowledgements/events', { type: 'WEEKLY', scope: {} }, 'body.type'],
      ['POST', `/api/acknowledge/${policyA}`, { acknowledgement_type: 'NOPE' }, 'body.acknowledgement_type'],
      ['POST', '/api/employees/onboard', { name: 'x', email: 'not-an-email' }, 'body.email'],
      [
        'POST',
        '/api/employees/onboard',
        { name: 'x', email: 'x@example.com', role_ids: [policyA] },
        'body.role_ids',
      ],
      [
        'POST',
        '/api/notifications/escalate',
        { employee_id: 'x', policy_id: policyA, escalation_level: 'L9' },
        'body.employee_id',
      ],
    ];
    for (const [method, path, body, field] of cases) {
      const res = await h.request(method, path, a.adminToken, body);
      expect([path, res.status]).toEqual([path, 400]);
      expect(JSON.stringify(res.body)).toContain(field);
    }
    expect((await h.request('GET', '/api/policies/not-a-uuid/versions', a.adminToken)).status).toBe(400);
    expect((await h.request('GET', `/api/policies/${policyA}/diff?from=0&to=1`, a.adminToken)).status).toBe(
      400,
    );
  });

  it('a new template version prompts derived policies; accept drafts the new text, dismiss closes', async () => {
    const p1 = await h.request('POST', '/api/policies', a.adminToken, { template_key: 'data-retention' });
    const p2 = await h.request('POST', '/api/policies', b.adminToken, { template_key: 'data-retention' });
    const content = `# Data retention\n\nKeep data for exactly as long as needed (${Date.now()}).\n`;
    const published = await publishTemplateVersion(h.deps.db, 'data-retention', content);
    expect(published.version.version).toBeGreaterThan(1);
    await expect(publishTemplateVersion(h.deps.db, 'data-retention', content)).rejects.toThrow(/already/);

    const prompts = await h.request('GET', '/api/policy-upgrade-prompts?status=PENDING', a.adminToken);
    const prompt = prompts.body.data.find((p: { policy_id: string }) => p.policy_id === p1.body.policy.id);
    expect(prompt).toMatchObject({
      status: 'PENDING',
      from_version: published.version.version - 1,
      to_version: published.version.version,
    });
    const accepted = await h.request('POST', `/api/policy-upgrade-prompts/${prompt.id}/accept`, a.adminToken);
    expect(accepted.status).toBe(200);
    expect(accepted.body.version).toMatchObject({ number: 2, status: 'DRAFT', content });
    expect(accepted.body.prompt).toMatchObject({ status: 'ACCEPTED', to_version: published.version.version });
    expect(
      (await h.request('POST', `/api/policy-upgrade-prompts/${prompt.id}/accept`, a.adminToken)).status,
    ).toBe(409);
    // Tenancy: b cannot touch a's prompt.
    expect(
      (await h.request('POST', `/api/policy-upgrade-prompts/${prompt.id}/dismiss`, b.adminToken)).status,
    ).toBe(404);
    const bPrompt = (await h.request('GET', '/api/policy-upgrade-prompts', b.adminToken)).body.data.find(
      (p: { policy_id: string }) => p.policy_id === p2.body.policy.id,
    );
    const dismissed = await h.request(
      'POST',
      `/api/policy-upgrade-prompts/${bPrompt.id}/dismiss`,
      b.adminToken,
    );
    expect(dismissed.body.status).toBe('DISMISSED');
    const audit = await h.request(
      'GET',
      '/compliance/audit-logs?action_type=TEMPLATE_UPGRADE_PROMPTED',
      a.adminToken,
    );
    expect(audit.body.data.length).toBe(1);
  });
});
