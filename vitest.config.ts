import react from '@vitejs/plugin-react';
import { playwright } from '@vitest/browser-playwright';
import { configDefaults, defineConfig } from 'vitest/config';
// `.js` (TypeScript finds the .ts file): Vite's config loader warns about an import without an extension.
import { findChromium, launchOptionsFor } from './scripts/browser/findChromium.js';

/**
 * Component and hook tests, and tests of what only a real browser has (WebCrypto keys in IndexedDB): they run in
 * Chromium for real layout, scrolling and storage, so they need their own project.
 */
const BROWSER_TESTS = 'renderer/**/*.browser.test.{ts,tsx}';

export default defineConfig({
  test: {
    // Integration tests start real hubs and child processes; two cores are shared by all of them.
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // A failing browser test's screenshot goes with the other test output, which git ignores.
    attachmentsDir: 'test-results/vitest-attachments',
    projects: [
      {
        extends: true,
        test: {
          name: 'node',
          include: [
            'main/**/*.test.ts',
            'shared/**/*.test.ts',
            'scripts/**/*.test.ts',
            'bench/**/*.test.ts',
            'renderer/**/*.test.{ts,tsx}',
          ],
          exclude: [...configDefaults.exclude, BROWSER_TESTS],
          pool: 'forks',
        },
      },
      {
        extends: true,
        plugins: [react()],
        test: {
          name: 'browser',
          include: [BROWSER_TESTS],
          // Each test takes well under a second; locators wait up to this long, so a failure shows soon.
          testTimeout: 15_000,
          // Scrolling settles over a few frames, and frames are slow when the shared cores are busy.
          expect: { poll: { timeout: 5_000 } },
          browser: {
            enabled: true,
            headless: true,
            // The same Chromium as the Playwright end-to-end tests (`npm test` makes sure there is one).
            provider: playwright({ launchOptions: launchOptionsFor(findChromium()) }),
            instances: [{ browser: 'chromium' }],
            // The desktop layout (the screenshots' width), whatever the machine's screen.
            viewport: { width: 1280, height: 800 },
            screenshotDirectory: 'test-results/vitest-screenshots',
          },
        },
      },
    ],
  },
});
