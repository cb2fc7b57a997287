/**
 * Step of `npm test` before the browser tests: make sure a Chromium exists, getting one if not.
 * In order, each step bounded in time: one already installed; Debian's `chromium` through apt when
 * running as root; Playwright's own download; else one line saying what to install, and exit 1,
 * rather than a dozen browser tests each failing with "Executable doesn't exist".
 */
import { statSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { CHROMIUM_ENV, findChromium, type ChromiumChoice } from './findChromium';
import { runBounded } from './runBounded';

const APT_UPDATE_TIMEOUT_MS = 3 * 60_000;
const APT_INSTALL_TIMEOUT_MS = 6 * 60_000;
const PLAYWRIGHT_TIMEOUT_MS = 10 * 60_000;

export const NO_CHROMIUM_LINE =
  'roost: no Chromium for the browser tests, and none could be installed here. ' +
  'Install one (Debian/Ubuntu: `sudo apt-get install chromium`; elsewhere: `npx playwright install chromium`), ' +
  `or point ${CHROMIUM_ENV} at a Chromium or Chrome executable, then run npm test again.`;

export type Step = { label: string; run: () => Promise<boolean> };

async function runStep(label: string, command: string, args: string[], timeoutMs: number, env?: NodeJS.ProcessEnv) {
  console.log(`roost: ${label} (at most ${Math.round(timeoutMs / 60_000)} min)…`);
  const result = await runBounded(command, args, timeoutMs, env ? { env } : {});
  if (!result.ok) console.log(`roost: ${label} failed (${result.why})${result.tail ? `: ${result.tail}` : ''}`);
  return result.ok;
}

const isRoot = () => typeof process.getuid === 'function' && process.getuid() === 0;

const fileExists = (p: string) => {
  try {
    return statSync(p).isFile();
  } catch {
    return false;
  }
};

function aptSteps(): Step[] {
  if (process.platform !== 'linux' || !isRoot() || !fileExists('/usr/bin/apt-get')) return [];
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  // Another apt run holding the lock is waited for, within the step's bound, instead of failing at once.
  const wait = ['-o', 'DPkg::Lock::Timeout=60'];
  return [
    {
      label: "Debian's chromium through apt",
      run: async () =>
        (await runStep('apt-get update', 'apt-get', [...wait, 'update', '-q'], APT_UPDATE_TIMEOUT_MS, env)) &&
        runStep(
          'apt-get install chromium',
          'apt-get',
          [...wait, 'install', '-y', '-q', 'chromium'],
          APT_INSTALL_TIMEOUT_MS,
          env,
        ),
    },
  ];
}

function playwrightStep(): Step {
  const cli = path.join(path.dirname(createRequire(import.meta.url).resolve('playwright/package.json')), 'cli.js');
  return {
    label: "Playwright's own Chromium",
    run: () =>
      runStep('npx playwright install chromium', process.execPath, [cli, 'install', 'chromium'], PLAYWRIGHT_TIMEOUT_MS),
  };
}

function describe(choice: ChromiumChoice): string {
  if (choice.kind === 'playwright') return `Playwright's Chromium (${choice.path})`;
  if (choice.kind === 'override') return `${choice.path} (from ${CHROMIUM_ENV})`;
  return choice.path;
}

/** The Chromium found or installed, or undefined after every step failed. */
export async function ensureChromium({
  find = () => findChromium(),
  steps = [...aptSteps(), playwrightStep()],
}: { find?: () => ChromiumChoice | undefined; steps?: Step[] } = {}): Promise<ChromiumChoice | undefined> {
  const present = find();
  if (present) return present;
  for (const step of steps) {
    if (!(await step.run())) continue;
    const found = find();
    if (found) return found;
    console.log(`roost: ${step.label} finished, but no Chromium is where it should be`);
  }
  return undefined;
}

async function main(): Promise<void> {
  const choice = await ensureChromium();
  if (!choice) {
    console.error(NO_CHROMIUM_LINE);
    process.exit(1);
  }
  if (choice.kind === 'override' && !fileExists(choice.path)) {
    console.error(`roost: ${CHROMIUM_ENV} is ${choice.path}, which is not a file.`);
    process.exit(1);
  }
  console.log(`roost: browser tests use ${describe(choice)}`);
}

if (process.argv[1] && path.resolve(process.argv[1]) === import.meta.filename) await main();
