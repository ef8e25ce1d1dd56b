import { Browser } from '../auth/browser';
import { type FakeSendgrid, startFakeSendgrid } from '../fakes/sendgrid';
import { eventually, type Harness, startHarness, type TestWorkspace } from '../harness';

describe('policies and acknowledgements on the real server', () => {
  let h: Harness;
  let ws: TestWorkspace;
  let approver: { id: string; token: string };
  let cxo: { id: string; token: string };
  let engRole: string;
  let hrRole: string;
  let accessPolicy: string;
  let engPolicy: string;
  let hrPolicy: string;
  let employee: { id: string; token: string };
  let sendgrid: FakeSendgrid;

  beforeAll(async () => {
    sendgrid = await startFakeSendgrid();
    h = await startHarness({
      worker: true,
      env: {
        PUBLIC_URL: 'https://vigil.example.com/',
        SENDGRID_API_KEY: 'SG.k',
        SENDGRID_BASE_URL: sendgrid.url,
      },
    });
    ws = await h.workspace();
    approver = await ws.member('APPROVER', { name: 'Approver' });
    cxo = await ws.member('MANAGER', { name: 'CXO' });
    const settings = await h.request('PATCH', `/workspaces/${ws.id}/settings`, ws.adminToken, {
      cxo_contact_id: cxo.id,
      // Larger than any deadline: the one reminder (with its link) goes out when the obligation opens.
      reminder_offsets: ['P365D'],
    });
    expect(settings.status).toBe(200);
    engRole = (await h.request('POST', '/api/roles', ws.adminToken, { name: 'Engineering' })).body.id;
    hrRole = (await h.request('POST', '/api/roles', ws.adminToken, { name: 'HR' })).body.id;
  });
  afterAll(async () => {
    await h.close();
    await sendgrid.close();
  });

  const api = (method: string, path: string, body?: unknown, token = ws.adminToken) =>
    h.request(method, path, token, body);
  const auditHas = async (action: string) =>
    (await api('GET', `/compliance/audit-logs?action_type=${action}&limit=500`)).body.data as Array<{
      actor_id: string | null;
      target_id: string | null;
      new_value: Record<string, unknown> | null;
    }>;
  const outbox = async (obligationId: string) =>
    (await api('GET', `/workspaces/${ws.id}/notifications?obligation_id=${obligationId}&limit=500`)).body
      .data as Array<{ id: string; template: string; recipient_id: string; body: string }>;

  it('1. creates from a template and a custom text; only the designated approver approves', async () => {
    const fromTemplate = await api('POST', '/api/policies', { template_key: 'access-control' });
    expect(fromTemplate.status).toBe(201);
    expect(fromTemplate.body.version).toMatchObject({ number: 1, status: 'DRAFT' });
    expect(fromTemplate.body.version.template_version_id).toEqual(expect.any(String));
    accessPolicy = fromTemplate.body.policy.id;
    const templates = await api('GET', '/api/policy-templates');
    expect(templates.body.data.length).toBeGreaterThanOrEqual(14);
    const tpl = templates.body.data.find((t: { key: string }) => t.key === 'access-control');
    const versions = await api('GET', `/api/policy-templates/${tpl.id}/versions`);
    expect(versions.body.data[0].id).toBe(fromTemplate.body.version.template_version_id);

    engPolicy = (
      await api('POST', '/api/policies', { name: 'Secure coding', content: 'Review <every> change.\n' })
    ).body.policy.id;
    hrPolicy = (await api('POST', '/api/policies', { name: 'HR handbook', content: 'Be kind.\n' })).body
      .policy.id;

    // Admins are not approvers unless designated; members never.
    expect((await api('POST', `/api/policies/${accessPolicy}/approve`)).status).toBe(403);
    expect((await api('POST', `/api/policies/${accessPolicy}/approve`, undefined, cxo.token)).status).toBe(
      403,
    );
    for (const id of [accessPolicy, engPolicy, hrPolicy]) {
      const ok = await api('POST', `/api/policies/${id}/approve`, undefined, approver.token);
      expect(ok.status).toBe(200);
      expect(ok.body.version.status).toBe('APPROVED');
    }
    const list = await api('GET', '/api/policies');
    const access = list.body.data.find((p: { id: string }) => p.id === accessPolicy);
    expect(access).toMatchObject({ status: 'APPROVED', active_version_id: expect.any(String) });

    const assign = await api('POST', `/api/roles/${engRole}/assign_policies`, {
      policy_ids: [accessPolicy, engPolicy],
    });
    expect(assign.status).toBe(200);
    expect(
      (await api('POST', `/api/roles/${hrRole}/assign_policies`, { policy_ids: [hrPolicy] })).status,
    ).toBe(200);
    const engPolicies = await api('GET', `/api/roles/${engRole}/policies`);
    expect(engPolicies.body.data.map((p: { id: string }) => p.id).sort()).toEqual(
      [accessPolicy, engPolicy].sort(),
    );
  });

  it('2. onboarding requests exactly the role’s policies, due in 30 days', async () => {
    const res = await api('POST', '/api/employees/onboard', {
      name: 'New Engineer',
      email: 'new.engineer@example.com',
      role_ids: [engRole],
      title: 'Engineer',
    });
    expect(res.status).toBe(201);
    expect(res.body.requested).toBe(2);
    const token = await h.request('POST', `/workspaces/${ws.id}/tokens`, ws.adminToken, {
      member_id: res.body.member.id,
      name: 'employee',
    });
    employee = { id: res.body.member.id, token: token.body.token };
    const status = await api('GET', '/api/acknowledge/status', undefined, employee.token);
    const pending = status.body.data.filter((s: { status: string }) => s.status === 'PENDING');
    expect(pending.map((s: { policy_id: string }) => s.policy_id).sort()).toEqual(
      [accessPolicy, engPolicy].sort(),
    );
    const days = (new Date(pending[0].due_at).getTime() - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(29.9);
    expect(days).toBeLessThanOrEqual(30);
    // The new hire is welcomed at once (not 7 days before the deadline), with a one-time link.
    const history = await api('GET', `/api/employees/${employee.id}/acknowledgement`);
    const welcome = (await outbox(history.body.data[0].obligation_id)).find(
      (n) => n.template === 'policy.welcome',
    );
    expect(welcome).toMatchObject({ recipient_id: employee.id });
    expect(welcome?.body).toContain('https://vigil.example.com/ack/__vigil_secret_ack_token__');
    const mail = await eventually(async () =>
      sendgrid.calls.find((c) => c.body.custom_args?.vigil_notification_id === welcome?.id),
    );
    expect(mail.body.content.map((c) => c.value).join('\n')).toMatch(/\/ack\/[A-Za-z0-9_-]{40,}/);
  });

  it('3. acknowledges through the API and through the one-time link only its member receives', async () => {
    const ack = await h.request(
      'POST',
      `/api/acknowledge/${accessPolicy}`,
      employee.token,
      {},
      {
        'user-agent': 'ApiClient/1.0',
      },
    );
    expect(ack.status).toBe(201);
    expect(ack.body).toMatchObject({ status: 'ACKNOWLEDGED', user_agent: 'ApiClient/1.0' });
    expect(ack.body.ip_address).toEqual(expect.any(String));
    expect((await api('POST', `/api/acknowledge/${accessPolicy}`, {}, employee.token)).status).toBe(409);

    const history = await api('GET', `/api/employees/${employee.id}/acknowledgement`);
    const obligationId = history.body.data.find((r: { policy_id: string }) => r.policy_id === engPolicy)
      .obligation_id as string;
    const reminder = await eventually(async () =>
      (await outbox(obligationId)).find(
        (n) => n.template === 'obligation.reminder' && /\/ack\//.test(n.body),
      ),
    );
    // The outbox that admins and auditors read holds a placeholder, never the member's token.
    expect(reminder.body).toContain('https://vigil.example.com/ack/__vigil_secret_ack_token__');
    // The link, built on the configured public URL, reaches the member's mailbox only.
    const mail = await eventually(async () =>
      sendgrid.calls.find(
        (c) => c.body.custom_args?.vigil_notification_id === (reminder as { id?: string }).id,
      ),
    );
    const text = mail.body.content.map((c) => c.value).join('\n');
    expect(text).not.toContain('__vigil_secret_');
    expect(text).toMatch(/https:\/\/vigil\.example\.com\/ack\/[A-Za-z0-9_-]{40,}/);
    const token = /\/ack\/([A-Za-z0-9_-]{40,})/.exec(text)?.[1] as string;
    // Neither an admin nor an auditor can obtain it: no response they can read holds the token,
    // and the placeholder itself opens nothing.
    const auditor = await ws.member('AUDITOR');
    for (const reader of [ws.adminToken, auditor.token]) {
      for (const path of [
        `/workspaces/${ws.id}/notifications?limit=500`,
        `/workspaces/${ws.id}/notifications?obligation_id=${obligationId}&limit=500`,
        '/compliance/audit-logs?limit=500',
        `/api/employees/${employee.id}/acknowledgement`,
      ]) {
        const res = await h.request('GET', path, reader);
        expect(res.status).toBe(200);
        expect(JSON.stringify(res.body)).not.toContain(token);
      }
    }
    // The placeholder, a wrong or malformed token open nothing: the sign-in page says the link is spent.
    for (const bad of ['__vigil_secret_ack_token__', `${token}x`, 'bad%20token']) {
      const res = await new Browser(h.baseUrl).fetch('GET', `/ack/${bad}`);
      expect(res.status).toBe(303);
      expect(res.headers.get('location')).toBe('/sign-in?error=ack_link_expired');
      expect(res.headers.getSetCookie()).toEqual([]);
    }
    // The link signs its member in for that purpose only and lands on the console's page.
    const browser = new Browser(h.baseUrl);
    const follow = await browser.fetch('GET', `/ack/${token}`, {
      headers: { 'user-agent': 'LinkBrowser/2.0' },
    });
    expect(follow.status).toBe(303);
    expect(follow.headers.get('location')).toBe(`/acknowledge/${obligationId}`);
    const page = await browser.fetch('GET', `/workspaces/${ws.id}/me/acknowledgements/${obligationId}`);
    expect(page.status).toBe(200);
    const eng = page.body.policies.find((p: { policy_id: string }) => p.policy_id === engPolicy);
    expect(eng).toMatchObject({
      policy_name: 'Secure coding',
      status: 'PENDING',
      previous_version_number: null,
    });
    expect(eng.content).toContain('Review <every> change.');
    const post = await browser.write(
      'POST',
      `/api/acknowledge/${engPolicy}`,
      {},
      { 'user-agent': 'LinkBrowser/2.0' },
    );
    expect(post.status).toBe(201);
    // The link is used once.
    const reused = await new Browser(h.baseUrl).fetch('GET', `/ack/${token}`);
    expect(reused.headers.get('location')).toBe('/sign-in?error=ack_link_expired');

    const after = await api('GET', `/api/employees/${employee.id}/acknowledgement`);
    const viaLink = after.body.data.find((r: { policy_id: string }) => r.policy_id === engPolicy);
    expect(viaLink).toMatchObject({ status: 'ACKNOWLEDGED', user_agent: 'LinkBrowser/2.0' });
    expect(viaLink.ip_address).toEqual(expect.any(String));
    expect(viaLink.content_sha256).toMatch(/^[0-9a-f]{64}$/);
    // All requests acknowledged: the workflow ends.
    const handle = h.deps.temporal.client.workflow.getHandle(`acknowledgement_request/${obligationId}`);
    expect(await handle.result()).toBe('DONE');
  });

  it('4. a new approved version of one policy is requested again, from that policy only', async () => {
    const edit = await api('PUT', `/api/policies/${engPolicy}`, {
      content: 'Review <every> change.\nRun the linter.\n',
      change_summary: 'Linting',
      submit: true,
    });
    expect(edit.status).toBe(200);
    expect(edit.body).toMatchObject({ number: 2, status: 'PENDING_APPROVAL' });
    const diff = await api('GET', `/api/policies/${engPolicy}/diff?from=1&to=2`);
    expect(diff.body).toMatchObject({ added: 1, removed: 0 });
    const approved = await api('POST', `/api/policies/${engPolicy}/approve`, {}, approver.token);
    expect(approved.status).toBe(200);
    expect(approved.body.requested).toBe(1);
    const versions = await api('GET', `/api/policies/${engPolicy}/versions`);
    expect(versions.body.data.map((v: { status: string }) => v.status)).toEqual(['SUPERSEDED', 'APPROVED']);
    // The author hears of the decision.
    const notice = (await outbox(edit.body.id)).filter((n) => n.template === 'policy.decision');
    expect(notice).toHaveLength(1);
    expect(notice[0]).toMatchObject({ recipient_id: ws.adminId });
    expect(notice[0]?.body).toContain('version 2 you drafted was approved by Approver');
    const status = await api('GET', `/api/acknowledge/status?employee_id=${employee.id}`);
    const byPolicy = Object.fromEntries(
      status.body.data.map((s: { policy_id: string; status: string }) => [s.policy_id, s.status]),
    );
    expect(byPolicy).toEqual({ [accessPolicy]: 'ACKNOWLEDGED', [engPolicy]: 'PENDING' });
  });

  it('5. a missed deadline is marked OVERDUE and escalated to the CXO', async () => {
    await api('PATCH', `/workspaces/${ws.id}/settings`, {
      default_ladder: [{ level: 'L1', after: 'PT1S', target: { type: 'CXO' }, channels: ['email'] }],
    });
    const hr = await api('POST', '/api/employees/onboard', {
      name: 'HR Person',
      email: 'hr.person@example.com',
      role_ids: [hrRole],
    });
    expect(hr.body.requested).toBe(1);
    const event = await api('POST', '/api/acknowledgements/events', {
      type: 'MANUAL',
      scope: { member_ids: [hr.body.member.id] },
      due_in: 'PT3S',
    });
    expect(event.status).toBe(201);
    // The new obligation starts; the NEW_HIRE one it replaced (now CANCELLED) is woken to end.
    expect(event.body).toMatchObject({ requested: 1, workflows_started: 2 });
    const history = await api('GET', `/api/employees/${hr.body.member.id}/acknowledgement`);
    const open = history.body.data.find((r: { status: string }) => r.status === 'PENDING');
    const escalation = await eventually(
      async () =>
        (await outbox(open.obligation_id)).find(
          (n) => n.template === 'obligation.escalation' && n.recipient_id === cxo.id,
        ),
      20000,
    );
    expect(escalation).toBeTruthy();
    const overdue = await api('GET', `/api/acknowledge/status?employee_id=${hr.body.member.id}`);
    expect(overdue.body.data[0]).toMatchObject({ policy_id: hrPolicy, status: 'OVERDUE' });

    // A manual escalation through the spec endpoint: overdue only.
    const manual = await api('POST', '/api/notifications/escalate', {
      company_id: ws.id,
      employee_id: hr.body.member.id,
      policy_id: hrPolicy,
      escalation_level: 'CXO',
    });
    expect(manual.status).toBe(201);
    expect(manual.body.escalation.target_member_ids).toEqual([cxo.id]);
    const notYet = await api('POST', '/api/notifications/escalate', {
      employee_id: employee.id,
      policy_id: engPolicy,
      escalation_level: 'L2',
    });
    expect(notYet.status).toBe(409);

    for (const action of [
      'POLICY_CREATED',
      'POLICY_UPDATED',
      'APPROVAL_REQUESTED',
      'POLICY_APPROVED',
      'POLICIES_ASSIGNED_TO_ROLE',
      'MEMBER_CREATED',
      'ACKNOWLEDGEMENT_REQUESTED',
      'POLICY_ACKNOWLEDGED',
      'ACKNOWLEDGEMENT_OVERDUE',
      'ACKNOWLEDGEMENT_CANCELLED',
      'ESCALATION_TRIGGERED',
    ]) {
      expect([action, (await auditHas(action)).length > 0]).toEqual([action, true]);
    }
    const verify = await api('GET', '/compliance/audit-logs/verify');
    expect(verify.body.ok ?? verify.body.valid).toBe(true);
  });

  it('an admin records an acknowledgement for an employee; the audit shows both', async () => {
    const ack = await api('POST', `/api/acknowledge/${engPolicy}`, { employee_id: employee.id });
    expect(ack.status).toBe(201);
    expect(ack.body.recorded_by_id).toBe(ws.adminId);
    const entries = await auditHas('POLICY_ACKNOWLEDGED');
    const e = entries.find((x) => x.new_value?.request_id === ack.body.id);
    expect(e).toMatchObject({ actor_id: ws.adminId, new_value: { employee_id: employee.id } });
  });

  it('rejects a pending version with a reason; removing a role cancels its open requests', async () => {
    const draft = await api('PUT', `/api/policies/${hrPolicy}`, { content: 'Be very kind.\n', submit: true });
    const rejected = await api(
      'POST',
      `/api/policies/${hrPolicy}/reject`,
      { reason: 'Too vague' },
      approver.token,
    );
    expect(rejected.status).toBe(200);
    expect(rejected.body).toMatchObject({ status: 'REJECTED', rejection_reason: 'Too vague' });
    const [notice] = (await outbox(draft.body.id)).filter((n) => n.template === 'policy.decision');
    expect(notice).toMatchObject({ recipient_id: ws.adminId });
    expect(notice?.body).toContain('Reason: Too vague');
    expect((await api('POST', `/api/policies/${hrPolicy}/approve`, {}, approver.token)).status).toBe(409);

    const m = await api('POST', '/api/employees/onboard', {
      name: 'Mover',
      email: 'mover@example.com',
      role_ids: [hrRole],
    });
    expect(m.body.requested).toBe(1);
    const moved = await api('PATCH', `/workspaces/${ws.id}/members/${m.body.member.id}`, { role_ids: [] });
    expect(moved.status).toBe(200);
    const history = await api('GET', `/api/employees/${m.body.member.id}/acknowledgement`);
    expect(history.body.data.map((r: { status: string }) => r.status)).toEqual(['CANCELLED']);
  });
});
