import { readFile } from 'node:fs/promises';
import { expect, test } from '@playwright/test';
import { DesktopHarness, startDesktopBackend, type DesktopBackendHandle } from './DesktopHarness';
import { HubProcess } from './HubProcess';
import { messages, openConversation, openDevice, pairWithCode, type BrowserDevice } from './roostPage';
import { makePdf, makePng } from './testFiles';

/**
 * Files in the desktop window, whose origin (app://roost) is not the hub's: its session travels in an
 * Authorization header, its requests are CORS requests the hub must allow (the harness relays them as from
 * app://roost and fails any the hub does not allow), and under the desktop window's own CSP. A browser on
 * the hub's own page is the other side.
 */

let backend: DesktopBackendHandle | undefined;
let harness: DesktopHarness | undefined;
let hub: HubProcess | undefined;
let bob: BrowserDevice | undefined;

test.afterEach(async () => {
  await bob?.context.close();
  await harness?.close();
  await backend?.dispose();
  await hub?.dispose();
  harness = backend = hub = bob = undefined;
});

const PNG = makePng(640, 480);
const BOB_PNG = makePng(300, 200, 40);
const PDF = makePdf();
const BOB_PDF = makePdf(120_000);

/** The loaded picture's natural width, 0 until it has loaded (no DOM types in e2e/: read as described). */
const loadedWidth = (i: unknown) => {
  const image = i as { complete: boolean; naturalWidth: number };
  return image.complete ? image.naturalWidth : 0;
};

test('the desktop window sends a picture and a file to the hub, shows a received picture and saves a file', async ({
  browser,
}) => {
  hub = await HubProcess.start();
  backend = await startDesktopBackend({ discovered: [hub.url] });
  harness = await DesktopHarness.start(backend.services);
  const { page: ann } = await harness.openApp(browser);
  await ann.getByTestId('choose-join').click();
  await ann.getByTestId('discovered-hub').filter({ hasText: 'E2E hub' }).click();
  await ann.getByTestId('confirm-join').click();
  await pairWithCode(ann, hub, 'Ann', 'Ann’s desktop');
  bob = await openDevice(browser, hub.url);
  await pairWithCode(bob.page, hub, 'Bob', 'Bob’s laptop');
  for (const page of [ann, bob.page]) await openConversation(page, 'General');

  // Every request the window makes to the hub's files, as it leaves the page.
  const filesRequests: Array<{ url: string; authorization: string | undefined; cookie: string | undefined }> = [];
  ann.on('request', (request) => {
    if (!request.url().includes('/api/files/')) return;
    const headers = request.headers();
    filesRequests.push({ url: request.url(), authorization: headers.authorization, cookie: headers.cookie });
  });

  // Ann sends from the desktop: the paperclip is there, the files go up by tus to the hub.
  await expect(ann.getByTestId('attach-button')).toBeVisible();
  await ann.getByTestId('attach-input').setInputFiles([
    { name: 'Beach.png', mimeType: 'image/png', buffer: PNG },
    { name: 'Budget 2025.pdf', mimeType: 'application/pdf', buffer: PDF },
  ]);
  await expect(ann.getByTestId('file-chip')).toHaveCount(2);
  await ann.getByLabel('Message').fill('From the desktop');
  await ann.getByTestId('send-button').click();
  await expect(messages(ann, 'From the desktop')).toHaveAttribute('data-status', /sent|delivered|read/);

  // Bob, in a browser on the hub's page, gets both: the picture loads, the file downloads intact.
  const received = messages(bob.page, 'From the desktop');
  // The timeline shows the thumbnail the desktop made (480 wide), not the 640-pixel file.
  await expect.poll(() => received.getByRole('img', { name: 'Beach.png' }).evaluate(loadedWidth)).toBe(480);
  const [bobDownload] = await Promise.all([
    bob.page.waitForEvent('download'),
    received.getByRole('link', { name: 'Download Budget 2025.pdf' }).click(),
  ]);
  expect((await readFile((await bobDownload.path())!)).equals(PDF)).toBe(true);
  // Ann's own picture shows in her window too, from the hub.
  const own = messages(ann, 'From the desktop').getByRole('img', { name: 'Beach.png' });
  await expect.poll(() => own.evaluate(loadedWidth)).toBe(480);

  // Bob sends a picture and a file; the desktop shows the picture from a blob: URL and saves the file.
  await bob.page.getByTestId('attach-input').setInputFiles([
    { name: 'Sunset.png', mimeType: 'image/png', buffer: BOB_PNG },
    { name: 'Notes.pdf', mimeType: 'application/pdf', buffer: BOB_PDF },
  ]);
  await bob.page.getByLabel('Message').fill('From the browser');
  await bob.page.getByTestId('send-button').click();
  const inDesktop = messages(ann, 'From the browser');
  const sunset = inDesktop.getByRole('img', { name: 'Sunset.png' });
  await expect.poll(() => sunset.evaluate(loadedWidth)).toBe(300);
  await expect(sunset).toHaveAttribute('src', /^blob:/);
  const [annDownload] = await Promise.all([
    ann.waitForEvent('download'),
    inDesktop.getByRole('button', { name: 'Download Notes.pdf' }).click(),
  ]);
  expect(annDownload.suggestedFilename()).toBe('Notes.pdf');
  expect((await readFile((await annDownload.path())!)).equals(BOB_PDF)).toBe(true);

  // The picture opens in the viewer, from a blob: URL as well.
  await inDesktop.getByRole('button', { name: 'Open picture Sunset.png' }).click();
  const viewerImage = ann.getByTestId('image-viewer').getByRole('img', { name: 'Sunset.png' });
  await expect.poll(() => viewerImage.evaluate(loadedWidth)).toBe(300);
  await expect(viewerImage).toHaveAttribute('src', /^blob:/);
  await ann.keyboard.press('Escape');

  // The session went in a header to the hub's own origin, never in a URL, and no cookie was sent.
  const hubOrigin = new URL(hub.url).origin;
  expect(filesRequests.length).toBeGreaterThan(4);
  for (const request of filesRequests) {
    expect(new URL(request.url).origin).toBe(hubOrigin);
    expect(request.cookie).toBeUndefined();
    expect(new URL(request.url).search).toBe('');
    if (!request.url.endsWith('/api/files/session')) expect(request.authorization).toMatch(/^Roost-Session \S{43}$/);
  }
});
