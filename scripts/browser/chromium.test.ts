import { describe, expect, it, vi } from 'vitest';
import { ensureChromium, type Step } from './ensureChromium';
import { CHROMIUM_ENV, findChromium, launchOptionsFor, SYSTEM_CHROMIUM_PATHS } from './findChromium';

const OWN = '/cache/ms-playwright/chromium-1/chrome';

describe('findChromium', () => {
  const lookup = (present: string[], env: NodeJS.ProcessEnv = {}) =>
    findChromium({ env, exists: (p) => present.includes(p), playwrightPath: () => OWN });

  it("prefers Playwright's own build, then the system's, in the listed order", () => {
    expect(lookup([OWN, '/usr/bin/chromium'])).toEqual({ kind: 'playwright', path: OWN });
    expect(lookup(['/usr/bin/google-chrome', '/usr/bin/chromium'])).toEqual({
      kind: 'system',
      path: '/usr/bin/chromium',
    });
    expect(lookup([])).toBeUndefined();
  });

  it('takes an override as given, even when it does not exist (a typo must not fall back silently)', () => {
    expect(lookup([OWN], { [CHROMIUM_ENV]: '/opt/x/chrome' })).toEqual({ kind: 'override', path: '/opt/x/chrome' });
  });

  it('always names the executable, so a missing headless shell does not matter', () => {
    expect(launchOptionsFor({ kind: 'playwright', path: OWN })).toEqual({ executablePath: OWN });
    expect(launchOptionsFor({ kind: 'system', path: SYSTEM_CHROMIUM_PATHS[0]! })).toEqual({
      executablePath: '/usr/bin/chromium',
    });
    expect(launchOptionsFor(undefined)).toEqual({});
  });
});

describe('ensureChromium', () => {
  const step = (label: string, ok: boolean, onRun?: () => void): Step => ({
    label,
    run: vi.fn(() => {
      onRun?.();
      return Promise.resolve(ok);
    }),
  });

  it('runs no step when a Chromium is already there', async () => {
    const apt = step('apt', true);
    await expect(
      ensureChromium({ find: () => ({ kind: 'system', path: '/usr/bin/chromium' }), steps: [apt] }),
    ).resolves.toBeDefined();
    expect(apt.run).not.toHaveBeenCalled();
  });

  it('stops at the first step that leaves a Chromium behind', async () => {
    let installed = false;
    const apt = step('apt', false);
    const playwright = step('playwright', true, () => (installed = true));
    const never = step('never', true);
    const found = await ensureChromium({
      find: () => (installed ? { kind: 'playwright', path: OWN } : undefined),
      steps: [apt, playwright, never],
    });
    expect(found).toEqual({ kind: 'playwright', path: OWN });
    expect(apt.run).toHaveBeenCalledOnce();
    expect(playwright.run).toHaveBeenCalledOnce();
    expect(never.run).not.toHaveBeenCalled();
  });

  it('goes on when a step succeeds but no Chromium appears, and gives up after the last', async () => {
    vi.spyOn(console, 'log').mockImplementation(() => {});
    const steps = [step('apt', true), step('playwright', false)];
    await expect(ensureChromium({ find: () => undefined, steps })).resolves.toBeUndefined();
    expect(steps[1]!.run).toHaveBeenCalledOnce();
  });
});
