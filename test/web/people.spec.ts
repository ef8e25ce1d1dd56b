import { checkPage, expect, nav, test } from './fixtures';

test('an admin runs people and settings: a team and a member in it, quiet hours, a token shown once, an offboarding preview', async ({
  page,
  vigil,
  signIn,
}, testInfo) => {
  const { harness, ws } = vigil;
  const owner = await ws.member('MEMBER', { name: 'Olive Owner' });
  const backup = await ws.member('MEMBER', { name: 'Bob Backup' });
  const co = await harness.request('POST', `/workspaces/${ws.id}/reminders/control-owners`, ws.adminToken, {
    control_id: 'CC8.1',
    primary_owner_id: owner.id,
    backup_owner_id: backup.id,
  });
  expect(co.status).toBe(201);

  await signIn(vigil.adminEmail);

  // A team, then a member in it.
  await nav(page, 'Teams and org roles').click();
  await page.getByRole('button', { name: 'New team' }).click();
  const teamDialog = page.getByRole('dialog', { name: 'New team' });
  await teamDialog.getByLabel('Team name').fill('Payments');
  await teamDialog.getByRole('button', { name: 'Create team' }).click();
  await expect(
    page.getByRole('table', { name: 'Teams' }).getByRole('row', { name: /Payments/ }),
  ).toBeVisible();

  await nav(page, 'People').click();
  await page.getByRole('button', { name: 'New member' }).click();
  const memberDialog = page.getByRole('dialog', { name: 'New member' });
  await memberDialog.getByRole('textbox', { name: /^Name/ }).fill('Pat Payments');
  await memberDialog.getByRole('textbox', { name: /^Email/ }).fill(`pat-${Date.now()}@example.com`);
  await memberDialog.getByRole('combobox', { name: 'Teams' }).click();
  await page.getByRole('option', { name: 'Payments' }).click();
  await page.keyboard.press('Escape');
  await memberDialog.getByRole('button', { name: 'Add member' }).click();
  await expect(page.getByText('Added Pat Payments')).toBeVisible();
  await page.getByRole('combobox', { name: 'Team' }).click();
  await page.getByRole('option', { name: 'Payments' }).click();
  const members = page.getByRole('table', { name: 'Members' });
  await expect(members.getByRole('row', { name: /Pat Payments/ })).toContainText('Payments');
  await expect(members.getByRole('row', { name: /Olive Owner/ })).toHaveCount(0);
  await page.getByRole('heading', { level: 1, name: 'People' }).hover();
  await checkPage(page, testInfo, 'people');

  // Quiet hours, saved and still there after a reload.
  await nav(page, 'Workspace settings').click();
  await page.getByLabel('Hold notifications during quiet hours').check();
  await page.getByLabel('Quiet from').fill('21:30');
  await page.getByLabel('Quiet until').fill('06:45');
  await page.getByRole('button', { name: 'Save settings' }).click();
  await expect(page.getByText('Settings saved')).toBeVisible();
  await page.reload();
  await expect(page.getByLabel('Quiet from')).toHaveValue('21:30');
  await expect(page.getByLabel('Quiet until')).toHaveValue('06:45');
  await page.getByRole('heading', { level: 1, name: 'Workspace settings' }).hover();
  await checkPage(page, testInfo, 'settings');

  // A token: its secret once, then only its prefix.
  await nav(page, 'API tokens').click();
  await page.getByLabel('Token name').fill('ci-deploy');
  await page.getByRole('button', { name: 'Issue token' }).click();
  const secret = page.getByTestId('new-token');
  await expect(secret).toContainText('vgl_');
  const token = (await secret.textContent()) ?? '';
  const row = page.getByRole('table', { name: 'API tokens' }).getByRole('row', { name: /ci-deploy/ });
  await expect(row).toContainText(token.slice(0, 10));
  await page.getByRole('heading', { level: 1, name: 'API tokens' }).hover();
  await checkPage(page, testInfo, 'tokens');
  const me = await harness.request('GET', `/workspaces/${ws.id}/members/${ws.adminId}`, token);
  expect(me.status).toBe(200);
  await page.reload();
  await expect(row).toBeVisible();
  await expect(page.getByTestId('new-token')).toHaveCount(0);
  await expect(page.getByText(token)).toHaveCount(0);

  // Offboarding shows what will be reassigned before anything changes.
  await nav(page, 'People').click();
  await page.getByLabel('Search').fill('Olive');
  await page.getByRole('button', { name: 'Offboard Olive Owner' }).click();
  const off = page.getByRole('dialog', { name: 'Offboard Olive Owner' });
  const change = off
    .getByRole('table', { name: 'What offboarding will change' })
    .getByRole('row', { name: /CC8\.1/ });
  await expect(change).toContainText('REASSIGN');
  await expect(change).toContainText('Bob Backup');
  await checkPage(page, testInfo, 'offboarding-preview');
  const before = await harness.request('GET', `/workspaces/${ws.id}/members/${owner.id}`, ws.adminToken);
  expect(before.body.status).toBe('ACTIVE');
  await off.getByRole('button', { name: 'Confirm offboarding' }).click();
  await expect(page.getByText('Olive Owner was offboarded')).toBeVisible();
  const owners = await harness.request('GET', `/workspaces/${ws.id}/reminders/control-owners`, ws.adminToken);
  expect(owners.body.data.find((r: { id: string }) => r.id === co.body.id).primary_owner_id).toBe(backup.id);
});

test('a manager reads people, teams and settings but the writes are disabled, and the API refuses them', async ({
  page,
  vigil,
  signIn,
}, testInfo) => {
  const { harness, ws } = vigil;
  const manager = await ws.member('MANAGER', { name: 'Mia Manager' });
  const me = await harness.request('GET', `/workspaces/${ws.id}/members/${manager.id}`, manager.token);
  await signIn(me.body.email as string);

  await nav(page, 'People').click();
  await expect(
    page.getByRole('table', { name: 'Members' }).getByRole('row', { name: /Mia Manager/ }),
  ).toBeVisible();
  await expect(page.getByRole('button', { name: 'New member' })).toHaveAttribute('aria-disabled', 'true');
  await expect(page.getByRole('button', { name: 'Offboard Mia Manager' })).toHaveAttribute(
    'aria-disabled',
    'true',
  );
  await nav(page, 'Workspace settings').click();
  await expect(page.getByRole('button', { name: 'Save settings' })).toHaveAttribute('aria-disabled', 'true');
  await page.getByRole('heading', { level: 1, name: 'Workspace settings' }).hover();
  await checkPage(page, testInfo, 'settings-manager');
  const forced = await harness.request('PATCH', `/workspaces/${ws.id}/settings`, manager.token, {
    skip_weekends: true,
  });
  expect(forced.status).toBe(403);
  const preview = await harness.request(
    'GET',
    `/workspaces/${ws.id}/members/${ws.adminId}/offboarding-preview`,
    manager.token,
  );
  expect(preview.status).toBe(403);
});
