import { publishTemplateVersion } from '@vigil/domains/policies/template-service';
import { checkPage, expect, nav, test } from './fixtures';

test('an admin maps a policy to an org role', async ({ page, vigil, signIn }, testInfo) => {
  const { harness, ws } = vigil;
  const role = await harness.request('POST', '/api/roles', ws.adminToken, { name: 'Engineers' });
  expect(role.status).toBe(201);
  const created = await harness.request('POST', '/api/policies', ws.adminToken, {
    name: 'Secure development',
    content: '# Secure development\n\nReview every change.\n',
  });
  expect(created.status).toBe(201);
  const policyId = created.body.version.policy_id as string;

  await signIn(vigil.adminEmail);
  await page.goto(`/policies/${policyId}`);
  // The rendered Markdown has its own h1: the page title is the first.
  const title = page.getByRole('heading', { level: 1, name: 'Secure development' }).first();
  await expect(title).toBeVisible();
  await page.getByRole('combobox', { name: 'Org roles' }).click();
  await page.getByRole('option', { name: 'Engineers' }).click();
  await page.keyboard.press('Escape');
  await page.getByRole('button', { name: 'Save role mapping' }).click();
  await expect(page.getByText('Role mapping saved (1 role(s) changed)')).toBeVisible();
  await expect(page.getByText('Members with the org role(s): Engineers.')).toBeVisible();
  const mapped = await harness.request('GET', `/api/roles/${role.body.id}/policies`, ws.adminToken);
  expect(mapped.body.data.map((p: { id: string }) => p.id)).toContain(policyId);
  await title.hover();
  await checkPage(page, testInfo, 'policy-roles');
});

test('reminder routing and the calendar: a control owner is added and a planned occurrence is listed', async ({
  page,
  vigil,
  signIn,
}, testInfo) => {
  const { harness, ws } = vigil;
  const owner = await ws.member('MEMBER', { name: 'Radia Perlman' });
  const inTenDays = new Date(Date.now() + 10 * 86_400_000);
  const r = await harness.request('POST', `/workspaces/${ws.id}/reminders`, ws.adminToken, {
    title: 'Rotate backup keys',
    frequency: 'ONCE',
    start_date: inTenDays.toISOString(),
  });
  expect(r.status).toBe(201);

  await signIn(vigil.adminEmail);
  await nav(page, 'Reminders').click();
  await page.getByRole('tab', { name: 'Routing' }).click();
  await page.getByRole('button', { name: 'Add' }).first().click();
  const dialog = page.getByRole('dialog', { name: 'New control owner' });
  await dialog.getByLabel('Control id').fill('CC6.1');
  await dialog.getByLabel('Domain').fill('Access');
  await dialog.getByRole('combobox', { name: 'Primary owner' }).click();
  await dialog.getByRole('combobox', { name: 'Primary owner' }).fill('Radia');
  await page.getByRole('option', { name: /Radia Perlman/ }).click();
  await dialog.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByText('Control owner saved')).toBeVisible();
  const owners = page.getByRole('table', { name: 'Control owners' });
  await expect(owners.getByRole('row', { name: /CC6\.1/ })).toContainText('Radia Perlman');
  const saved = await harness.request('GET', `/workspaces/${ws.id}/reminders/control-owners`, ws.adminToken);
  expect(saved.body.data).toEqual(
    expect.arrayContaining([expect.objectContaining({ control_id: 'CC6.1', primary_owner_id: owner.id })]),
  );
  await page.getByRole('heading', { level: 1 }).hover();
  await checkPage(page, testInfo, 'reminder-routing');

  await page.getByRole('tab', { name: 'Calendar' }).click();
  const sameMonth = inTenDays.getMonth() === new Date().getMonth();
  if (!sameMonth) await page.getByRole('button', { name: 'Next month' }).click();
  const calendar = page.getByRole('table', { name: 'Reminders calendar' });
  await expect(calendar.getByRole('row', { name: /Rotate backup keys/ })).toContainText('planned');
  await page.getByRole('heading', { level: 1 }).hover();
  await checkPage(page, testInfo, 'reminder-calendar');
});

test('a policy made from a template offers its newer version; adopting it drafts the new text', async ({
  page,
  vigil,
  signIn,
}, testInfo) => {
  const { harness, ws } = vigil;
  const created = await harness.request('POST', '/api/policies', ws.adminToken, {
    template_key: 'incident-response',
  });
  expect(created.status).toBe(201);
  const policyId = created.body.policy.id as string;
  const content = `# Incident response\n\nPage the on-call engineer within 15 minutes (${Date.now()}).\n`;
  const published = await publishTemplateVersion(harness.deps.db, 'incident-response', content);

  await signIn(vigil.adminEmail);
  await page.goto(`/policies/${policyId}`);
  const prompt = page.getByTestId('upgrade-prompt');
  await expect(prompt).toContainText(`version ${published.version.version} is out`);
  await page.getByRole('heading', { level: 1 }).first().hover();
  await checkPage(page, testInfo, 'policy-upgrade-prompt');
  await prompt.getByRole('button', { name: `Adopt version ${published.version.version}` }).click();
  await expect(page.getByText(/Draft version \d+ created from the new template/)).toBeVisible();
  await expect(prompt).toHaveCount(0);
  await expect(page.getByText('Page the on-call engineer within 15 minutes')).toBeVisible();
});
