import { defineConfig } from '@playwright/test';

/**
 * `npm run test:web`: the console's journeys in the system Chromium (Debian's `chromium`;
 * Playwright's own browser download cannot work here) against the real API, Postgres and
 * Temporal, which the global setup starts the way the integration tests do.
 */
export default defineConfig({
  testDir: 'test/web',
  testMatch: '*.spec.ts',
  outputDir: 'test-results/web',
  globalSetup: './test/web/global-setup.ts',
  workers: 1,
  fullyParallel: false,
  timeout: 120_000,
  expect: { timeout: 20_000 },
  reporter: [['list']],
  forbidOnly: Boolean(process.env.CI),
  use: {
    browserName: 'chromium',
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    },
    actionTimeout: 15_000,
    timezoneId: 'Europe/Paris',
    locale: 'en-GB',
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
  },
});
