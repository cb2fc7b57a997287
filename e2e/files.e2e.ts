import { readFile } from 'node:fs/promises';
import { expect, test } from '@playwright/test';
import { HubProcess } from './HubProcess';
import {
  DESKTOP,
  connection,
  PHONE,
  createLinkCode,
  messages,
  openConversation,
  openDevice,
  pairWithCode,
  pairWithLinkCode,
  type BrowserDevice,
} from './roostPage';
import { checkScreen } from './screenCheck';
import { makePdf, makePng } from './testFiles';

let hub: HubProcess;
let a1: BrowserDevice;
let a2: BrowserDevice;
let b: BrowserDevice;

test.beforeEach(async ({ browser }) => {
  hub = await HubProcess.start();
  a1 = await openDevice(browser, hub.url);
  await pairWithCode(a1.page, hub, 'Ann', 'Ann laptop');
  b = await openDevice(browser, hub.url);
  await pairWithCode(b.page, hub, 'Bob', 'Bob laptop');
  const link = await createLinkCode(a1.page);
  a2 = await openDevice(browser, hub.url);
  await pairWithLinkCode(a2.page, link, 'Ann phone');
});

test.afterEach(async () => {
  for (const d of [a1, a2, b]) await d?.context.close();
  await hub.dispose();
});

const PNG = makePng(640, 480);
const PDF = makePdf();

test('a picture and a file sent from one device appear live on the others, and the file downloads intact', async () => {
  for (const d of [a1, a2, b]) await openConversation(d.page, 'General');
  // Bob's downloads wait until released, to see the picture's place kept before a byte of it arrives.
  let release = () => {};
  const held = new Promise<void>((resolve) => (release = resolve));
  await b.page.route('**/api/files/*/*/*', async (route) => {
    await held;
    await route.continue();
  });

  // Ann picks two files, sees them as chips, and sends them with a line of text.
  await a1.page.getByTestId('attach-input').setInputFiles([
    { name: 'Beach.png', mimeType: 'image/png', buffer: PNG },
    { name: 'Budget 2025.pdf', mimeType: 'application/pdf', buffer: PDF },
  ]);
  await expect(a1.page.getByTestId('file-chip')).toHaveCount(2);
  await a1.page.getByLabel('Message').fill('Photos and the budget');
  await a1.page.getByTestId('send-button').click();
  await expect(a1.page.getByTestId('file-chip')).toHaveCount(0);
  await expect(messages(a1.page, 'Photos and the budget')).toHaveAttribute('data-status', /sent|delivered|read/);
  await expect(a1.page.getByTestId('outgoing-transfers')).toHaveCount(0);

  const pending = messages(b.page, 'Photos and the budget').getByRole('img', { name: 'Beach.png' });
  await expect(pending).toBeVisible();
  expect(await pending.boundingBox()).toMatchObject({ width: 320, height: 240 });
  release();

  for (const page of [a2.page, b.page]) {
    const received = messages(page, 'Photos and the budget');
    await expect(received).toBeVisible();
    const img = received.getByRole('img', { name: 'Beach.png' });
    // Loaded from the hub through the session cookie, at the picture's own shape: the thumbnail Ann's page
    // made (480 pixels wide), not the 640-pixel file, which the viewer shows.
    await expect.poll(() => img.evaluate(loadedWidth)).toBe(480);
    const box = (await img.boundingBox())!;
    expect(Math.abs(box.width / box.height - 640 / 480)).toBeLessThan(0.02);
    await expect(received.getByTestId('file-card')).toContainText('Budget 2025.pdf');
  }

  // Bob downloads the file: the bytes are the ones Ann sent, under the name she gave it.
  const card = messages(b.page, 'Photos and the budget').getByTestId('file-card');
  const [download] = await Promise.all([
    b.page.waitForEvent('download'),
    card.getByRole('link', { name: 'Download Budget 2025.pdf' }).click(),
  ]);
  expect(download.suggestedFilename()).toBe('Budget 2025.pdf');
  expect((await readFile((await download.path())!)).equals(PDF)).toBe(true);

  // The picture opens in the viewer; Esc closes it.
  await messages(b.page, 'Photos and the budget').getByRole('button', { name: 'Open picture Beach.png' }).click();
  const viewer = b.page.getByTestId('image-viewer');
  await expect(viewer).toBeVisible();
  await expect.poll(() => viewer.getByRole('img').evaluate(loadedWidth)).toBe(640);
  await expect(viewer.getByRole('link', { name: 'Save Beach.png' })).toBeVisible();
  await b.page.keyboard.press('Escape');
  await expect(viewer).not.toBeVisible();

  // The focus went back to the picture; screenshots show the screen at rest.
  await b.page.evaluate('document.activeElement?.blur()');
  await checkScreen(b.page, 'files-desktop');
  await b.page.setViewportSize(PHONE);
  await expect(messages(b.page, 'Photos and the budget').getByRole('img', { name: 'Beach.png' })).toBeVisible();
  await checkScreen(b.page, 'files-phone');
  await b.page.setViewportSize(DESKTOP);
});

test('after the hub restarts, files are sent and downloaded again on a new session', async () => {
  for (const d of [a1, b]) await openConversation(d.page, 'General');
  await hub.restart();
  for (const d of [a1, b])
    await expect(connection(d.page)).toHaveAttribute('data-status', 'connected', { timeout: 45_000 });

  // The hub forgot every file session: the pages open new ones by themselves.
  await a1.page
    .getByTestId('attach-input')
    .setInputFiles([{ name: 'After restart.pdf', mimeType: 'application/pdf', buffer: PDF }]);
  await a1.page.getByTestId('send-button').click();
  const card = messages(b.page).getByTestId('file-card').filter({ hasText: 'After restart.pdf' });
  await expect(card).toBeVisible();
  const [download] = await Promise.all([
    b.page.waitForEvent('download'),
    card.getByRole('link', { name: 'Download After restart.pdf' }).click(),
  ]);
  expect((await readFile((await download.path())!)).equals(PDF)).toBe(true);
});

/** An image element's natural width once loaded, else 0 (no DOM types in e2e/: described by what is read). */
function loadedWidth(element: unknown): number {
  const image = element as { complete: boolean; naturalWidth: number };
  return image.complete ? image.naturalWidth : 0;
}
