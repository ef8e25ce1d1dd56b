import { randomUUID } from 'node:crypto';
import { checkPage, expect, nav, test } from './fixtures';

test('a member completes a training and a control with an uploaded evidence file from My obligations', async ({
  page,
  vigil,
  signIn,
}, testInfo) => {
  const { harness, ws } = vigil;
  const t = ws.adminToken;
  const me = await ws.member('MEMBER', { name: 'Sol Selfservice' });
  const email = (await harness.request('GET', `/workspaces/${ws.id}/members/${me.id}`, t)).body
    .email as string;
  const suffix = randomUUID().slice(0, 6);
  const training = await harness.request('POST', '/compliance/mandatory-training', t, {
    name: `Phishing basics ${suffix}`,
    applies_to_type: 'INDIVIDUAL',
    applies_to_ids: [],
  });
  expect(training.status).toBe(201);
  const assignment = await harness.request('POST', '/compliance/assignments', t, {
    mandatory_training_id: training.body.id,
    developer_id: me.id,
    due_date: new Date(Date.now() + 5 * 86_400_000).toISOString(),
  });
  expect(assignment.status).toBe(201);
  const reminder = await harness.request('POST', `/workspaces/${ws.id}/reminders`, t, {
    title: `Review access logs ${suffix}`,
    frequency: 'ONCE',
    start_date: new Date(Date.now() + 2_000).toISOString(),
    default_owner_id: me.id,
    requires_evidence: true,
  });
  expect(reminder.status).toBe(201);

  await signIn(email);
  await nav(page, 'My obligations').click();
  const h1 = page.getByRole('heading', { level: 1, name: 'My obligations' });
  await expect(h1).toBeVisible();
  const items = page.getByRole('table', { name: 'Your open items' });
  const trainingRow = items.getByRole('row').filter({ hasText: `Phishing basics ${suffix}` });
  await trainingRow.getByRole('button', { name: 'Start' }).click();
  await expect(trainingRow).toContainText(/IN.PROGRESS/);
  await trainingRow.getByRole('textbox', { name: /Progress of/ }).fill('60');
  await trainingRow.getByRole('button', { name: 'Save progress' }).click();
  await expect(page.getByText('Progress 60%')).toBeVisible();
  // The control's instance comes due within seconds (the engine opens it) and shows in the inbox.
  const controlRow = items.getByRole('row').filter({ hasText: `Review access logs ${suffix}` });
  await expect(controlRow).toBeVisible({ timeout: 60_000 });
  await h1.hover();
  await checkPage(page, testInfo, 'self-service-inbox');

  await trainingRow.getByRole('button', { name: 'Complete' }).click();
  await expect(page.getByText('Training completed')).toBeVisible();
  await expect(trainingRow).toHaveCount(0);

  await controlRow.getByRole('button', { name: 'Complete…' }).click();
  const dialog = page.getByRole('dialog');
  await expect(dialog).toBeVisible();
  await dialog.getByLabel('Evidence file').setInputFiles({
    name: 'access-review.txt',
    mimeType: 'text/plain',
    buffer: Buffer.from('Access review: 14 accounts checked, 2 removed.\n'),
  });
  await checkPage(page, testInfo, 'self-service-evidence');
  await dialog.getByRole('button', { name: 'Complete with evidence' }).click();
  await expect(page.getByText('Control completed')).toBeVisible();
  await expect(controlRow).toHaveCount(0);

  // The instance is COMPLETED with the uploaded file as its evidence document, stored in S3.
  const instances = await harness.request(
    'GET',
    `/workspaces/${ws.id}/reminders/${reminder.body.id}/instances`,
    t,
  );
  const done = instances.body.data[0];
  expect(done.status).toBe('COMPLETED');
  const docId = done.evidence_links[0].document_id as string;
  expect(docId).toEqual(expect.any(String));
  const docs = await harness.request('GET', `/workspaces/${ws.id}/compliance/documents?limit=200`, t);
  const doc = docs.body.data.find((d: { id: string }) => d.id === docId);
  expect(doc).toMatchObject({ title: 'access-review.txt' });
  const finished = await harness.request('GET', `/compliance/assignments/${assignment.body.id}`, t);
  expect(finished.body).toMatchObject({ status: 'COMPLETED' });
});

test('a member sets their time zone and notification preferences', async ({
  page,
  vigil,
  signIn,
}, testInfo) => {
  const { harness, ws } = vigil;
  const me = await ws.member('MEMBER', { name: 'Pia Preferences' });
  const email = (await harness.request('GET', `/workspaces/${ws.id}/members/${me.id}`, ws.adminToken)).body
    .email as string;
  await signIn(email);
  await page.goto('/preferences');
  const h1 = page.getByRole('heading', { level: 1, name: 'My preferences' });
  await expect(h1).toBeVisible();
  await page.getByLabel('Time zone', { exact: true }).first().fill('Europe/Paris');
  await page.getByRole('option', { name: 'Europe/Paris' }).click();
  await page.getByRole('checkbox', { name: 'Slack' }).uncheck();
  await page.getByRole('switch', { name: /Quiet hours/ }).check();
  await page.getByLabel('Quiet from (HH:MM)').fill('21:00');
  await page.getByLabel('Quiet until (HH:MM)').fill('07:30');
  await page.getByRole('switch', { name: /Skip weekends/ }).check();
  await page.getByRole('switch', { name: /Daily digest/ }).uncheck();
  await h1.hover();
  await checkPage(page, testInfo, 'preferences');
  await page.getByRole('button', { name: 'Save preferences' }).click();
  await expect(page.getByText('Preferences saved')).toBeVisible();
  const after = await harness.request('GET', `/workspaces/${ws.id}/members/${me.id}`, ws.adminToken);
  expect(after.body.timezone).toBe('Europe/Paris');
  expect(after.body.notification_preferences).toEqual({
    channels: ['email'],
    quiet_hours: { start: '21:00', end: '07:30' },
    skip_weekends: true,
    daily_digest: false,
  });
});
