import { expect, test, type Browser } from '@playwright/test';
import { formatIdentity } from '../shared/protocol';
import { openConversation, openDevice, messages, connection, sendMessage, type BrowserDevice } from './roostPage';
import { TlsHub } from './TlsHub';

/**
 * The web client against the hub's HTTPS (its own self-signed certificate, which each context accepts as a
 * person accepts the warning), and the move of a browser device paired over http:// before, with a message
 * it had not sent yet. `loopbackIsLan`: the browser on 127.0.0.1 sees what a LAN device sees.
 */

let hub: TlsHub;
let devices: BrowserDevice[] = [];
test.afterEach(async () => {
  for (const device of devices) await device.context.close();
  devices = [];
  await hub.dispose();
});

async function open(browser: Browser, url: string): Promise<BrowserDevice> {
  const device = await openDevice(browser, url);
  devices.push(device);
  return device;
}

async function joinByLink(browser: Browser, link: string, name: string): Promise<BrowserDevice> {
  const device = await open(browser, link);
  await device.page.getByLabel('Your name').fill(name);
  await device.page.getByTestId('pair-button').click();
  await expect(device.page.getByTestId('conversation-list')).toBeVisible();
  return device;
}

test('pairs by join link and sends over HTTPS and WSS, with nothing of the link left in the address', async ({
  browser,
}) => {
  hub = await TlsHub.start({ loopbackIsLan: true });
  const link = hub.joinLink();
  expect(link).toMatch(new RegExp(`^https://127\\.0\\.0\\.1:${hub.port}/#join=[\\w-]+&id=${hub.identity}$`));
  const cleo = await joinByLink(browser, link, 'Cleo');
  expect(cleo.page.url()).toBe(hub.https);
  await expect(cleo.page.getByTestId('not-encrypted')).toHaveCount(0);
  const dev = await joinByLink(browser, hub.joinLink(), 'Dev');
  await openConversation(cleo.page, 'General');
  await openConversation(dev.page, 'General');
  await sendMessage(cleo.page, 'Over TLS, hello');
  await expect(messages(dev.page, 'Over TLS, hello')).toHaveCount(1);
  // The page and its WebSocket both came over TLS.
  expect(await dev.page.evaluate('[location.protocol, window.isSecureContext]')).toEqual(['https:', true]);
});

test('refuses a join link that names another hub than the one at the address', async ({ browser }) => {
  hub = await TlsHub.start({ loopbackIsLan: true });
  const other = `${hub.identity.startsWith('A') ? 'B' : 'A'}${hub.identity.slice(1)}`;
  const link = hub.joinLink().replace(/&id=\w+$/, `&id=${other}`);
  const { page } = await open(browser, link);
  await expect(page.getByTestId('join-link-problem')).toContainText('made by another hub');
  await expect(page.getByTestId('join-link-problem')).toContainText(formatIdentity(hub.identity));
  expect(new URL(page.url()).hash).toBe('');
});

