import { expect, type Browser, type BrowserContext, type Locator, type Page } from '@playwright/test';
import type { HubProcess } from './HubProcess';

export const DESKTOP = { width: 1280, height: 800 };
export const PHONE = { width: 390, height: 844 };

/** One browser device: its own context, so its own IndexedDB, like a separate phone or laptop. */
export type BrowserDevice = { context: BrowserContext; page: Page };

/**
 * The hub's certificate is self-signed: a person accepts the browser's warning once per week, a test
 * accepts it here (ignoreHTTPSErrors).
 */
export async function openDevice(browser: Browser, url: string, viewport = DESKTOP): Promise<BrowserDevice> {
  const context = await browser.newContext({ viewport, ignoreHTTPSErrors: true });
  const page = await context.newPage();
  // A CSP violation or a script error is a bug, whatever the test is about.
  page.on('pageerror', (err) => {
    throw err;
  });
  page.on('console', (msg) => {
    if (msg.type() === 'error' && /Content Security Policy/i.test(msg.text()))
      throw new Error(`CSP violation: ${msg.text()}`);
  });
  await page.goto(url);
  return { context, page };
}

export async function pairWithCode(page: Page, hub: HubProcess, name: string, deviceName: string): Promise<void> {
  const code = hub.code;
  const next = hub.nextCode();
  await expect(page.getByTestId('pairing-screen')).toBeVisible();
  await page.getByLabel('Your name').fill(name);
  await page.getByLabel('Pairing code').fill(`${code.slice(0, 3)} ${code.slice(3)}`);
  await page.getByLabel('Device name').fill(deviceName);
  await page.getByTestId('pair-button').click();
  await expect(page.getByTestId('conversation-list')).toBeVisible();
  await next;
}

export async function createLinkCode(page: Page): Promise<string> {
  await page.getByTestId('devices-button').click();
  await page.getByTestId('create-link-code').click();
  const code = await page.getByTestId('link-code').getAttribute('data-code');
  if (!code) throw new Error('no link code shown');
  return code;
}

export async function pairWithLinkCode(page: Page, linkCode: string, deviceName: string): Promise<void> {
  await expect(page.getByTestId('pairing-screen')).toBeVisible();
  await page.locator('label', { hasText: 'I already use Roost' }).click();
  await page.getByLabel('Link code').fill(linkCode);
  await page.getByLabel('Device name').fill(deviceName);
  await page.getByTestId('pair-button').click();
  await expect(page.getByTestId('conversation-list')).toBeVisible();
}

export function conversationItem(page: Page, name: string): Locator {
  return page.getByTestId('conversation-item').filter({ hasText: name });
}

export async function openConversation(page: Page, name: string): Promise<void> {
  await conversationItem(page, name).click();
  await expect(page.getByTestId('conversation-view')).toBeVisible();
}

export async function sendMessage(page: Page, text: string): Promise<void> {
  await page.getByLabel('Message').fill(text);
  await page.getByLabel('Message').press('Enter');
}

export function messages(page: Page, text?: string | RegExp): Locator {
  const all = page.getByTestId('message');
  return text === undefined ? all : all.filter({ hasText: text });
}

export function connection(page: Page): Locator {
  return page.getByTestId('connection-status').first();
}
