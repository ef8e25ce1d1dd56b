import * as XLSX from 'xlsx';
import { checkPage, expect, nav, requestLink, test } from './fixtures';

const XLSX_MIME = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** A vendor security questionnaire as customers send them: a title, headers, sections, noise. */
function workbook(): Buffer {
  const wb = XLSX.utils.book_new();
  const rows = [
    ['Vendor security questionnaire'],
    ['ID', 'Question', 'Answer', 'Comments'],
    ['Access Control'],
    ['AC-1', 'Do you review user access quarterly?', 'Yes', ''],
    ['AC-2', 'Is MFA enforced for all administrator accounts?', 'Yes', ''],
    ['BK-1', 'Are backups restored in a test monthly?', 'Yes', ''],
    [],
    ['PH-1', 'Do you have CCTV at every data center?', 'No', ''],
    ['IR-1', 'Is the incident response plan tested annually?', 'Yes', ''],
  ];
  XLSX.utils.book_append_sheet(wb, XLSX.utils.aoa_to_sheet(rows), 'Security');
  return XLSX.write(wb, { type: 'buffer', bookType: 'xlsx' }) as Buffer;
}

test('upload a questionnaire and accept a suggestion', async ({ page, vigil, signIn }, testInfo) => {
  const { harness, ws } = vigil;
  await signIn(vigil.adminEmail);
  await nav(page, 'Questionnaires').click();
  await expect(page.getByRole('heading', { level: 1, name: 'Questionnaires' })).toBeVisible();
  await page.getByLabel('Name (optional)').fill('Acme vendor review');

  // drag and drop the workbook onto the drop area, as a browser does with a file from the desktop
  const file = workbook();
  const dataTransfer = await page.evaluateHandle(
    ({ b64, type }) => {
      const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
      // runs in the page: DataTransfer is the browser's (the test's tsconfig has no DOM types)
      const Dt = (globalThis as unknown as { DataTransfer: new () => { items: { add(f: File): void } } })
        .DataTransfer;
      const dt = new Dt();
      dt.items.add(new File([bytes], 'acme-vendor.xlsx', { type }));
      return dt;
    },
    { b64: file.toString('base64'), type: XLSX_MIME },
  );
  await page.getByTestId('drop-area').first().dispatchEvent('dragover', { dataTransfer });
  await page.getByTestId('drop-area').first().dispatchEvent('drop', { dataTransfer });

  // the upload lands on the questionnaire's page with its parsed rows
  await expect(page.getByRole('heading', { level: 1, name: 'Acme vendor review' })).toBeVisible();
  const rows = page.getByRole('table', { name: 'Parsed rows of the questionnaire, in sheet and row order' });
  await expect(rows.getByRole('row', { name: /AC-2/ })).toContainText(
    'Is MFA enforced for all administrator accounts?',
  );
  await expect(rows.getByRole('row', { name: /PH-1/ })).toContainText('No');

  await page.getByRole('button', { name: 'Analyze', exact: true }).click();
  await expect(
    page.getByRole('status').filter({ hasText: /suggestion\(s\); \d+ row\(s\) skipped/ }),
  ).toBeVisible();
  const suggestions = page.getByRole('table', { name: 'Reminder suggestions from this questionnaire' });
  const ac1 = suggestions.getByRole('row', { name: /AC-1/ });
  await expect(ac1).toContainText('Review user access quarterly');
  await expect(ac1).toContainText('PENDING');
  // a "No" answer (no control in place) is not suggested
  await expect(suggestions.getByRole('row', { name: /PH-1/ })).toHaveCount(0);

  await ac1.getByRole('button', { name: /^Accept/ }).click();
  const accept = page.getByRole('dialog', { name: 'Accept the suggestion' });
  await expect(accept.getByLabel('Title')).toHaveValue('Review user access quarterly');
  await accept.getByRole('button', { name: 'Create the reminder' }).click();
  await expect(page.getByText('Reminder “Review user access quarterly” created')).toBeVisible();
  await expect(ac1).toContainText('ACCEPTED');
  await expect(ac1).toContainText('Reminder created');

  const bk1 = suggestions.getByRole('row', { name: /BK-1/ });
  await bk1.getByRole('button', { name: /^Reject/ }).click();
  const reject = page.getByRole('dialog', { name: 'Reject the suggestion' });
  await reject.getByLabel('Reason').fill('Backups are covered by the hosting provider');
  await reject.getByRole('button', { name: 'Reject' }).click();
  await expect(bk1).toContainText('REJECTED');
  await expect(bk1).toContainText('Reason: Backups are covered by the hosting provider');

  // the API holds the same decisions, and the accepted suggestion made a reminder
  const listed = await harness.request('GET', `/workspaces/${ws.id}/questionnaires`, ws.adminToken);
  const q = listed.body.data.find((r: { name: string }) => r.name === 'Acme vendor review');
  expect(q).toMatchObject({ status: 'ANALYZED', file_name: 'acme-vendor.xlsx' });
  const decided = await harness.request(
    'GET',
    `/workspaces/${ws.id}/reminders/suggestions?questionnaire_id=${q.id}&limit=50`,
    ws.adminToken,
  );
  const byQuestion = Object.fromEntries(
    decided.body.data.map((s: { question_id: string; status: string }) => [s.question_id, s]),
  );
  expect(byQuestion['AC-1']).toMatchObject({ status: 'ACCEPTED', created_reminder_id: expect.any(String) });
  expect(byQuestion['BK-1']).toMatchObject({
    status: 'REJECTED',
    rejection_reason: 'Backups are covered by the hosting provider',
  });

  await page.getByRole('heading', { level: 1 }).hover();
  await checkPage(page, testInfo, 'questionnaire');
  await page.getByRole('link', { name: '← All questionnaires' }).click();
  const list = page.getByRole('table', { name: 'Imported questionnaires, newest first' });
  await expect(list.getByRole('row', { name: /Acme vendor review/ })).toContainText('ANALYZED');
  await page.getByRole('heading', { level: 1 }).hover();
  await checkPage(page, testInfo, 'questionnaires');
});

