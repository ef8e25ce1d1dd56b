import { readFile } from 'node:fs/promises';
import type { Page } from '@playwright/test';
import { checkPage, expect, nav, test } from './fixtures';

/** Names of controls that change something: an auditor's console renders none of them. */
const WRITE_CONTROL =
  /^(Create|New|Add|Edit|Delete|Remove|Approve|Reject|Save|Submit|Assign|Bulk|Waive|Revoke|Renew|Complete|Acknowledge|Skip|Start|Nudge|Archive|Resolve|Escalate|Upload|Acknowledge)\b/i;

const noWriteControl = async (page: Page) => {
  await expect(page.getByRole('button', { name: WRITE_CONTROL })).toHaveCount(0);
  await expect(page.getByRole('link', { name: WRITE_CONTROL })).toHaveCount(0);
};

test('an auditor browses every portal page read-only, downloads a CSV and an evidence pack', async ({
  page,
  vigil,
  signIn,
}, testInfo) => {
  test.setTimeout(240_000);
  const { harness, ws } = vigil;
  const auditor = await ws.member('AUDITOR', { name: 'Portal Auditor' });
  const employee = await ws.member('MEMBER', { name: 'Portal Employee' });
  const auditorEmail = (
    await harness.request('GET', `/workspaces/${ws.id}/members/${auditor.id}`, ws.adminToken)
  ).body.email as string;
  // Something to read: an approved policy everyone must acknowledge, a training, a ticket.
  await harness.request('PATCH', `/workspaces/${ws.id}/settings`, ws.adminToken, {
    policy_approver_id: ws.adminId,
  });
  const policy = await harness.request('POST', '/api/policies', ws.adminToken, {
    name: 'Portal access policy',
    content: '# Access\n\nOnly what you need.\n',
    applies_to_all: true,
  });
  expect(policy.status).toBe(201);
  const approved = await harness.request(
    'POST',
    `/api/policies/${policy.body.policy.id}/approve`,
    ws.adminToken,
    {},
  );
  expect(approved.status).toBe(200);
  const training = await harness.request('POST', '/compliance/mandatory-training', ws.adminToken, {
    name: 'Portal privacy training',
    applies_to_type: 'INDIVIDUAL',
    applies_to_ids: [],
  });
  await harness.request('POST', '/compliance/assignments', ws.adminToken, {
    mandatory_training_id: training.body.id,
    developer_id: employee.id,
    due_date: new Date(Date.now() + 5 * 86_400_000).toISOString(),
  });
  await harness.request('POST', `/workspaces/${ws.id}/tickets`, ws.adminToken, {
    title: 'Portal ticket',
    severity: 'LOW',
    assignee_id: employee.id,
  });

  await signIn(auditorEmail);
  const visit = async (link: string, heading: string, name: string) => {
    await nav(page, link).click();
    const h1 = page.getByRole('heading', { level: 1, name: heading });
    await expect(h1).toBeVisible();
    await expect(page.getByLabel(/^Loading/)).toHaveCount(0);
    await noWriteControl(page);
    await h1.hover();
    await checkPage(page, testInfo, name);
    return h1;
  };

  await visit('Overview', 'Overview', 'portal-overview');
  await visit('My obligations', 'My obligations', 'portal-inbox');
  await visit('Training', 'Training', 'portal-training');
  await expect(page.getByText('Portal privacy training').first()).toBeVisible();
  await visit('Policies', 'Policies', 'portal-policies');
  await page.getByRole('link', { name: 'Portal access policy' }).click();
  await expect(page.getByRole('table', { name: 'Versions of this policy' })).toContainText('APPROVED');
  await noWriteControl(page);
  await page.getByRole('heading', { level: 1, name: 'Portal access policy' }).hover();
  await checkPage(page, testInfo, 'portal-policy');

  await visit('Acknowledgements', 'Acknowledgements', 'portal-acknowledgements');
  await page.getByRole('combobox', { name: 'Policy' }).click();
  await page.getByRole('option', { name: 'Portal access policy' }).click();
  const byPolicy = page.getByRole('table', { name: 'Acknowledgement status of the policy per employee' });
  await expect(byPolicy.getByRole('row', { name: /Portal Employee/ })).toContainText('PENDING');
  await page.getByRole('combobox', { name: 'Employee' }).click();
  await page.getByRole('option', { name: /^Portal Employee/ }).click();
  await expect(
    page.getByRole('table', { name: 'Acknowledgement status of the employee per policy' }),
  ).toContainText('Portal access policy');
  await noWriteControl(page);
  await page.getByRole('heading', { level: 1, name: 'Acknowledgements' }).hover();
  await checkPage(page, testInfo, 'portal-acknowledgements-picked');

  await visit('Escalation tickets', 'Escalation tickets', 'portal-tickets');
  await expect(page.getByText('Portal ticket')).toBeVisible();
  await visit('Certifications', 'Certifications', 'portal-certifications');
  await visit('Reminders', 'Reminders', 'portal-reminders');

  await visit('Reports', 'Reports', 'portal-reports');
  const download = page.waitForEvent('download');
  await page.getByRole('link', { name: 'Download CSV of overdue items' }).click();
  const csv = await readFile((await (await download).path()) as string, 'utf8');
  expect(csv.split('\n')[0]).toBe('kind,id,title,owner_id,owner_name,due_at,days_overdue,escalation_level');

  await visit('Evidence packs', 'Evidence packs', 'portal-evidence-packs');
  // The one write an auditor has: requesting the evidence pack they audit.
  await page.getByRole('button', { name: 'Request evidence pack' }).click();
  const packs = page.getByRole('table', { name: 'Evidence packs, newest first' });
  await expect(packs.getByRole('link', { name: 'Download zip' }).first()).toBeVisible({ timeout: 120_000 });
  const href = await packs.getByRole('link', { name: 'Download zip' }).first().getAttribute('href');
  const zip = await fetch(href as string);
  expect(zip.status).toBe(200);
  expect(
    Buffer.from(await zip.arrayBuffer())
      .subarray(0, 2)
      .toString(),
  ).toBe('PK');
  await page.getByRole('heading', { level: 1, name: 'Evidence packs' }).hover();
  await checkPage(page, testInfo, 'portal-evidence-pack-ready');

  await visit('Audit log', 'Audit log', 'portal-audit');
  await page.getByRole('button', { name: 'Verify the chain' }).click();
  await expect(page.getByTestId('verify-result')).toContainText('The chain is intact');
  await visit('My sessions', 'My sessions', 'portal-sessions');
});
