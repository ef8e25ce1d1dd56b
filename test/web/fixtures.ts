import AxeBuilder from '@axe-core/playwright';
import { test as base, expect, type Page, type TestInfo } from '@playwright/test';
import { type FakeSendgrid, startFakeSendgrid } from '../fakes/sendgrid';
import { eventually, type Harness, startHarness, type TestWorkspace } from '../harness';

/** One real API (serving the built console), worker and relays per Playwright worker, mail to a SendGrid recorder. */
export interface Vigil {
  harness: Harness;
  sendgrid: FakeSendgrid;
  ws: TestWorkspace;
  adminEmail: string;
}

/** The stack one Playwright worker shares across its journeys. */
interface Stack {
  harness: Harness;
  sendgrid: FakeSendgrid;
}

export const test = base.extend<{ signIn: (email: string) => Promise<void>; vigil: Vigil }, { stack: Stack }>(
  {
    stack: [
      // biome-ignore lint/correctness/noEmptyPattern: Playwright reads the fixtures a function needs from its first parameter
      async ({}, use) => {
        const sendgrid = await startFakeSendgrid();
        const harness = await startHarness({
          worker: true,
          env: {
            SENDGRID_API_KEY: 'SG.test',
            SENDGRID_BASE_URL: sendgrid.url,
            VIGIL_SECRET: 'console-test-secret-0123456789',
            // Every journey signs the admin in by link: above the default per-email limit of 5 per window.
            SIGN_IN_LIMIT_PER_EMAIL: '1000',
            SIGN_IN_LIMIT_PER_IP: '10000',
          },
        });
        await use({ harness, sendgrid });
        await harness.close();
        await sendgrid.close();
      },
      { scope: 'worker', timeout: 120_000 },
    ],
    // Each journey has a workspace of its own: what one creates for everyone (a policy for all,
    // say) is never another's open item.
    vigil: async ({ stack }, use) => {
      const { harness, sendgrid } = stack;
      const ws = await harness.workspace('Console journeys');
      const admin = await harness.request('GET', `/workspaces/${ws.id}/members/${ws.adminId}`, ws.adminToken);
      await use({ harness, sendgrid, ws, adminEmail: admin.body.email as string });
    },
    baseURL: async ({ stack }, use) => use(stack.harness.baseUrl),
    signIn: async ({ page, vigil }, use) => {
      await use(async (email) => {
        const link = await requestLink(vigil, email);
        await page.goto(link);
        // Officers land on the overview; a member or approver (no report to read) on their obligations.
        await expect(
          page.getByRole('heading', { level: 1, name: /^(Overview|My obligations)$/ }),
        ).toBeVisible();
      });
    },
  },
);

export { expect };

/**
 * The link matching `pattern` (an absolute URL on the API's origin) in the latest mail to
 * `email` sent after `since`, rewritten onto this test's API origin.
 */
async function mailedUrl(vigil: Vigil, email: string, since: number, pattern: RegExp): Promise<string> {
  const textOf = (c: (typeof vigil.sendgrid.calls)[number]) => c.body.content.map((x) => x.value).join('\n');
  const mail = await eventually(async () =>
    [...vigil.sendgrid.calls]
      .reverse()
      .find(
        (c) =>
          c.at >= since &&
          c.body.personalizations.some((p) => p.to.some((t) => t.email === email)) &&
          pattern.test(textOf(c)),
      ),
  );
  const m = pattern.exec(textOf(mail));
  if (!m) throw new Error(`no link in the mail: ${textOf(mail).slice(0, 500)}`);
  const url = new URL(m[0].replaceAll('&amp;', '&'));
  return `${vigil.harness.baseUrl}${url.pathname}${url.search}`;
}

/** The sign-in link of the latest mail to `email` sent after `since`, on this test's API origin. */
export const mailedLink = (vigil: Vigil, email: string, since: number) =>
  mailedUrl(vigil, email, since, /https?:\/\/[^\s"'<>]+\/auth\/callback\?[^\s"'<>]+/);

/** The acknowledgement link (`/ack/<token>`) of the latest mail to `email` after `since` (the welcome message, a reminder). */
export const mailedAckLink = (vigil: Vigil, email: string, since: number) =>
  mailedUrl(vigil, email, since, /https?:\/\/[^\s"'<>]+\/ack\/[A-Za-z0-9_-]{20,}/);

export async function requestLink(vigil: Vigil, email: string): Promise<string> {
  const since = Date.now();
  const res = await vigil.harness.request('POST', '/auth/sign-in', null, { email });
  expect(res.status).toBe(202);
  return mailedLink(vigil, email, since);
}

/** Follows a link of the main navigation. */
export const nav = (page: Page, name: string) =>
  page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name, exact: true });

/** What the page's Web Animations API reports of one animation or transition. */
interface PageAnimation {
  playState: string;
  effect: { getComputedTiming(): { endTime?: number | string } } | null;
}

/** Resolves once every finite animation or transition has ended (a loader's endless spin does not count). */
const settled = (page: Page) =>
  page.waitForFunction(
    () =>
      (globalThis as unknown as { document: { getAnimations(): PageAnimation[] } }).document
        .getAnimations()
        .every((a) => a.playState !== 'running' || a.effect?.getComputedTiming().endTime === Infinity),
    undefined,
    { timeout: 10_000 },
  );

/** The serious and critical axe violations of the page as it is now. */
async function seriousViolations(page: Page) {
  const result = await new AxeBuilder({ page }).analyze();
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.slice(0, 3).map((n) => `${n.target.join(' ')}: ${n.html.slice(0, 120)}`),
    }));
}

/** No serious or critical axe violation on the page, and a screenshot in the test's output folder. */
export async function checkPage(page: Page, testInfo: TestInfo, name: string): Promise<void> {
  // A toast fading in or out is half transparent: check the page as it rests. A toast can start
  // closing while the check runs, so a page with violations is checked once more once it rests
  // again: what is wrong at rest is found both times.
  await settled(page);
  await page.screenshot({ path: testInfo.outputPath(`${name}.png`), fullPage: true });
  let bad = await seriousViolations(page);
  if (bad.length) {
    await settled(page);
    bad = await seriousViolations(page);
  }
  expect(bad).toEqual([]);
}
