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
  await expect(instances).toContainText('COMPLETED');
});
