import { checkPage, expect, nav, test } from './fixtures';

test('an admin creates a training scoped to a team and sees its assignments appear', async ({
  page,
  vigil,
  signIn,
}, testInfo) => {
  const { harness, ws } = vigil;
  const a = await ws.member('MEMBER', { name: 'Ada Lovelace' });
  const b = await ws.member('MEMBER', { name: 'Grace Hopper' });
  await ws.member('MEMBER', { name: 'Not In Team' });
  const team = await harness.request('POST', `/workspaces/${ws.id}/teams`, ws.adminToken, {
    name: 'Platform',
    member_ids: [a.id, b.id],
  });
  expect(team.status).toBe(201);

  await signIn(vigil.adminEmail);
  await nav(page, 'Training').click();
  await expect(page.getByRole('heading', { level: 1, name: 'Training' })).toBeVisible();
  await page.getByRole('button', { name: 'New training' }).click();
  const dialog = page.getByRole('dialog', { name: 'New mandatory training' });
  await dialog.getByLabel('Name').fill('Secure coding 2026');
  await dialog.getByText('Teams', { exact: true }).click();
  await dialog.getByRole('combobox', { name: 'Teams' }).click();
  await page.getByRole('option', { name: 'Platform' }).click();
  await page.keyboard.press('Escape');
  await dialog.getByRole('button', { name: 'Create training' }).click();
  await expect(page.getByText('Created Secure coding 2026: 2 assignment(s)')).toBeVisible();

  const definitions = page.getByRole('table', { name: 'Mandatory trainings with assignment statistics' });
  await expect(definitions.getByRole('row', { name: /Secure coding 2026/ })).toContainText('TEAM (1)');
  const assignments = page.getByRole('table', { name: 'Training assignments' });
  await expect(assignments.getByRole('row', { name: /Ada Lovelace/ })).toContainText('Secure coding 2026');
  await expect(assignments.getByRole('row', { name: /Grace Hopper/ })).toContainText('PENDING');
  await expect(assignments.getByRole('row', { name: /Not In Team/ })).toHaveCount(0);
  await checkPage(page, testInfo, 'training');
});

test('an admin edits a training definition: new name and a team scope', async ({
  page,
  vigil,
  signIn,
}, testInfo) => {
  const { harness, ws } = vigil;
  const m = await ws.member('MEMBER', { name: 'Edsger Dijkstra' });
  await harness.request('POST', `/workspaces/${ws.id}/teams`, ws.adminToken, {
    name: 'Compilers',
    member_ids: [m.id],
  });
  const t = await harness.request('POST', '/compliance/mandatory-training', ws.adminToken, {
    name: 'Privacy basics',
    applies_to_type: 'INDIVIDUAL',
    applies_to_ids: [],
  });
  expect(t.status).toBe(201);

  await signIn(vigil.adminEmail);
  await nav(page, 'Training').click();
  await page.getByRole('button', { name: 'Edit Privacy basics' }).click();
  const dialog = page.getByRole('dialog', { name: 'Edit Privacy basics' });
  await expect(dialog.getByLabel('Name')).toHaveValue('Privacy basics');
  await dialog.getByLabel('Name').fill('Privacy and GDPR basics');
  await dialog.getByText('Teams', { exact: true }).click();
  await dialog.getByRole('combobox', { name: 'Teams' }).click();
  await page.getByRole('option', { name: 'Compilers' }).click();
  await page.keyboard.press('Escape');
  await dialog.getByRole('heading', { name: 'Edit Privacy basics' }).hover();
  await checkPage(page, testInfo, 'training-edit');
  await dialog.getByRole('button', { name: 'Save training' }).click();
  await expect(page.getByText('Saved Privacy and GDPR basics: 1 new assignment(s)')).toBeVisible();

  const definitions = page.getByRole('table', { name: 'Mandatory trainings with assignment statistics' });
  await expect(definitions.getByRole('row', { name: /Privacy and GDPR basics/ })).toContainText('TEAM (1)');
  const assignments = page.getByRole('table', { name: 'Training assignments' });
  await expect(assignments.getByRole('row', { name: /Edsger Dijkstra/ })).toContainText(
    'Privacy and GDPR basics',
  );
});
