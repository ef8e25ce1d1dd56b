import { checkPage, expect, nav, test } from './fixtures';

test('a reminder instance comes due and its owner completes it from the console', async ({
  page,
  vigil,
  signIn,
}, testInfo) => {
  const { harness, ws } = vigil;
  const created = await harness.request('POST', `/workspaces/${ws.id}/reminders`, ws.adminToken, {
    title: 'Review firewall rules',
    frequency: 'ONCE',
    start_date: new Date(Date.now() + 2_000).toISOString(),
    default_owner_id: ws.adminId,
  });
  expect(created.status).toBe(201);

  await signIn(vigil.adminEmail);
  await nav(page, 'Reminders').click();
  await page.getByRole('button', { name: 'Instances of Review firewall rules' }).click();
  const instances = page.getByRole('table', { name: 'Instances of the selected reminder' });
  await expect(instances.getByRole('button', { name: 'Complete' })).toBeVisible({ timeout: 60_000 });
  await checkPage(page, testInfo, 'reminders');
  await instances.getByRole('button', { name: 'Complete' }).click();
  const complete = page.getByRole('dialog', { name: 'Complete instance' });
  await complete.getByLabel('Notes').fill('Rules reviewed, two removed');
  await complete.getByRole('button', { name: 'Complete' }).click();
  await expect(instances).toContainText('COMPLETED');
  // Its details: the ladder (stopped: the instance is done) and its workflow in the Web UI.
  await instances.getByRole('button', { name: 'Instance details' }).click();
  const drawer = page.getByRole('dialog', { name: /Review firewall rules/ });
  await expect(drawer.getByTestId('workflow-link')).toHaveText(/^reminder_instance\/[0-9a-f-]{36}$/);
  await expect(drawer).toContainText('Rules reviewed, two removed');
});

test('a new reminder previews its next occurrences in its time zone, live as the schedule changes', async ({
  page,
  vigil,
  signIn,
}, testInfo) => {
  await signIn(vigil.adminEmail);
  await nav(page, 'Reminders').click();
  await page.getByRole('button', { name: 'New reminder' }).click();
  const dialog = page.getByRole('dialog', { name: 'New reminder' });
  await dialog.getByLabel('Title').fill('Quarterly access review');
  await dialog.getByLabel('First due (Europe/Paris)').fill('2030-01-31T09:30');
  const preview = dialog.getByTestId('schedule-preview');
  // WEEKLY (the default): every Thursday at 09:30 Paris time.
  await expect(preview.getByRole('listitem').first()).toHaveText('Thu 31 Jan 2030, 09:30 GMT+1');
  await expect(preview.getByRole('listitem').nth(1)).toHaveText('Thu 7 Feb 2030, 09:30 GMT+1');

  // MONTHLY keeps the anchor day, clamped to the end of February; summer time shows GMT+2.
  await dialog.getByRole('combobox', { name: 'Frequency' }).click();
  await page.getByRole('option', { name: 'MONTHLY', exact: true }).click();
  await expect(preview.getByRole('listitem').nth(1)).toHaveText('Thu 28 Feb 2030, 09:30 GMT+1');
  await expect(preview.getByRole('listitem').nth(2)).toHaveText('Sun 31 Mar 2030, 09:30 GMT+2');

  // Another zone: the wall time is read there.
  await dialog.getByRole('combobox', { name: 'Time zone' }).click();
  await dialog.getByRole('combobox', { name: 'Time zone' }).fill('America/New_York');
  await page.getByRole('option', { name: 'America/New_York', exact: true }).click();
  await expect(dialog.getByLabel('First due (America/New_York)')).toBeVisible();
  await expect(preview.getByRole('listitem').first()).toHaveText('Thu 31 Jan 2030, 09:30 EST');
  await dialog.getByRole('heading', { name: 'New reminder' }).hover();
  await checkPage(page, testInfo, 'reminder-preview');

  await dialog.getByRole('button', { name: 'Create reminder' }).click();
  await expect(page.getByText('Reminder Quarterly access review created')).toBeVisible();
  const row = page
    .getByRole('table', { name: 'Reminders' })
    .getByRole('row', { name: /Quarterly access review/ });
  await expect(row).toContainText('MONTHLY');
  // 09:30 in New York is 15:30 in Paris, the viewer's zone.
  await expect(row).toContainText('31 Jan 2030, 15:30');
});
