import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { readdir, readFile, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { finished } from 'node:stream/promises';
import { expect, test, type Page, type Request, type Route } from '@playwright/test';
import { HubProcess } from './HubProcess';
import {
  connection,
  messages,
  openConversation,
  openDevice,
  pairWithCode,
  sendMessage,
  type BrowserDevice,
} from './roostPage';

/**
 * Files sent from a device that loses the hub: attached offline they wait in the outbox (IndexedDB) and go
 * once it is back, exactly once, a reload included; a large upload survives a hub restart and goes on from
 * where it stopped.
 */

let hub: HubProcess;
let a: BrowserDevice;
let b: BrowserDevice;

test.beforeEach(async ({ browser }) => {
  hub = await HubProcess.start();
  a = await openDevice(browser, hub.url);
  await pairWithCode(a.page, hub, 'Ann', 'Ann laptop');
  b = await openDevice(browser, hub.url);
  await pairWithCode(b.page, hub, 'Bob', 'Bob laptop');
  for (const d of [a, b]) await openConversation(d.page, 'General');
});

test.afterEach(async () => {
  for (const d of [a, b]) await d?.context.close();
  await hub.dispose();
});

const UPLOADS = '**/api/files/uploads/*';

/** How many messages the hub stored with `text`, read from its message log on disk (main/hub/log/README.md). */
async function storedOnHub(text: string): Promise<number> {
  const root = path.join(hub.dataDir, 'messages');
  let count = 0;
  for (const entry of await readdir(root, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || !entry.name.endsWith('.jsonl')) continue;
    const lines = (await readFile(path.join(entry.parentPath, entry.name), 'utf8')).split('\n');
    count += lines.filter((line) => line.includes(JSON.stringify(text).slice(1, -1))).length;
  }
  return count;
}

/** Holds every upload PATCH from `page` until `release`, so a test can act while a file is on its way. */
async function holdPatches(page: Page): Promise<{ held: () => number; release: () => Promise<void> }> {
  const held: Route[] = [];
  let released = false;
  const handler = async (route: Route) => {
    if (released || route.request().method() !== 'PATCH') return route.continue();
    held.push(route);
  };
  await page.route(UPLOADS, handler);
  return {
    held: () => held.length,
    release: async () => {
      released = true;
      await page.unroute(UPLOADS, handler);
      // Those of a page since reloaded are gone: continuing them fails, which is what a reload does to them.
      for (const route of held) await route.continue().catch(() => {});
    },
  };
}

test('a file attached offline waits, goes once online, and a reload mid-upload does not send it twice', async () => {
  const text = 'Sent from the train';
  const body = Buffer.from('%PDF-1.7\n' + 'timetable '.repeat(50_000));

  await a.context.setOffline(true);
  await expect(connection(a.page)).not.toHaveAttribute('data-status', 'connected');
  await a.page
    .getByTestId('attach-input')
    .setInputFiles([{ name: 'Timetable.pdf', mimeType: 'application/pdf', buffer: body }]);
  await a.page.getByLabel('Message').fill(text);
  await a.page.getByTestId('send-button').click();
  const transfer = a.page.getByTestId('transfer');
  await expect(transfer).toHaveAttribute('data-phase', 'waiting');
  await expect(transfer).toContainText('Waiting for the hub');

  // Back online, the upload starts; the page reloads while the hub has not got the bytes yet.
  const patches = await holdPatches(a.page);
  await a.context.setOffline(false);
  await expect(connection(a.page)).toHaveAttribute('data-status', 'connected', { timeout: 30_000 });
  await expect.poll(patches.held).toBe(1);
  await a.page.reload();
  await openConversation(a.page, 'General');
  await expect(a.page.getByTestId('transfer')).toContainText('Timetable.pdf');
  await expect.poll(patches.held).toBe(2);
  await patches.release();

  await expect(messages(b.page, text).getByTestId('file-card')).toContainText('Timetable.pdf');
  await expect(messages(a.page, text)).toHaveAttribute('data-status', /sent|delivered|read/);
  await expect(a.page.getByTestId('outgoing-transfers')).toHaveCount(0);
  // A later message has arrived behind it: nothing more of the first is on its way.
  await sendMessage(a.page, 'And then this');
  await expect(messages(b.page, 'And then this')).toBeVisible();
  await expect(messages(b.page, text)).toHaveCount(1);
  await expect(messages(a.page, text)).toHaveCount(1);
  expect(await storedOnHub(text)).toBe(1);

  // Reloaded once more, the page finds nothing left to send.
  await a.page.reload();
  await openConversation(a.page, 'General');
  await expect(messages(a.page, 'And then this')).toBeVisible();
  await expect(a.page.getByTestId('outgoing-transfers')).toHaveCount(0);
  expect(await storedOnHub(text)).toBe(1);
});

/** A file of `mib` MiB written to disk a MiB at a time (never whole in memory); resolves with its SHA-256. */
async function writeLargeFile(file: string, mib: number): Promise<string> {
  const hash = createHash('sha256');
  const out = createWriteStream(file);
  const block = Buffer.alloc(1024 * 1024);
  for (let i = 0; i < mib; i++) {
    block.fill(i % 251);
    block.writeUInt32BE(i, 0);
    hash.update(block);
    if (!out.write(block)) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
  }
  out.end();
  await finished(out);
  return hash.digest('hex');
}

test('a large upload shows progress and goes on after a hub restart from where it stopped', async () => {
  test.setTimeout(240_000);
  const file = test.info().outputPath('Holiday video.bin');
  const sha256 = await writeLargeFile(file, 200);
  const text = 'The whole holiday';

  // Two chunks (16 MiB each) go through; the third is held, so the hub restarts with the upload half way.
  const offsets: number[] = [];
  a.page.on('request', (request: Request) => {
    if (request.method() !== 'PATCH' || !request.url().includes('/api/files/uploads/')) return;
    void request.headerValue('upload-offset').then((value) => offsets.push(Number(value)));
  });
  let passed = 0;
  let third: Route | undefined;
  await a.page.route(UPLOADS, async (route) => {
    if (route.request().method() !== 'PATCH' || ++passed <= 2) return route.continue();
    third ??= route;
    if (third !== route) await route.continue();
  });

  await a.page.getByTestId('attach-input').setInputFiles(file);
  await a.page.getByLabel('Message').fill(text);
  await a.page.getByTestId('send-button').click();
  const bar = a.page.getByRole('progressbar', { name: 'Sending Holiday video.bin' });
  await expect.poll(() => third !== undefined, { timeout: 120_000 }).toBe(true);
  await expect(a.page.getByTestId('transfer')).toContainText(/ of 210 MB · \d+%/);
  const before = Number(await bar.getAttribute('value'));
  expect(before).toBeGreaterThanOrEqual(15);

  await hub.restart();
  await third!.abort('connectionreset');
  for (const d of [a, b])
    await expect(connection(d.page)).toHaveAttribute('data-status', 'connected', { timeout: 45_000 });

  await expect(messages(b.page, text).getByTestId('file-card')).toContainText('Holiday video.bin', {
    timeout: 120_000,
  });
  // After the restart the upload went on from the hub's offset (two chunks), never from the start.
  const afterRestart = offsets.slice(3);
  expect(afterRestart.length).toBeGreaterThan(0);
  expect(Math.min(...afterRestart), `PATCH offsets: ${offsets.join(', ')}`).toBeGreaterThanOrEqual(32 * 1024 * 1024);
  const blob = path.join(hub.dataDir, 'files', 'blobs', sha256.slice(0, 2), sha256);
  expect((await stat(blob)).size).toBe(200 * 1024 * 1024);
  await rm(file);
});
