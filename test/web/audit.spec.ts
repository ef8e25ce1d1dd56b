import { checkPage, expect, nav, test } from './fixtures';

test('an admin filters the audit log and verifies the chain', async ({ page, vigil, signIn }, testInfo) => {
  await signIn(vigil.adminEmail);
  await nav(page, 'Audit log').click();
  const table = page.getByRole('table', { name: 'Audit log entries, newest first' });
  await expect(table.getByRole('row', { name: /WORKSPACE_CREATED/ })).toBeVisible();
  await page.getByRole('button', { name: 'Verify the chain' }).click();
  await expect(page.getByTestId('verify-result')).toContainText('The chain is intact');
  await checkPage(page, testInfo, 'audit');
});
