import { eventually } from '../harness';
import { checkPage, expect, nav, test } from './fixtures';

test("a manager sees a report's overdue item and nudges it once; a second nudge the same day is refused", async ({
  page,
  vigil,
  signIn,
}, testInfo) => {
  const { harness, ws } = vigil;
  const manager = await ws.member('MANAGER', { name: 'Team Journey Manager' });
  const report = await ws.member('MEMBER', { name: 'Late Report', manager_id: manager.id });
  const stranger = await ws.member('MEMBER', { name: 'Not My Report' });
  const email = async (id: string) =>
    (await harness.request('GET', `/workspaces/${ws.id}/members/${id}`, ws.adminToken)).body.email as string;
  const training = await harness.request('POST', '/compliance/mandatory-training', ws.adminToken, {
    name: 'Secure coding basics',
    applies_to_type: 'INDIVIDUAL',
    applies_to_ids: [],
  });
  expect(training.status).toBe(201);
  const assign = async (who: string, dueInMs: number) => {
    const a = await harness.request('POST', '/compliance/assignments', ws.adminToken, {
      mandatory_training_id: training.body.id,
      developer_id: who,
      due_date: new Date(Date.now() + dueInMs).toISOString(),
    });
    expect(a.status).toBe(201);
    return a.body.id as string;
  };
  // Due in two seconds: the engine marks it overdue right after.
  const late = await assign(report.id, 2_000);
  await assign(stranger.id, 2_000);
  await eventually(
    async () =>
      (await harness.request('GET', `/compliance/assignments/${late}`, ws.adminToken)).body.status ===
      'OVERDUE',
    60_000,
  );

  await signIn(await email(manager.id));
  await nav(page, 'My team').click();
  const heading = page.getByRole('heading', { level: 1, name: 'My team' });
  await expect(heading).toBeVisible();
  const items = page.getByRole('table', { name: "Your team's open items" });
  const row = items.getByRole('row', { name: /Late Report/ });
  await expect(row).toContainText('Training: Secure coding basics');
  await expect(row).toContainText(/overdue/i);
  await expect(items).not.toContainText('Not My Report');
  await expect(page.getByRole('table', { name: "Your team's completion per training" })).toContainText(
    'Secure coding basics',
  );

  const since = Date.now();
  await row.getByRole('button', { name: /^Nudge Late Report/ }).click();
  await expect(row).toContainText('Reminder sent to Late Report');
  const nudges = async () =>
    (
      (
        await harness.request(
          'GET',
          `/workspaces/${ws.id}/notifications?obligation_id=${late}&limit=50`,
          ws.adminToken,
        )
      ).body.data as Array<{ step_key: string | null; channel: string; recipient_id: string; status: string }>
    ).filter((n) => n.step_key?.startsWith('NUDGE:'));
  // One message by email in the outbox, to the report, delivered to the mail recorder.
  const sent = await eventually(async () => {
    const mail = (await nudges()).filter((n) => n.channel === 'email');
    return mail.length === 1 && mail[0]?.status === 'SENT' ? mail : null;
  });
  expect(sent[0]?.recipient_id).toBe(report.id);
  const reportEmail = await email(report.id);
  await eventually(async () =>
    vigil.sendgrid.calls.some(
      (c) => c.at >= since && c.body.personalizations.some((p) => p.to.some((t) => t.email === reportEmail)),
    ),
  );

  // A second nudge the same UTC day: refused, clearly, and nothing more in the outbox.
  await page.reload();
  await expect(heading).toBeVisible();
  await row.getByRole('button', { name: /^Nudge Late Report/ }).click();
  const refusal = page.getByRole('alert').filter({ hasText: 'Nudge refused' });
  await expect(refusal).toContainText('already nudged today');
  expect((await nudges()).filter((n) => n.channel === 'email')).toHaveLength(1);

  await heading.hover();
  await checkPage(page, testInfo, 'my-team');
});

test('a member who manages nobody has no My team link, and the page says so', async ({
  page,
  vigil,
  signIn,
}, testInfo) => {
  const { harness, ws } = vigil;
  const member = await ws.member('MEMBER', { name: 'No Reports Member' });
  const email = (await harness.request('GET', `/workspaces/${ws.id}/members/${member.id}`, ws.adminToken))
    .body.email as string;
  await signIn(email);
  await expect(nav(page, 'My obligations')).toBeVisible();
  await expect(nav(page, 'My team')).toHaveCount(0);
  await page.goto('/team');
  const heading = page.getByRole('heading', { level: 1, name: 'My team' });
  await expect(heading).toBeVisible();
  await expect(page.getByText('You have no reports')).toBeVisible();
  await heading.hover();
  await checkPage(page, testInfo, 'my-team-empty');
});
