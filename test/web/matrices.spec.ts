import { checkPage, expect, nav, test } from './fixtures';

test('an admin creates an escalation matrix with two levels, edits a level and sees it listed', async ({
  page,
  vigil,
  signIn,
}, testInfo) => {
  const { harness, ws } = vigil;
  const team = await harness.request('POST', `/workspaces/${ws.id}/teams`, ws.adminToken, {
    name: 'Facilities',
  });
  expect(team.status).toBe(201);

  await signIn(vigil.adminEmail);
  await nav(page, 'Escalation tickets').click();
  await page.getByRole('link', { name: 'Escalation matrices' }).first().click();
  await expect(page.getByRole('heading', { level: 1, name: 'Escalation matrices' })).toBeVisible();
  await page.getByRole('button', { name: 'New matrix' }).click();
  const dialog = page.getByRole('dialog', { name: 'New escalation matrix' });
  await dialog.getByLabel(/^Name/).fill('Facilities ladder');
  await dialog.getByRole('combobox', { name: 'Teams' }).click();
  await page.getByRole('option', { name: 'Facilities' }).click();
  await page.keyboard.press('Escape');
  await dialog.getByLabel('Level 1 after').fill('PT2H');
  await dialog.getByRole('button', { name: 'Add level' }).click();
  // The form refuses what the API refuses: L2 earlier than L1.
  await dialog.getByLabel('Level 2 after').fill('PT1H');
  await dialog.getByRole('button', { name: 'Create matrix' }).click();
  await expect(dialog.getByText("Earlier than L1's after")).toBeVisible();
  await dialog.getByLabel('Level 2 after').fill('PT8H');
  await dialog.getByRole('button', { name: 'Create matrix' }).click();
  await expect(page.getByText('Created Facilities ladder')).toBeVisible();

  const row = page
    .getByRole('table', { name: 'Escalation matrices' })
    .getByRole('row', { name: /Facilities ladder/ });
  await expect(row).toContainText('L1 after PT2H → team lead');
  await expect(row).toContainText('L2 after PT8H → manager');
  await expect(row).toContainText('teams Facilities');

  await row.getByRole('button', { name: 'Edit Facilities ladder' }).click();
  const edit = page.getByRole('dialog', { name: 'Edit Facilities ladder' });
  await edit.getByLabel('Level 2 after').fill('PT12H');
  await edit.getByRole('combobox', { name: 'Level 2 target' }).click();
  await page.getByRole('option', { name: 'Director (settings contact)' }).click();
  await edit.getByRole('button', { name: 'Save matrix' }).click();
  await expect(page.getByText('Saved Facilities ladder')).toBeVisible();
  await expect(row).toContainText('L2 after PT12H → director');
  await page.getByRole('heading', { level: 1, name: 'Escalation matrices' }).hover();
  await checkPage(page, testInfo, 'matrices');

  const stored = await harness.request('GET', `/workspaces/${ws.id}/escalation-matrices`, ws.adminToken);
  const m = stored.body.data.find((x: { name: string }) => x.name === 'Facilities ladder');
  expect(m.rules.map((r: { level: string; after: string }) => `${r.level}:${r.after}`)).toEqual([
    'L1:PT2H',
    'L2:PT12H',
  ]);
  expect(m.team_ids).toEqual([team.body.id]);
});
