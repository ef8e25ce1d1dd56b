import { randomUUID } from 'node:crypto';
import { checkPage, expect, nav, test } from './fixtures';

test('a changed and approved policy: the member sees the diff and re-acknowledges only that policy', async ({
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
  const role = await harness.request('POST', '/api/roles', t, { name: `Reack ${randomUUID().slice(0, 8)}` });
  const ids: Record<string, string> = {};
  for (const name of ['Journey passwords', 'Journey travel']) {
    const created = await harness.request('POST', '/api/policies', t, {
      name,
      content: `# ${name}\n\nThe first rule.\n`,
    });
    ids[name] = created.body.policy.id;
    expect((await harness.request('POST', `/api/policies/${ids[name]}/approve`, t, {})).status).toBe(200);
  }
  await harness.request('POST', `/api/roles/${role.body.id}/assign_policies`, t, {
    policy_ids: Object.values(ids),
  });
  const email = `reack.${randomUUID().slice(0, 6)}@example.com`;
  const onboarded = await harness.request('POST', '/api/employees/onboard', t, {
    name: 'Rae Reader',
    email,
    role_ids: [role.body.id],
  });
  expect(onboarded.status).toBe(201);
  const memberId = onboarded.body.employee_id as string;
  for (const id of Object.values(ids)) {
    const ack = await harness.request('POST', `/api/acknowledge/${id}`, t, { employee_id: memberId });
    expect(ack.status).toBe(201);
  }
  const before = await harness.request('GET', `/api/acknowledge/status?employee_id=${memberId}`, t);
  const travelBefore = before.body.data.find(
    (s: { policy_id: string }) => s.policy_id === ids['Journey travel'],
  );

  // Version 2 of one policy is submitted and approved: a re-acknowledgement of that policy only.
  const passwords = ids['Journey passwords'] as string;
  const v2 = await harness.request('PUT', `/api/policies/${passwords}`, t, {
    content: '# Journey passwords\n\nThe first rule.\n\nUse a password manager.\n',
    change_summary: 'Password managers',
    submit: true,
  });
  expect(v2.status).toBe(200);
  const approved = await harness.request('POST', `/api/policies/${passwords}/approve`, t, {});
  expect(approved.status).toBe(200);

  await signIn(email);
  await nav(page, 'My obligations').click();
  const items = page.getByRole('table', { name: 'Your open items' });
  await items
    .getByRole('row')
    .filter({ hasText: 'Journey passwords' })
    .getByRole('link', { name: 'Read and acknowledge' })
    .click();
  const h1 = page.getByRole('heading', { level: 1, name: 'Read and acknowledge' });
  await expect(h1).toBeVisible();
  await expect(page.getByRole('heading', { level: 2, name: 'Journey passwords (version 2)' })).toBeVisible();
  await expect(page.getByRole('heading', { level: 2, name: /Journey travel/ })).toHaveCount(0);
  await expect(page.getByText('What changed since version 1, the one you acknowledged')).toBeVisible();
  await expect(page.getByLabel('Changes from version 1 to 2')).toContainText('+ Use a password manager.');
  await expect(page.getByText('Change: Password managers')).toBeVisible();
  await h1.hover();
  await checkPage(page, testInfo, 'reacknowledge-diff');
  await page.getByRole('button', { name: 'I have read and acknowledge Journey passwords' }).click();
  await expect(
    page.getByRole('status').filter({ hasText: 'every policy here is acknowledged' }),
  ).toBeVisible();

  const after = await harness.request('GET', `/api/acknowledge/status?employee_id=${memberId}`, t);
  const row = (name: string) => after.body.data.find((s: { policy_id: string }) => s.policy_id === ids[name]);
  expect(row('Journey passwords')).toMatchObject({
    status: 'ACKNOWLEDGED',
    last_acknowledged_version_id: v2.body.id,
  });
  // The other policy was not asked again, and its acknowledgement is unchanged.
  expect(row('Journey travel')).toMatchObject({
    status: 'ACKNOWLEDGED',
    last_acknowledged_at: travelBefore.last_acknowledged_at,
  });
  await nav(page, 'My obligations').click();
  await expect(page.getByRole('table', { name: 'Your open items' })).toContainText(
    'Nothing is waiting for you.',
  );
});
