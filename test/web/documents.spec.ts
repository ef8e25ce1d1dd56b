import { pdf } from '../documents/fixtures';
import { checkPage, expect, nav, requestLink, test } from './fixtures';

test('upload a document and see its versions and extracted metadata', async ({
  page,
  vigil,
  signIn,
}, testInfo) => {
  const { harness, ws } = vigil;
  await signIn(vigil.adminEmail);
  await nav(page, 'Documents').click();
  await expect(page.getByRole('heading', { level: 1, name: 'Documents' })).toBeVisible();

  // a folder, made here and selected in the tree
  await page.getByRole('button', { name: 'New folder' }).click();
  const create = page.getByRole('dialog', { name: 'New folder' });
  await create.getByLabel('Name').fill('Security policies');
  await create.getByRole('button', { name: 'Create' }).click();
  const tree = page.getByRole('navigation', { name: 'Folders' });
  await expect(tree.getByRole('button', { name: /Security policies/ })).toHaveAttribute(
    'aria-current',
    'true',
  );
  await expect(page.getByRole('heading', { name: 'Upload to Security policies' })).toBeVisible();

  // a two-page PDF, through the presigned PUT flow (upload-url, PUT to storage, register)
  const file = pdf(
    [
      ['Incident response plan', 'Every security incident is triaged within one hour.'],
      ['Access control', 'Multi factor authentication and a quarterly access review are required.'],
    ],
    { title: 'Incident response plan' },
  );
  await page.getByLabel('Title (optional)').fill('Incident response plan 2026');
  await page.getByLabel('Document file').setInputFiles({
    name: 'incident-response.pdf',
    mimeType: 'application/pdf',
    buffer: file,
  });
  await expect(
    page.getByText('incident-response.pdf: uploaded as “Incident response plan 2026” in Security policies'),
  ).toBeVisible();
  const inFolder = page.getByRole('table', { name: 'Documents: Security policies' });
  const row = inFolder.getByRole('row', { name: /Incident response plan 2026/ });
  await expect(row).toContainText('incident-response.pdf');
  await expect(row).toContainText('v1');
  await expect(tree.getByRole('button', { name: /Security policies/ })).toContainText('1');
  // the bytes went to the storage directly, not through the API
  const stored = await harness.request(
    'GET',
    `/workspaces/${ws.id}/compliance/documents?search=incident-response`,
    ws.adminToken,
  );
  expect(stored.body.data[0]).toMatchObject({
    size_bytes: file.length,
    mime_type: 'application/pdf',
    version: 1,
  });
  expect(stored.body.data[0].storage_key).toMatch(/^workspaces\/.+\/documents\/.+\/incident-response\.pdf$/);

  await row.getByRole('link', { name: 'Incident response plan 2026' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Incident response plan 2026' })).toBeVisible();
  // the extraction workflow reads the PDF: DONE with its page count, an extract and SOC 2 criteria
  const metadata = page.getByRole('region', { name: 'Extracted metadata of v1' });
  await expect(metadata.getByText('DONE')).toBeVisible({ timeout: 60_000 });
  await expect(metadata.getByText('Page count')).toBeVisible();
  await expect(metadata.getByText('Page count').locator('xpath=following-sibling::dd')).toHaveText('2');
  await expect(metadata.getByLabel('Text extract')).toContainText('Every security incident is triaged');
  const criteria = metadata.getByRole('table', { name: 'SOC 2 criteria detected in the text' });
  await expect(criteria.getByRole('row', { name: /CC7/ })).toContainText('System Operations');
  await expect(criteria.getByRole('row', { name: /CC6/ })).toContainText(
    'Logical and Physical Access Controls',
  );

  // a tag, then a second version: both versions listed, the new one extracted too
  await page.getByLabel('Add tags').fill('incident, SOC2');
  await page.getByRole('button', { name: 'Add', exact: true }).click();
  const tags = page.getByLabel('Tags of this document');
  await expect(tags).toContainText('incident');
  await expect(tags).toContainText('soc2');
  // a slow link (Chromium's network throttling, ~32 KB/s up) so the progress bar is seen moving
  const csv = `step,owner\n${'Triage the security incident,On-call\n'.repeat(2000)}Post-mortem,Incident lead\n`;
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.emulateNetworkConditions', {
    offline: false,
    latency: 20,
    downloadThroughput: -1,
    uploadThroughput: 32 * 1024,
  });
  await page.getByLabel('New version file').setInputFiles({
    name: 'incident-response-v2.csv',
    mimeType: 'text/csv',
    buffer: Buffer.from(csv),
  });
  const bar = page.getByRole('progressbar', { name: 'Upload of incident-response-v2.csv' });
  await expect(bar).toBeVisible();
  await expect
    .poll(async () => Number(await bar.getAttribute('aria-valuenow')), { timeout: 30_000 })
    .toBeGreaterThan(0);
  await expect(page.getByText('incident-response-v2.csv: uploaded as version 2')).toBeVisible({
    timeout: 60_000,
  });
  await cdp.send('Network.emulateNetworkConditions', {
    offline: false,
    latency: 0,
    downloadThroughput: -1,
    uploadThroughput: -1,
  });
  const versions = page.getByRole('table', { name: 'Versions of this document, newest first' });
  await expect(versions.getByRole('row', { name: /v2/ })).toContainText('incident-response-v2.csv');
  await expect(versions.getByRole('row', { name: /v1/ })).toContainText('incident-response.pdf');
  await expect(page.getByRole('region', { name: 'Extracted metadata of v2' }).getByText('DONE')).toBeVisible({
    timeout: 60_000,
  });
  await versions.getByRole('button', { name: 'Show the metadata of v1' }).click();
  await expect(page.getByRole('region', { name: 'Extracted metadata of v1' })).toBeVisible();

  await page.getByRole('heading', { level: 1 }).hover();
  await checkPage(page, testInfo, 'document');
  await page.getByRole('link', { name: '← All documents' }).click();
  await expect(
    page
      .getByRole('table', { name: 'Documents: All documents' })
      .getByRole('row', { name: /Incident response plan 2026/ }),
  ).toContainText('v2');
  await page.getByRole('heading', { level: 1 }).hover();
  await checkPage(page, testInfo, 'documents');
});

