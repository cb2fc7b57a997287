import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { AxeBuilder } from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/**
 * Where screenshots go. A test run writes under test-results/ so `npm test` leaves the tree
 * clean; `npm run screenshots` (Playwright's --update-snapshots) refreshes the README's images.
 */
function screenshotDir(): string {
  const refresh = test.info().config.updateSnapshots;
  return refresh === 'all' || refresh === 'changed'
    ? path.join(REPO, 'docs', 'screenshots')
    : path.join(REPO, 'test-results', 'screenshots');
}

/** WCAG 2.1 A and AA: what axe can check automatically; contrast is the one seen failing before. */
const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
const BLOCKING = new Set(['serious', 'critical']);

async function nextFrame(page: Page): Promise<void> {
  // Let fonts, the colour scheme and the virtual list settle on a frame before checking.
  await page.evaluate('new Promise((resolve) => requestAnimationFrame(() => resolve(undefined)))');
}

async function seriousViolations(page: Page): Promise<string[]> {
  const { violations } = await new AxeBuilder({ page }).withTags(WCAG_TAGS).analyze();
  return violations
    .filter((v) => BLOCKING.has(v.impact ?? ''))
    .flatMap((v) =>
      v.nodes.map((n) => `${v.impact} ${v.id} at ${n.target.join(' ')}: ${n.failureSummary?.replace(/\s+/g, ' ')}`),
    );
}

/** An axe scan in the dark and the light colour scheme: no serious or critical violation allowed. */
export async function scanScreen(page: Page, name: string): Promise<void> {
  for (const colorScheme of ['dark', 'light'] as const) {
    await page.emulateMedia({ colorScheme });
    await nextFrame(page);
    expect(await seriousViolations(page), `${name}, ${colorScheme}`).toEqual([]);
  }
}

/** One main screen: scanned as above, then a screenshot in the light colour scheme. */
export async function checkScreen(page: Page, name: string): Promise<void> {
  await scanScreen(page, name);
  await screenshot(page, name);
}

/** A screenshot in the light colour scheme, of a screen scanned already (another part of it, scrolled to). */
export async function screenshot(page: Page, name: string): Promise<void> {
  await page.emulateMedia({ colorScheme: 'light' });
  await nextFrame(page);
  await page.screenshot({ path: path.join(screenshotDir(), `${name}.png`) });
}
