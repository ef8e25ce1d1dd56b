import { randomUUID } from 'node:crypto';
import { checkPage, expect, mailedAckLink, test, type Vigil } from './fixtures';

/** A role with policies of its own (approved by the admin, the designated approver): no other journey's apply. */
async function rolePolicies(vigil: Vigil, names: string[], content: (name: string) => string) {
  const { harness, ws } = vigil;
  const t = ws.adminToken;
  expect(
    (await harness.request('PATCH', `/workspaces/${ws.id}/settings`, t, { policy_approver_id: ws.adminId }))
      .status,
  ).toBe(200);
  const role = await harness.request('POST', '/api/roles', t, {
    name: `Journey ${randomUUID().slice(0, 8)}`,
  });
  expect(role.status).toBe(201);
  const ids: string[] = [];
  for (const name of names) {
    const created = await harness.request('POST', '/api/policies', t, { name, content: content(name) });
    expect(created.status).toBe(201);
    const id = created.body.policy.id as string;
    expect((await harness.request('POST', `/api/policies/${id}/approve`, t, {})).status).toBe(200);
    ids.push(id);
  }
  const assign = await harness.request('POST', `/api/roles/${role.body.id}/assign_policies`, t, {
    policy_ids: ids,
  });
  expect(assign.status).toBe(200);
  return { roleId: role.body.id as string, ids };
}

async function onboard(vigil: Vigil, name: string, roleId: string) {
  const email = `${name.toLowerCase().replace(/\W+/g, '.')}.${randomUUID().slice(0, 6)}@example.com`;
  const since = Date.now();
  const res = await vigil.harness.request('POST', '/api/employees/onboard', vigil.ws.adminToken, {
    name,
    email,
    role_ids: [roleId],
  });
  expect(res.status).toBe(201);
  return { id: res.body.employee_id as string, email, requested: res.body.requested as number, since };
}

test('a new hire acknowledges three policies from the welcome link', async ({ page, vigil }, testInfo) => {
  const names = ['Journey code of conduct', 'Journey data handling', 'Journey remote work'];
  const { roleId, ids } = await rolePolicies(
    vigil,
    names,
    (n) =>
      `# ${n}\n\nRead **this** carefully.\n\n<img src="x" onerror="window.__xss = 1"><script>window.__xss = 2</script>\n\n[a link](javascript:window.__xss=3)\n`,
  );
  const hire = await onboard(vigil, 'Nia Newhire', roleId);
  expect(hire.requested).toBe(3);

  // The welcome message arrives at once with a one-time link that signs her in for this purpose only.
  await page.goto(await mailedAckLink(vigil, hire.email, hire.since));
  await expect(page).toHaveURL(/\/acknowledge\/[0-9a-f-]{36}$/);
  const h1 = page.getByRole('heading', { level: 1, name: 'Read and acknowledge' });
  await expect(h1).toBeVisible();
  await expect(page.getByText('Opened from your acknowledgement link')).toBeVisible();
  await expect(page.getByText('Acknowledging as Nia Newhire')).toBeVisible();
  for (const n of names)
    await expect(page.getByRole('heading', { level: 2, name: `${n} (version 1)` })).toBeVisible();
  // The Markdown is rendered, and its raw HTML and script links are not.
  await expect(page.getByRole('heading', { level: 3, name: names[0] })).toBeVisible();
  await expect(page.locator('strong', { hasText: 'this' }).first()).toBeVisible();
  await expect(page.locator('main img[src="x"], main script')).toHaveCount(0);
  await expect(page.getByRole('link', { name: 'a link' }).first()).not.toHaveAttribute('href', /javascript:/);
  expect(await page.evaluate(() => (globalThis as unknown as { __xss?: number }).__xss)).toBeUndefined();
  await h1.hover();
  await checkPage(page, testInfo, 'acknowledge-welcome');

  for (const n of names) {
    await page.getByRole('button', { name: `I have read and acknowledge ${n}` }).click();
    await expect(
      page.getByRole('region', { name: `${n} (version 1)` }).getByText('Acknowledged', { exact: true }),
    ).toBeVisible();
  }
  await expect(
    page.getByRole('status').filter({ hasText: 'every policy here is acknowledged' }),
  ).toBeVisible();
  await h1.hover();
  await checkPage(page, testInfo, 'acknowledge-done');

  // Recorded with the same evidence as before: version, content hash, address, browser, through the link.
  const history = await vigil.harness.request(
    'GET',
    `/api/employees/${hire.id}/acknowledgement`,
    vigil.ws.adminToken,
  );
  const acked = history.body.data.filter((r: { status: string }) => r.status === 'ACKNOWLEDGED');
  expect(acked.map((r: { policy_id: string }) => r.policy_id).sort()).toEqual([...ids].sort());
  for (const r of acked) {
    expect(r.content_sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(r.user_agent).toContain('Chrome');
    expect(r.ip_address).toEqual(expect.any(String));
    expect(r.version_number).toBe(1);
  }
  const logs = await vigil.harness.request(
    'GET',
    `/compliance/audit-logs?action_type=POLICY_ACKNOWLEDGED&target_id=${ids[0]}&limit=50`,
    vigil.ws.adminToken,
  );
  expect(logs.body.data[0].new_value).toMatchObject({ employee_id: hire.id, via: 'LINK' });

  // The session serves that purpose only: no navigation, other pages are not allowed, and the API
  // answers 403 to the rest.
  await expect(page.getByRole('navigation', { name: 'Main' }).getByRole('link')).toHaveCount(0);
  await page.goto('/me');
  await expect(page.getByRole('heading', { level: 1, name: 'Not allowed' })).toBeVisible();
  await expect(page.getByText(/This sign-in came from an acknowledgement link/)).toBeVisible();
  const inbox = await page.request.get(`/workspaces/${vigil.ws.id}/me/obligations`);
  expect(inbox.status()).toBe(403);
});

test('an acknowledgement link opened while someone else is signed in acts for nobody', async ({
  page,
  vigil,
  signIn,
}, testInfo) => {
  const { roleId } = await rolePolicies(vigil, ['Journey visitor policy'], (n) => `# ${n}\n`);
  const hire = await onboard(vigil, 'Oli Owner', roleId);
  const link = await mailedAckLink(vigil, hire.email, hire.since);
  await signIn(vigil.adminEmail);
  await page.goto(link);
  await expect(page).toHaveURL(/\/acknowledge\/link-refused$/);
  const h1 = page.getByRole('heading', { level: 1, name: 'This link is for someone else' });
  await expect(h1).toBeVisible();
  await expect(page.getByRole('alert').filter({ hasText: 'Nothing was recorded' })).toContainText(
    'the link was not used',
  );
  await h1.hover();
  await checkPage(page, testInfo, 'acknowledge-refused');
  const status = await vigil.harness.request(
    'GET',
    `/api/acknowledge/status?employee_id=${hire.id}`,
    vigil.ws.adminToken,
  );
  expect(status.body.data.map((s: { status: string }) => s.status)).toEqual(['PENDING']);
  // Signed out, the same link still works for its member.
  await page.getByRole('main').getByRole('button', { name: 'Sign out' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Sign in to Vigil' })).toBeVisible();
  await page.goto(link);
  await expect(page.getByText('Acknowledging as Oli Owner')).toBeVisible();
});
