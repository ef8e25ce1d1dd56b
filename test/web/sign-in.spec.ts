import { checkPage, expect, mailedLink, test } from './fixtures';

test('a member signs in by the emailed link and sees the overview; a used link is refused', async ({
  page,
  vigil,
}, testInfo) => {
  await page.goto('/');
  await expect(page).toHaveURL(/\/sign-in$/);
  await expect(page.getByRole('heading', { name: 'Sign in to Vigil' })).toBeVisible();
  await checkPage(page, testInfo, 'sign-in');

  const since = Date.now();
  await page.getByLabel('Work email').fill(vigil.adminEmail);
  await page.getByRole('button', { name: 'Email me a sign-in link' }).click();
  await expect(page.getByText('Check your mail')).toBeVisible();
  const link = await mailedLink(vigil, vigil.adminEmail, since);

  await page.goto(link);
  await expect(page.getByRole('heading', { level: 1, name: 'Overview' })).toBeVisible();
  await expect(page.getByTestId('compliance-score')).toBeVisible();
  await expect(page.getByRole('banner')).toContainText('Console journeys');
  const cookies = await page.context().cookies();
  expect(cookies.find((c) => c.name === 'vigil_session')?.httpOnly).toBe(true);
  await checkPage(page, testInfo, 'overview');

  // The link works once.
  const other = await page.context().browser()!.newContext();
  const second = await other.newPage();
  await second.goto(link);
  await expect(second).toHaveURL(/\/sign-in\?error=link_expired/);
  await expect(second.getByRole('alert')).toContainText('expired');
  await other.close();

  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page).toHaveURL(/\/sign-in/);
  await page.goto('/training');
  await expect(page).toHaveURL(/\/sign-in\?next=%2Ftraining/);
});
