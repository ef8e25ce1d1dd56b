import { checkPage, expect, nav, test } from './fixtures';

test('a certification is added to a member, renewed, and its details show the ladder and workflow', async ({
  page,
  vigil,
  signIn,
}, testInfo) => {
  const { harness, ws } = vigil;
  const cert = await harness.request('POST', '/compliance/certifications', ws.adminToken, {
    name: 'AWS Solutions Architect',
    validity_months: 12,
  });
  expect(cert.status).toBe(201);
  const holder = await ws.member('MEMBER', { name: 'Barbara Liskov' });

  await signIn(vigil.adminEmail);
  await nav(page, 'Certifications').click();
  await page.getByRole('button', { name: 'Add to a member' }).click();
  const add = page.getByRole('dialog', { name: 'Add a certification to a member' });
  await add.getByRole('combobox', { name: 'Member' }).click();
  await add.getByRole('combobox', { name: 'Member' }).fill('Barbara');
  await page.getByRole('option', { name: /Barbara Liskov/ }).click();
  await add.getByRole('combobox', { name: 'Certification' }).click();
  await page.getByRole('option', { name: 'AWS Solutions Architect' }).click();
  await add.getByLabel('Issued on').fill('2026-01-15');
  await add.getByRole('heading', { name: 'Add a certification to a member' }).hover();
  await checkPage(page, testInfo, 'certification-add');
  await add.getByRole('button', { name: 'Add certification' }).click();
  await expect(page.getByText('Certification recorded')).toBeVisible();

  const row = page
    .getByRole('table', { name: 'Held certifications' })
    .getByRole('row', { name: /Barbara Liskov/ });
  // Issued 15 Jan 2026 + 12 months.
  await expect(row).toContainText('15 Jan 2027');
  await row.getByRole('button', { name: 'Renew AWS Solutions Architect held by Barbara Liskov' }).click();
  const renew = page.getByRole('dialog', { name: 'Renew certification' });
  await renew.getByLabel('New expiry').fill('2031-06-30');
  await renew.getByRole('button', { name: 'Renew' }).click();
  await expect(page.getByText('Certification renewed: active')).toBeVisible();
  await expect(row).toContainText('30 Jun 2031');

  const held = await harness.request(
    'GET',
    `/compliance/developer-certifications?developer_id=${holder.id}`,
    ws.adminToken,
  );
  const id = held.body.data[0].id as string;
  await row
    .getByRole('button', { name: 'Details of AWS Solutions Architect held by Barbara Liskov' })
    .click();
  const drawer = page.getByRole('dialog', { name: 'Certification: AWS Solutions Architect' });
  // No ladder is configured for certifications here: the drawer says so, and what comes next.
  await expect(drawer.getByRole('heading', { name: 'Escalation ladder' })).toBeVisible();
  await expect(drawer).toContainText('No escalation ladder applies.');
  await expect(drawer).toContainText('Next: mark expiring soon at');
  const link = drawer.getByTestId('workflow-link');
  await expect(link).toHaveText(`member_certification/${id}`);
  await expect(link).toHaveAttribute(
    'href',
    new RegExp(`/namespaces/default/workflows/member_certification%2F${id}$`),
  );
  await drawer.getByText('Escalation ladder', { exact: true }).hover();
  await checkPage(page, testInfo, 'certification-details');
});
