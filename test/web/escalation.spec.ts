import { checkPage, expect, nav, test } from './fixtures';

test('an escalation arrives on the ticket timeline and is acknowledged', async ({
  page,
  vigil,
  signIn,
}, testInfo) => {
  const { harness, ws } = vigil;
  const lead = await ws.member('MANAGER', { name: 'Team Lead' });
  const team = await harness.request('POST', `/workspaces/${ws.id}/teams`, ws.adminToken, {
    name: 'On-call',
    lead_id: lead.id,
    member_ids: [lead.id],
  });
  const matrix = await harness.request('POST', `/workspaces/${ws.id}/escalation-matrices`, ws.adminToken, {
    name: 'Fast ladder',
    team_ids: [team.body.id],
    rules: [
      { level: 'L1', after: 'PT2S', target: { type: 'TEAM_LEAD' }, channels: ['log'] },
      { level: 'L2', after: 'PT1H', target: { type: 'MANAGER' }, channels: ['log'] },
    ],
  });
  expect(matrix.status).toBe(201);

  await signIn(vigil.adminEmail);
  await nav(page, 'Escalation tickets').click();
  await page.getByRole('button', { name: 'New ticket' }).click();
  const dialog = page.getByRole('dialog', { name: 'New ticket' });
  await dialog.getByLabel('Title').fill('Badge reader offline');
  await dialog.getByRole('combobox', { name: 'Team' }).click();
  await page.getByRole('option', { name: 'On-call' }).click();
  await dialog.getByRole('button', { name: 'Open ticket' }).click();

  await expect(page.getByRole('heading', { level: 1, name: 'Badge reader offline' })).toBeVisible();
  const escalation = page.getByTestId('escalation').filter({ hasText: 'Escalated to L1' });
  await expect(escalation).toBeVisible({ timeout: 60_000 });
  await expect(escalation).toContainText('Team Lead');
  // The ladder: L1 fired (to the team lead), L2 pending an hour after opening; the workflow link.
  const ladder = page.getByRole('table', { name: 'Escalation ladder' });
  await expect(ladder.getByTestId('ladder-L1')).toContainText('fired');
  await expect(ladder.getByTestId('ladder-L1')).toContainText('Team Lead');
  await expect(ladder.getByTestId('ladder-L2')).toContainText('pending');
  const ticketId = new URL(page.url()).pathname.split('/').pop() ?? '';
  const link = page.getByTestId('workflow-link');
  await expect(link).toHaveText(`ticket/${ticketId}`);
  await expect(link).toHaveAttribute(
    'href',
    new RegExp(`^http://[^/]+/namespaces/default/workflows/ticket%2F${ticketId}$`),
  );
  await page.getByRole('heading', { level: 1 }).hover();
  await checkPage(page, testInfo, 'ticket-escalated');
  await page.getByRole('button', { name: 'Acknowledge escalation L1' }).click();
  await expect(escalation).toContainText('Acknowledged by');
});
