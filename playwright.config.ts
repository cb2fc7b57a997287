import { existsSync } from 'node:fs';
import { defineConfig } from '@playwright/test';

// Debian's Chromium where Playwright's own browsers cannot be downloaded;
// a machine with `npx playwright install` done uses Playwright's.
const systemChromium = '/usr/bin/chromium';

export default defineConfig({
  testDir: 'e2e',
  testMatch: '**/*.e2e.ts',
  // Each test starts its own hub process; two cores do not gain from parallel browsers.
  workers: 1,
  timeout: 90_000,
  expect: { timeout: 15_000 },
  reporter: [['list']],
  outputDir: 'test-results',
  use: {
    browserName: 'chromium',
    launchOptions: existsSync(systemChromium) ? { executablePath: systemChromium } : {},
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
  },
  projects: [
    // The web client, and the desktop renderer with main's logic but without Electron.
    { name: 'chromium', testIgnore: /electron\.e2e\.ts$/ },
    // The real desktop app in Electron (skipped, with the reason printed, where no Electron binary exists).
    // Its browser devices use the chromium settings above.
    { name: 'electron', testMatch: /electron\.e2e\.ts$/ },
  ],
});
