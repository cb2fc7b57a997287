import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test, type Page } from '@playwright/test';
import { DesktopHarness, freePort, startDesktopBackend, type DesktopBackendHandle } from './DesktopHarness';
import { HubProcess } from './HubProcess';
import { messages, openConversation, openDevice, pairWithCode, sendMessage } from './roostPage';

/**
 * The hub owner's controls: on the desktop app's This hub screen and in a conversation (the renderer against
 * the real DesktopServices, only IPC replaced), and from the CLI against a real hub process.
 */

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

let backend: DesktopBackendHandle | undefined;
let harness: DesktopHarness | undefined;
let hub: HubProcess | undefined;

test.afterEach(async () => {
  await harness?.close();
  await backend?.dispose();
  await hub?.dispose();
  harness = backend = hub = undefined;
});

/** Hosts a hub in the desktop app and pairs its owner, Ann. */
async function hostAsAnn(page: Page): Promise<void> {
  await page.getByTestId('choose-host').click();
  await page.getByLabel('Hub name').fill('Test hub');
  await page.getByLabel('Port').fill(String(await freePort()));
  await page.getByTestId('host-form-submit').click();
  await page.getByLabel('Your name').fill('Ann');
  await page.getByTestId('pair-button').click();
  await expect(page.getByTestId('conversation-list')).toBeVisible();
}