test('an auditor reads a questionnaire with no write control shown, and the API answers 403', async ({
  page,
  vigil,
}) => {
  const { harness, ws } = vigil;
  const up = await fetch(`${harness.baseUrl}/workspaces/${ws.id}/questionnaires/upload?filename=audit.xlsx`, {
    method: 'POST',
    headers: { authorization: `Bearer ${ws.adminToken}`, 'content-type': XLSX_MIME },
    body: new Uint8Array(workbook()),
  });
  expect(up.status).toBe(201);
  const q = (await up.json()) as { id: string };
  expect(
    (await harness.request('POST', `/workspaces/${ws.id}/questionnaires/${q.id}/analyze`, ws.adminToken))
      .status,
  ).toBe(200);
  const auditor = await ws.member('AUDITOR', { name: 'Ann Auditor' });
  const member = await harness.request('GET', `/workspaces/${ws.id}/members/${auditor.id}`, ws.adminToken);
  await page.goto(await requestLink(vigil, member.body.email));
  await page.goto(`/questionnaires/${q.id}`);
  await expect(page.getByRole('heading', { level: 1, name: 'audit' })).toBeVisible();
  const suggestions = page.getByRole('table', { name: 'Reminder suggestions from this questionnaire' });
  const row = suggestions.getByRole('row', { name: /AC-1/ });
  await expect(row).toBeVisible();
  // A read-only session is shown no write controls at all.
  await expect(page.getByRole('button', { name: 'Analyze again' })).toHaveCount(0);
  await expect(row.getByRole('button', { name: /^Accept/ })).toHaveCount(0);
  await page.goto('/questionnaires');
  await expect(
    page.getByRole('table', { name: /Imported questionnaires/ }).getByRole('row', { name: /audit/ }),
  ).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Import a questionnaire' })).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Choose a file' })).toHaveCount(0);
  const forced = await harness.request(
    'POST',
    `/workspaces/${ws.id}/questionnaires/${q.id}/analyze`,
    auditor.token,
  );
  expect(forced.status).toBe(403);
  const sugg = await harness.request(
    'GET',
    `/workspaces/${ws.id}/reminders/suggestions?questionnaire_id=${q.id}&status=PENDING`,
    auditor.token,
  );
  const rejected = await harness.request(
    'POST',
    `/workspaces/${ws.id}/reminders/suggestions/${sugg.body.data[0].id}/reject`,
    auditor.token,
    { reason: 'forced' },
  );
  expect(rejected.status).toBe(403);
});
