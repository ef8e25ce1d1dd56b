import { checkPage, expect, nav, test } from './fixtures';

test("a member sees their own open items in My obligations, with the next step, and no one else's", async ({
  page,
  vigil,
  signIn,
}, testInfo) => {
  const { harness, ws } = vigil;
  const me = await ws.member('MEMBER', { name: 'Inbox Member' });
  const other = await ws.member('MEMBER', { name: 'Other Member' });
  const email = (await harness.request('GET', `/workspaces/${ws.id}/members/${me.id}`, ws.adminToken)).body
    .email as string;
  const training = await harness.request('POST', '/compliance/mandatory-training', ws.adminToken, {
    name: 'Inbox journey training',
    applies_to_type: 'INDIVIDUAL',
    applies_to_ids: [],
  });
  expect(training.status).toBe(201);
  for (const [who, days] of [
    [me.id, 5],
    [other.id, 2],
  ] as const) {
    const a = await harness.request('POST', '/compliance/assignments', ws.adminToken, {
      mandatory_training_id: training.body.id,
      developer_id: who,
      due_date: new Date(Date.now() + days * 86_400_000).toISOString(),
    });
    expect(a.status).toBe(201);
  }

  await signIn(email);
  await nav(page, 'My obligations').click();
  await expect(page.getByRole('heading', { level: 1, name: 'My obligations' })).toBeVisible();
  const items = page.getByRole('table', { name: 'Your open items' });
  await expect(items.getByRole('row')).toHaveCount(2); // the header and my one item
  await expect(items).toContainText('Training: Inbox journey training');
  await expect(items).toContainText(/reminder (now|in \d+ (day|hour|minute)s?)/);
  // (Off the navigation link just clicked, whose hover colour is not what the page shows at rest.)
  await page.getByRole('heading', { level: 1, name: 'My obligations' }).hover();
  await checkPage(page, testInfo, 'inbox');
});