test('moves a device paired over http:// to https:// with its unsent message, delivered once, no re-pairing', async ({
  browser,
}) => {
  // The owner used to allow plain HTTP: Ann paired at the http:// address.
  hub = await TlsHub.start({ loopbackIsLan: true, allowPlainHttp: true });
  const ann = await joinByLink(browser, hub.joinLink(hub.http), 'Ann');
  expect(ann.page.url()).toBe(hub.http);
  await openConversation(ann.page, 'General');
  await sendMessage(ann.page, 'Sent before the move');
  await expect(messages(ann.page, 'Sent before the move')).toHaveAttribute('data-status', /sent|delivered|read/);

  // Offline, she writes a message: it waits in the outbox of the http:// origin.
  await ann.context.setOffline(true);
  await sendMessage(ann.page, 'Written offline, moved later');
  await expect(connection(ann.page)).toHaveAttribute('data-pending', '1');

  // The owner turns plain HTTP off (the new default). Ann's browser comes back and reloads.
  await hub.restart({ loopbackIsLan: true });
  await ann.context.setOffline(false);
  await ann.page.reload();
  const move = ann.page.getByTestId('move-device');
  await expect(move).toBeVisible();
  await expect(ann.page.locator('#unsent-list li')).toHaveText(['Written offline, moved later']);
  await expect(ann.page.getByText(hub.publicKeyFingerprint)).toBeVisible();

  await move.click();
  await expect(ann.page.getByTestId('migration-screen')).toHaveAttribute('data-phase', 'intro');
  expect(ann.page.url()).toBe(`${hub.https}#migrate`);
  const popup = ann.page.waitForEvent('popup');
  await ann.page.getByTestId('migrate-start').click();
  const oldPage = await popup;
  expect(oldPage.url()).toBe(`${hub.http}#migrate-from`);
  await expect(ann.page.getByTestId('migration-screen')).toHaveAttribute('data-phase', 'moved');
  await expect(ann.page.getByTestId('migration-screen')).toContainText('1 message not sent yet');
  // The app closes the old page once it has deleted its copy.
  await expect.poll(() => oldPage.isClosed()).toBe(true);
  await ann.page.getByTestId('migrate-continue').click();

  // Paired still, at the encrypted address; the message goes out from here.
  expect(ann.page.url()).toBe(hub.https);
  await openConversation(ann.page, 'General');
  await expect(messages(ann.page, 'Written offline, moved later')).toHaveAttribute(
    'data-status',
    /sent|delivered|read/,
  );
  await expect(connection(ann.page)).toHaveAttribute('data-pending', '0');

  // Another device sees each message once.
  const bob = await joinByLink(browser, hub.joinLink(), 'Bob');
  await openConversation(bob.page, 'General');
  await expect(messages(bob.page, 'Sent before the move')).toHaveCount(1);
  await expect(messages(bob.page, 'Written offline, moved later')).toHaveCount(1);

  // The old address holds nothing any more: its page offers no move and lists nothing.
  const again = await ann.context.newPage();
  await again.goto(hub.http);
  await expect(again.getByRole('heading', { name: 'Open Roost securely' })).toBeVisible();
  await expect(again.getByTestId('move-device')).toBeHidden();
  await expect(again.locator('#unsent')).toBeHidden();
});

test('a browser already paired at https:// keeps its device; the old page keeps and lists the unsent message', async ({
  browser,
}) => {
  hub = await TlsHub.start({ loopbackIsLan: true, allowPlainHttp: true });
  const ann = await joinByLink(browser, hub.joinLink(hub.http), 'Ann');
  await openConversation(ann.page, 'General');
  await ann.context.setOffline(true);
  await sendMessage(ann.page, 'Still waiting at the old address');
  await expect(connection(ann.page)).toHaveAttribute('data-pending', '1');
  await hub.restart({ loopbackIsLan: true });
  await ann.context.setOffline(false);

  // In the same browser, someone already paired at the https:// address.
  const fresh = await ann.context.newPage();
  await fresh.goto(hub.joinLink());
  await fresh.getByLabel('Your name').fill('Ann again');
  await fresh.getByTestId('pair-button').click();
  await expect(fresh.getByTestId('conversation-list')).toBeVisible();

  await fresh.goto(`${hub.https}#migrate`);
  await fresh.reload();
  const popup = fresh.waitForEvent('popup');
  await fresh.getByTestId('migrate-start').click();
  const oldPage = await popup;
  await expect(fresh.getByTestId('migration-screen')).toHaveAttribute('data-phase', 'refused');
  await expect(fresh.getByTestId('migration-screen')).toContainText('already has a device');
  await expect(oldPage.locator('#migrate-status')).toContainText('nothing was moved');
  await expect(oldPage.locator('#unsent-list li')).toHaveText(['Still waiting at the old address']);
});
