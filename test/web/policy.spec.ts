import { checkPage, expect, nav, requestLink, test } from './fixtures';

test('the designated approver sees the diff and approves a policy version', async ({
  page,
  vigil,
  signIn,
}, testInfo) => {
  const { harness, ws } = vigil;
  const t = ws.adminToken;
  expect(
    (await harness.request('PATCH', `/workspaces/${ws.id}/settings`, t, { policy_approver_id: ws.adminId }))
      .status,
  ).toBe(200);
  const created = await harness.request('POST', '/api/policies', t, {
    name: 'Acceptable use',
    content: '# Acceptable use\n\nUse company laptops for work.\n',
  });
  expect(created.status).toBe(201);
  const policyId = created.body.version.policy_id as string;
  expect((await harness.request('POST', `/api/policies/${policyId}/approve`, t, {})).status).toBe(200);
  const v2 = await harness.request('PUT', `/api/policies/${policyId}`, t, {
    content: '# Acceptable use\n\nUse company laptops for work.\n\nLock your screen when you leave.\n',
    change_summary: 'Screen lock',
    submit: true,
  });
  expect(v2.body.status).toBe('PENDING_APPROVAL');

  await signIn(vigil.adminEmail);
  await nav(page, 'Policies').click();
  await page.getByRole('link', { name: 'Acceptable use' }).click();
  await expect(page.getByRole('heading', { name: 'Version 2 awaits approval' })).toBeVisible();
  await expect(page.getByLabel('Changes from version 1 to 2')).toContainText(
    '+ Lock your screen when you leave.',
  );
  await checkPage(page, testInfo, 'policy-pending');
  await page.getByRole('button', { name: 'Approve version 2' }).click();
  await expect(page.getByText(/Approved; \d+ acknowledgement request\(s\) sent/)).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Version 2 awaits approval' })).toHaveCount(0);
  const history = page.getByRole('table', { name: 'Versions of this policy' });
  await expect(history.getByRole('row', { name: /v2/ })).toContainText('APPROVED');
  await expect(history.getByRole('row', { name: /v1/ })).toContainText('SUPERSEDED');
  await checkPage(page, testInfo, 'policy-approved');
});

test('a manager who is not the approver sees approval disabled, and the API answers 403', async ({
  page,
  vigil,
}) => {
  const { harness, ws } = vigil;
  // A MEMBER may not open the policies page at all (routes.tsx); a MANAGER may, without approving.
  const m = await ws.member('MANAGER', { name: 'Plain Manager' });
  const created = await harness.request('POST', '/api/policies', ws.adminToken, {
    name: 'Clean desk',
    content: '# Clean desk\n',
  });
  const policyId = created.body.version.policy_id as string;
  await harness.request('PUT', `/api/policies/${policyId}`, ws.adminToken, {
    content: '# Clean desk\n\nv2\n',
    submit: true,
  });
  const member = await harness.request('GET', `/workspaces/${ws.id}/members/${m.id}`, ws.adminToken);
  await page.goto(await requestLink(vigil, member.body.email));
  await page.goto(`/policies/${policyId}`);
  const approve = page.getByRole('button', { name: /Approve version/ });
  await expect(approve).toHaveAttribute('aria-disabled', 'true');
  const forced = await harness.request('POST', `/api/policies/${policyId}/approve`, m.token, {});
  expect(forced.status).toBe(403);
});
