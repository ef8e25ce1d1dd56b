import { checkPage, expect, nav, test } from './fixtures';

const OFFICER_PAGES = [
  'Overview',
  'Training',
  'Acknowledgements',
  'Escalation tickets',
  'Certifications',
  'Reminders',
  'Reports',
  'Evidence packs',
  'Audit log',
  'People',
  'Workspace settings',
];

test("a member's console shows only their own pages; a deep link to an officer page is not allowed", async ({
  page,
  vigil,
  signIn,
}, testInfo) => {
  const { harness, ws } = vigil;
  const member = await ws.member('MEMBER', { name: 'Plain Member' });
  const email = (await harness.request('GET', `/workspaces/${ws.id}/members/${member.id}`, ws.adminToken))
    .body.email as string;
  await signIn(email);
  // The landing page of a member is their obligations (the overview's reports are not theirs to read).
  await expect(page).toHaveURL(/\/me$/);
  await expect(nav(page, 'My obligations')).toBeVisible();
  await expect(nav(page, 'My sessions')).toBeVisible();
  // Policies are everyone's to read (approving and editing follow the API's roles).
  await expect(nav(page, 'Policies')).toBeVisible();
  for (const label of OFFICER_PAGES) await expect(nav(page, label)).toHaveCount(0);

  for (const path of ['/audit', '/reports', '/evidence-packs', '/training', '/people']) {
    await page.goto(path);
    await expect(page.getByRole('heading', { level: 1, name: 'Not allowed' })).toBeVisible();
  }
  await page.goto('/audit');
  const heading = page.getByRole('heading', { level: 1, name: 'Not allowed' });
  await expect(heading).toBeVisible();
  await expect(page.getByText('Your access role (MEMBER) may not open this page')).toBeVisible();
  await heading.hover();
  await checkPage(page, testInfo, 'member-not-allowed');
  await page.getByRole('link', { name: 'Go to my obligations' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'My obligations' })).toBeVisible();
});