test('an auditor browses documents with no write control shown, and the API answers 403', async ({
  page,
  vigil,
}) => {
  const { harness, ws } = vigil;
  const folder = await harness.request(
    'POST',
    `/workspaces/${ws.id}/compliance/documents/folders`,
    ws.adminToken,
    {
      name: 'Evidence',
    },
  );
  expect(folder.status).toBe(201);
  const auditor = await ws.member('AUDITOR', { name: 'Doc Auditor' });
  const member = await harness.request('GET', `/workspaces/${ws.id}/members/${auditor.id}`, ws.adminToken);
  await page.goto(await requestLink(vigil, member.body.email));
  await page.goto('/documents');
  await expect(page.getByRole('heading', { level: 1, name: 'Documents' })).toBeVisible();
  await expect(page.getByRole('main').getByText('Evidence', { exact: true }).first()).toBeVisible();
  // A read-only session is shown no write controls at all.
  await expect(page.getByRole('button', { name: 'New folder' })).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Choose a file' })).toHaveCount(0);
  const forced = await harness.request(
    'POST',
    `/workspaces/${ws.id}/compliance/documents/upload-url`,
    auditor.token,
    {
      file_name: 'x.txt',
      mime_type: 'text/plain',
      size_bytes: 3,
    },
  );
  expect(forced.status).toBe(403);
  const folderForced = await harness.request(
    'POST',
    `/workspaces/${ws.id}/compliance/documents/folders`,
    auditor.token,
    {
      name: 'Nope',
    },
  );
  expect(folderForced.status).toBe(403);
});

test("an approver may change only their own documents: the admin's shows every write disabled, and the API answers 403", async ({
  page,
  vigil,
}) => {
  const { harness, ws } = vigil;
  const form = new FormData();
  form.append('title', 'Board minutes');
  form.append('file', new Blob(['The board of directors met.\n'], { type: 'text/plain' }), 'minutes.txt');
  const up = await fetch(`${harness.baseUrl}/workspaces/${ws.id}/compliance/documents/upload`, {
    method: 'POST',
    headers: { authorization: `Bearer ${ws.adminToken}` },
    body: form,
  });
  expect(up.status).toBe(201);
  const doc = (await up.json()) as { id: string };
  const approver = await ws.member('APPROVER', { name: 'Ada Approver' });
  const member = await harness.request('GET', `/workspaces/${ws.id}/members/${approver.id}`, ws.adminToken);
  await page.goto(await requestLink(vigil, member.body.email));
  await page.goto(`/documents/${doc.id}`);
  await expect(page.getByRole('heading', { level: 1, name: 'Board minutes' })).toBeVisible();
  for (const name of ['Edit', 'Archive', 'Delete', 'Add', 'Link'])
    await expect(page.getByRole('button', { name, exact: true })).toHaveAttribute('aria-disabled', 'true');
  await expect(page.getByLabel('New version file')).toBeDisabled();
  const forced = await harness.request(
    'PATCH',
    `/workspaces/${ws.id}/compliance/documents/${doc.id}`,
    approver.token,
    { title: 'Mine now' },
  );
  expect(forced.status).toBe(403);
  // an approver still uploads documents of their own
  await page.goto('/documents');
  await expect(page.getByRole('button', { name: 'Choose a file' })).toBeEnabled();
});
