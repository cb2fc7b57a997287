/**
 * Which Chromium the browser tests drive. Playwright's own build where `npx playwright install`
 * has put one (it matches Playwright's version exactly); otherwise a Chromium installed on the
 * machine, such as Debian's, which Playwright drives through `executablePath`.
 */
import { existsSync } from 'node:fs';
import { chromium } from 'playwright';

export type ChromiumChoice =
  { kind: 'playwright'; path: string } | { kind: 'system'; path: string } | { kind: 'override'; path: string };

/** Set it to a Chromium or Chrome executable to use that one and skip every lookup. */
export const CHROMIUM_ENV = 'ROOST_CHROMIUM';

/** Where Linux distributions and macOS put Chromium or Chrome, most specific first. */
export const SYSTEM_CHROMIUM_PATHS = [
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/snap/bin/chromium',
  '/usr/bin/google-chrome-stable',
  '/usr/bin/google-chrome',
  '/Applications/Chromium.app/Contents/MacOS/Chromium',
  '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
];

type Lookup = { env?: NodeJS.ProcessEnv; exists?: (path: string) => boolean; playwrightPath?: () => string };

/** The Chromium to use, or undefined when none is installed. */
export function findChromium({
  env = process.env,
  exists = existsSync,
  playwrightPath = () => chromium.executablePath(),
}: Lookup = {}): ChromiumChoice | undefined {
  const override = env[CHROMIUM_ENV];
  // An override is used as given, even when missing: a typo should fail loudly, not fall back.
  if (override) return { kind: 'override', path: override };
  const own = playwrightPath();
  if (exists(own)) return { kind: 'playwright', path: own };
  const system = SYSTEM_CHROMIUM_PATHS.find((p) => exists(p));
  return system === undefined ? undefined : { kind: 'system', path: system };
}

/**
 * Playwright's launch options for a choice. Named even for Playwright's own build: left to itself,
 * a headless launch looks for the separate headless shell, which an interrupted or `--no-shell`
 * install lacks although the full browser is there.
 */
export function launchOptionsFor(choice: ChromiumChoice | undefined): { executablePath?: string } {
  return choice ? { executablePath: choice.path } : {};
}
