import { defineConfig } from '@playwright/test';
import { findChromium, launchOptionsFor } from './scripts/browser/findChromium';

// `npm test` runs scripts/browser/ensureChromium.ts first, which installs one if none is found.

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
    launchOptions: launchOptionsFor(findChromium()),
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