test('desktop: the owner deletes a message and removes a person; the audit log shows it', async ({ browser }) => {
  backend = await startDesktopBackend();
  harness = await DesktopHarness.start(backend.services);
  const { page: ann } = await harness.openApp(browser);
  await hostAsAnn(ann);

  const status = backend.services.hostingStatus();
  if (status.state !== 'running') throw new Error(`hub not running: ${status.state}`);
  const local = (url: string) => url.replace(/^https:\/\/[^/]+\//, `https://127.0.0.1:${status.port}/`);
  const mal = await openDevice(browser, local(status.joinUrl));
  await mal.page.getByLabel('Your name').fill('Mallory');
  await mal.page.getByTestId('pair-button').click();
  await expect(mal.page.getByTestId('conversation-list')).toBeVisible();
  await openConversation(mal.page, 'General');
  await sendMessage(mal.page, 'CHEAP PILLS here');
  await sendMessage(mal.page, 'and more spam');

  // The owner deletes it from the conversation; it goes on every device, Mallory's too.
  await openConversation(ann, 'General');
  const spam = messages(ann, 'CHEAP PILLS here');
  await expect(spam).toBeVisible();
  await spam.hover();
  await spam.getByTestId('delete-message').click();
  await expect(ann.getByTestId('delete-message-dialog')).toContainText('CHEAP PILLS here');
  await ann.getByTestId('confirm-delete-message').click();
  await expect(ann.getByTestId('delete-message-dialog')).not.toBeVisible();
  for (const page of [ann, mal.page]) {
    await expect(messages(page, 'CHEAP PILLS')).toHaveCount(0);
    await expect(page.locator('[data-testid="message"][data-deleted="true"]')).toContainText('Message deleted');
  }
  // An ordinary member's web client offers it on their own messages only.
  await sendMessage(ann, 'Welcome, Mallory');
  await expect(messages(mal.page, 'Welcome, Mallory')).toBeVisible();
  await expect(messages(mal.page, 'Welcome, Mallory').getByTestId('delete-message')).toHaveCount(0);
  await expect(messages(mal.page, 'and more spam').getByTestId('delete-message')).toHaveCount(1);

  // The owner removes Mallory on This hub.
  await ann.getByTestId('hub-button').click();
  const person = ann.getByTestId('hub-person').filter({ hasText: 'Mallory' });
  await expect(person.getByTestId('hub-device')).toHaveCount(1);
  await expect(ann.getByTestId('hub-person').filter({ hasText: 'Ann' }).getByTestId('remove-user')).toHaveCount(0);

  await person.getByTestId('remove-user').click();
  await expect(ann.getByTestId('remove-user-dialog')).toContainText('Their messages stay');
  await ann.getByTestId('confirm-remove-user').click();
  await expect(person).toHaveCount(0);
  await expect(ann.getByTestId('removed-people')).toContainText('Mallory');
  // Cut off at once: Mallory's browser is back at pairing.
  await expect(mal.page.getByTestId('pairing-screen')).toBeVisible();

  // Their messages stay, from "Removed user".
  await openConversation(ann, 'General');
  await expect(messages(ann, 'and more spam')).toContainText('Removed user');

  // The audit log has both, as done by the owner via desktop.
  await ann.getByTestId('hub-button').click();
  const audit = ann.getByTestId('audit-entry');
  await expect(audit.filter({ hasText: 'Owner via desktop removed user "Mallory"' })).toHaveCount(1);
  await expect(audit.filter({ hasText: 'Owner via desktop deleted message' })).toHaveCount(1);
  await mal.context.close();
});

test('desktop: the owner removes another user’s device from This hub, and it is signed out', async ({ browser }) => {
  backend = await startDesktopBackend();
  harness = await DesktopHarness.start(backend.services);
  const { page: ann } = await harness.openApp(browser);
  await hostAsAnn(ann);
  const status = backend.services.hostingStatus();
  if (status.state !== 'running') throw new Error(`hub not running: ${status.state}`);
  const bob = await openDevice(
    browser,
    status.joinUrl.replace(/^https:\/\/[^/]+\//, `https://127.0.0.1:${status.port}/`),
  );
  await bob.page.getByLabel('Your name').fill('Bob');
  await bob.page.getByTestId('pair-button').click();
  await expect(bob.page.getByTestId('conversation-list')).toBeVisible();

  await ann.getByTestId('hub-button').click();
  const device = ann.getByTestId('hub-person').filter({ hasText: 'Bob' }).getByTestId('hub-device');
  await expect(device).toHaveCount(1);
  await device.getByTestId('remove-any-device').click();
  await ann.getByTestId('confirm-owner-remove-device').click();
  await expect(device).toHaveCount(0);
  await expect(bob.page.getByTestId('pairing-screen')).toBeVisible();
  await bob.context.close();
});

/** `npm run hub -- <args>` against the hub's data directory; resolves with what it printed. */
function cli(dataDir: string, ...args: string[]): Promise<{ code: number | null; out: string; err: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'main/cli/hub.ts', ...args, '--data-dir', dataDir], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  return new Promise((resolve) => child.on('exit', (code) => resolve({ code, out, err })));
}

test('CLI: the owner of a headless hub lists, removes a device, deletes a message and reopens pairing', async ({
  browser,
}) => {
  hub = await HubProcess.start();
  const bob = await openDevice(browser, hub.url);
  await pairWithCode(bob.page, hub, 'Bob', 'Bob laptop');
  await openConversation(bob.page, 'General');
  await sendMessage(bob.page, 'spam from Bob');
  await expect(messages(bob.page, 'spam from Bob')).toHaveAttribute('data-status', /sent|delivered|read/);

  const users = await cli(hub.dataDir, 'users');
  expect(users.code).toBe(0);
  expect(users.out).toContain('Bob');
  const deviceId = /Bob laptop \([^)]*\)\s+device (\S+)/.exec(users.out)?.[1];
  expect(deviceId).toBeTruthy();

  const deleted = await cli(hub.dataDir, 'delete-message', 'general', '1');
  expect(deleted.out).toContain('Deleted the message from "Bob" in "General" for everyone');
  await expect(bob.page.locator('[data-testid="message"][data-deleted="true"]')).toContainText('Message deleted');

  const removed = await cli(hub.dataDir, 'remove-device', deviceId!);
  expect(removed.code).toBe(0);
  await expect(bob.page.getByTestId('pairing-screen')).toBeVisible();

  // Pairing closes and opens again by command; the hub prints the new code.
  expect((await cli(hub.dataDir, 'pairing', 'close')).out).toMatch(/closed/);
  const printed = hub.nextCode();
  const opened = await cli(hub.dataDir, 'pairing', 'open', '5');
  expect(opened.out).toMatch(/Pairing is open until .*Code: \d{3} \d{3}/);
  expect(opened.out).toContain(`${(await printed).slice(0, 3)} ${(await printed).slice(3)}`);

  const audit = await cli(hub.dataDir, 'audit');
  expect(audit.out).toMatch(/owner via CLI: deleteMessage message 1 in "General"/);
  expect(audit.out).toMatch(/owner via CLI: removeDevice device "Bob laptop"/);
  expect(audit.out).toMatch(/owner via CLI: openPairing/);

  const help = await cli(hub.dataDir, '--help');
  expect(help.out).toContain('remove-user USER_ID');
  await bob.context.close();

  await hub.stop();
  const none = await cli(hub.dataDir, 'users');
  expect(none.code).toBe(3);
  expect(none.err).toMatch(/No hub is running with the data directory/);
});
