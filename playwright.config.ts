import { defineConfig } from '@playwright/test';
import { LAN_HOST_RULE } from './e2e/lanHost';
import { findChromium, launchOptionsFor } from './scripts/browser/findChromium';

// `npm test` runs scripts/browser/ensureChromium.ts first, which installs one if none is found.
const launchOptions = launchOptionsFor(findChromium());

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
    launchOptions,
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
  },
  projects: [
    // The web client, and the desktop renderer with main's logic but without Electron.
    // A LAN host name as well (e2e/lanHost.ts), for pages that must not be secure contexts.
    {
      name: 'chromium',
      testIgnore: /electron\.e2e\.ts$/,
      use: { launchOptions: { ...launchOptions, args: [LAN_HOST_RULE] } },
    },
    // The real desktop app in Electron (skipped, with the reason printed, where no Electron binary exists).
    // Its browser devices use the chromium settings above.
    { name: 'electron', testMatch: /electron\.e2e\.ts$/ },
  ],
});
