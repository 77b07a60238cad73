/**
 * End-to-end tests in real Chromium against the built site, served as a static host would:
 * `dist/` at the root (port 4321), the sub-path build `dist-sub/` under /courses/virtlab/ (4322), and
 * `dist-fixture/` (4323), built from fixture content and the fixture lab in tests/fixtures/.
 * `npm run test:e2e` finds or installs the browser and builds both before this runs.
 */
import { defineConfig, devices } from '@playwright/test';
import { chosenBrowser, launchOptions } from './scripts/browser.ts';

const browser = chosenBrowser();
if (browser) console.log(`Playwright browser: ${browser.source} — ${browser.version} (${browser.path})`);

export default defineConfig({
  testDir: 'tests/e2e',
  fullyParallel: true,
  workers: 2,
  forbidOnly: true,
  reporter: [['list']],
  timeout: 60_000,
  expect: { timeout: 10_000 },
  use: {
    ...devices['Desktop Chrome'],
    baseURL: 'http://127.0.0.1:4321',
    launchOptions: launchOptions(),
    trace: 'retain-on-failure',
    // page.route cannot see what a service worker answers; only tests/e2e/offline.spec.ts allows them.
    serviceWorkers: 'block',
  },
  // Servers start slowly on a busy two-core machine; waiting longer costs nothing when they are quick.
  webServer: [
    {
      command: 'node scripts/serve.ts --port 4321 --dir dist',
      url: 'http://127.0.0.1:4321/',
      reuseExistingServer: !process.env.CI,
      timeout: 180_000,
    },
    {
      command: 'node scripts/serve.ts --port 4322 --dir dist-sub --base /courses/virtlab/',
      url: 'http://127.0.0.1:4322/courses/virtlab/',
      reuseExistingServer: !process.env.CI,
      timeout: 180_000,
    },
    {
      // Fixture content and the fixture lab, for tests of the site's machinery (the workbench).
      command: 'node scripts/serve.ts --port 4323 --dir dist-fixture',
      url: 'http://127.0.0.1:4323/',
      reuseExistingServer: !process.env.CI,
      timeout: 180_000,
    },
  ],
});
