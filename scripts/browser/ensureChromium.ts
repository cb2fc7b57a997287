/**
 * Step of `npm test` before the browser tests: make sure a Chromium exists, getting one if not.
 * In order, each step bounded in time: one already installed; Debian's `chromium` through apt when
 * running as root; Playwright's own download; else one line saying what to install, and exit 1,
 * rather than a dozen browser tests each failing with "Executable doesn't exist".
 */
import { spawnSync, type SpawnSyncOptions } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { CHROMIUM_ENV, findChromium, type ChromiumChoice } from './findChromium';

const APT_UPDATE_TIMEOUT_MS = 3 * 60_000;
const APT_INSTALL_TIMEOUT_MS = 6 * 60_000;
const PLAYWRIGHT_TIMEOUT_MS = 10 * 60_000;

export const NO_CHROMIUM_LINE =
  'roost: no Chromium for the browser tests, and none could be installed here. ' +
  'Install one (Debian/Ubuntu: `sudo apt-get install chromium`; elsewhere: `npx playwright install chromium`), ' +
  `or point ${CHROMIUM_ENV} at a Chromium or Chrome executable, then run npm test again.`;

export type Step = { label: string; run: () => boolean };

/** Runs a command with no input, quietly unless it fails; false on failure or timeout. */
function runBounded(label: string, command: string, args: string[], timeoutMs: number, extra: SpawnSyncOptions = {}) {
  console.log(`roost: ${label} (at most ${Math.round(timeoutMs / 60_000)} min)…`);
  const result = spawnSync(command, args, {
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: timeoutMs,
    killSignal: 'SIGKILL',
    maxBuffer: 64 * 1024 * 1024,
    ...extra,
  });
  if (result.status === 0) return true;
  const why = result.error ? result.error.message : `exit ${result.status ?? result.signal}`;
  const tail = `${String(result.stdout ?? '')}${String(result.stderr ?? '')}`.trim().split('\n').slice(-3).join(' | ');
  console.log(`roost: ${label} failed (${why})${tail ? `: ${tail}` : ''}`);
  return false;
}

const isRoot = () => typeof process.getuid === 'function' && process.getuid() === 0;

function aptSteps(): Step[] {
  if (process.platform !== 'linux' || !isRoot() || !existsSync('/usr/bin/apt-get')) return [];
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  return [
    {
      label: "Debian's chromium through apt",
      run: () =>
        runBounded('apt-get update', 'apt-get', ['update', '-q'], APT_UPDATE_TIMEOUT_MS, { env }) &&
        runBounded('apt-get install chromium', 'apt-get', ['install', '-y', '-q', 'chromium'], APT_INSTALL_TIMEOUT_MS, {
          env,
        }),
    },
  ];
}

function playwrightStep(): Step {
  const cli = path.join(path.dirname(createRequire(import.meta.url).resolve('playwright/package.json')), 'cli.js');
  return {
    label: "Playwright's own Chromium",
    run: () =>
      runBounded(
        'npx playwright install chromium',
        process.execPath,
        [cli, 'install', 'chromium'],
        PLAYWRIGHT_TIMEOUT_MS,
      ),
  };
}

function describe(choice: ChromiumChoice): string {
  if (choice.kind === 'playwright') return `Playwright's Chromium (${choice.path})`;
  if (choice.kind === 'override') return `${choice.path} (from ${CHROMIUM_ENV})`;
  return choice.path;
}

/** The Chromium found or installed, or undefined after every step failed. */
export function ensureChromium({
  find = () => findChromium(),
  steps = [...aptSteps(), playwrightStep()],
}: { find?: () => ChromiumChoice | undefined; steps?: Step[] } = {}): ChromiumChoice | undefined {
  const present = find();
  if (present) return present;
  for (const step of steps) {
    if (!step.run()) continue;
    const found = find();
    if (found) return found;
    console.log(`roost: ${step.label} finished, but no Chromium is where it should be`);
  }
  return undefined;
}

function main(): void {
  const choice = ensureChromium();
  if (!choice) {
    console.error(NO_CHROMIUM_LINE);
    process.exit(1);
  }
  if (choice.kind === 'override' && !existsSync(choice.path)) {
    console.error(`roost: ${CHROMIUM_ENV} is ${choice.path}, which does not exist.`);
    process.exit(1);
  }
  console.log(`roost: browser tests use ${describe(choice)}`);
}

if (process.argv[1] && path.resolve(process.argv[1]) === import.meta.filename) main();
