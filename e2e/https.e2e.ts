import { createHash, randomBytes } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { expect, test, type Browser, type Page } from '@playwright/test';
import { RegistryFileSchema, type DeviceRecord, type RegistryFile } from '../main/hub/registry/registrySchema';
import { formatIdentity } from '../shared/protocol';
import { LAN_HOST } from './lanHost';
import { openConversation, openDevice, messages, connection, sendMessage, type BrowserDevice } from './roostPage';
import { TlsHub } from './TlsHub';

/**
 * The web client against the hub's HTTPS (its own self-signed certificate, which each context accepts as a
 * person accepts the warning), and the move of a browser device paired over http:// before, with a message
 * it had not sent yet. `loopbackIsLan`: the browser on 127.0.0.1 sees what a LAN device sees; at LAN_HOST
 * (another name for 127.0.0.1) its http:// pages are no secure context either, as at a LAN address.
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

/** The one device of the user named `name`, as registry.json holds it now. */
async function deviceOf(name: string): Promise<DeviceRecord> {
  const registry = await readRegistry();
  const user = registry.users.find((u) => u.displayName === name);
  const own = registry.devices.filter((d) => d.userId === user?.id);
  if (own.length !== 1) throw new Error(`expected one device of ${name}, found ${own.length}`);
  return own[0]!;
}

async function readRegistry(): Promise<RegistryFile> {
  return RegistryFileSchema.parse(JSON.parse(await readFile(path.join(hub.dataDir, 'registry.json'), 'utf8')));
}

/**
 * What the page's origin keeps in the `deviceKeys` store: 'raw secret', 'non-extractable' (a WebCrypto pair), 'none'
 * or 'no store'. In-page code is a string here: the e2e code is compiled without the DOM's types.
 */
function storedKeyKind(page: Page): Promise<string> {
  return page.evaluate(`new Promise((resolve, reject) => {
    const request = indexedDB.open('roost');
    request.onerror = () => reject(request.error);
    request.onsuccess = () => {
      const db = request.result;
      if (!db.objectStoreNames.contains('deviceKeys')) return resolve('no store');
      const get = db.transaction('deviceKeys').objectStore('deviceKeys').get('device');
      get.onsuccess = () => {
        const row = get.result;
        db.close();
        if (!row) resolve('none');
        else if (row.secretKey instanceof Uint8Array) resolve('raw secret');
        else resolve(row.privateKey && row.privateKey.extractable === false ? 'non-extractable' : 'other');
      };
    };
  })`);
}

/** The old page opens the app at #migrate; the app opens the old page to take its data. */
async function moveDevice(page: Page, lan: { https: string; http: string }): Promise<Page> {
  const move = page.getByTestId('move-device');
  await expect(move).toBeVisible();
  await move.click();
  await expect(page.getByTestId('migration-screen')).toHaveAttribute('data-phase', 'intro');
  expect(page.url()).toBe(`${lan.https}#migrate`);
  const popup = page.waitForEvent('popup');
  await page.getByTestId('migrate-start').click();
  const oldPage = await popup;
  expect(oldPage.url()).toBe(`${lan.http}#migrate-from`);
  return oldPage;
}

test('moves a device paired at a LAN http:// address to https://, with its key and its unsent message', async ({
  browser,
}) => {
  // The owner used to allow plain HTTP: Ann paired at the http:// address, which, as on a LAN, is no secure context.
  hub = await TlsHub.start({ loopbackIsLan: true, allowPlainHttp: true }, [LAN_HOST]);
  const lan = hub.at(LAN_HOST);
  const ann = await joinByLink(browser, hub.joinLink(lan.http), 'Ann');
  expect(ann.page.url()).toBe(lan.http);
  expect(await ann.page.evaluate('[window.isSecureContext, typeof crypto.subtle]')).toEqual([false, 'undefined']);
  expect(await storedKeyKind(ann.page)).toBe('raw secret');
  const paired = await deviceOf('Ann');
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
  await expect(ann.page.locator('#unsent-list li')).toHaveText(['Written offline, moved later']);
  await expect(ann.page.getByText(hub.publicKeyFingerprint)).toBeVisible();

  const oldPage = await moveDevice(ann.page, lan);
  await expect(ann.page.getByTestId('migration-screen')).toHaveAttribute('data-phase', 'moved');
  await expect(ann.page.getByTestId('migration-screen')).toContainText('1 message not sent yet');
  // The app closes the old page once it has deleted its copy.
  await expect.poll(() => oldPage.isClosed()).toBe(true);
  await ann.page.getByTestId('migrate-continue').click();

  // Paired still, at the encrypted address, with the same key kept as WebCrypto keeps it; the message goes out.
  expect(ann.page.url()).toBe(lan.https);
  expect(await ann.page.evaluate('window.isSecureContext')).toBe(true);
  await openConversation(ann.page, 'General');
  await expect(messages(ann.page, 'Written offline, moved later')).toHaveAttribute(
    'data-status',
    /sent|delivered|read/,
  );
  await expect(connection(ann.page)).toHaveAttribute('data-pending', '0');
  expect(await storedKeyKind(ann.page)).toBe('non-extractable');
  const moved = await deviceOf('Ann');
  expect([moved.id, moved.publicKey]).toEqual([paired.id, paired.publicKey]);

  // Another device sees each message once.
  const bob = await joinByLink(browser, hub.joinLink(), 'Bob');
  await openConversation(bob.page, 'General');
  await expect(messages(bob.page, 'Sent before the move')).toHaveCount(1);
  await expect(messages(bob.page, 'Written offline, moved later')).toHaveCount(1);

  // The old address holds nothing any more, its key neither: its page offers no move and lists nothing.
  const again = await ann.context.newPage();
  await again.goto(lan.http);
  await expect(again.getByRole('heading', { name: 'Open Roost securely' })).toBeVisible();
  await expect(again.getByTestId('move-device')).toBeHidden();
  await expect(again.locator('#unsent')).toBeHidden();
  expect(await storedKeyKind(again)).toBe('none');
});

test('moves a protocol-1 device (a token, no key) from http:// to https://, where it binds a key', async ({
  browser,
}) => {
  // A hub from before protocol 2: Ann's device is known by its token's hash. Made from a device paired now.
  hub = await TlsHub.start({ loopbackIsLan: true }, [LAN_HOST]);
  const lan = hub.at(LAN_HOST);
  const paired = await joinByLink(browser, hub.joinLink(), 'Ann');
  await paired.context.close();
  devices = devices.filter((d) => d !== paired);
  const { hubId, device, token } = await protocol1Registry('Ann');
  await hub.restart({ loopbackIsLan: true });

  // Her browser holds that device at the http:// origin as protocol 1 left it: a version-1 database.
  const ann = await open(browser, lan.http);
  const credentials = { hubId, userId: device.userId, deviceId: device.id, token };
  await seedVersion1(ann.page, credentials, 'Written under protocol 1');
  await ann.page.reload();
  await expect(ann.page.locator('#unsent-list li')).toHaveText(['Written under protocol 1']);

  const oldPage = await moveDevice(ann.page, lan);
  await expect(ann.page.getByTestId('migration-screen')).toHaveAttribute('data-phase', 'moved');
  await expect(ann.page.getByTestId('migration-screen')).toContainText('1 message not sent yet');
  await expect.poll(() => oldPage.isClosed()).toBe(true);
  await ann.page.getByTestId('migrate-continue').click();

  // Its first auth at https binds a key made there, in place of the token; then the message goes out.
  await openConversation(ann.page, 'General');
  await expect(messages(ann.page, 'Written under protocol 1')).toHaveAttribute('data-status', /sent|delivered|read/);
  await expect(connection(ann.page)).toHaveAttribute('data-pending', '0');
  expect(await storedKeyKind(ann.page)).toBe('non-extractable');
  const bound = await deviceOf('Ann');
  expect(bound.id).toBe(device.id);
  expect(bound.publicKey).toMatch(/^[\w-]{122}$/);
  expect(bound).not.toHaveProperty('tokenHash');

  const bob = await joinByLink(browser, hub.joinLink(), 'Bob');
  await openConversation(bob.page, 'General');
  await expect(messages(bob.page, 'Written under protocol 1')).toHaveCount(1);
});

test('refuses to move a device whose key is a non-extractable WebCrypto key, and moves nothing', async ({
  browser,
}) => {
  // http://127.0.0.1 is a secure context, so Ann's key there is a non-extractable WebCrypto key, which stays there.
  hub = await TlsHub.start({ loopbackIsLan: true, allowPlainHttp: true });
  const ann = await joinByLink(browser, hub.joinLink(hub.http), 'Ann');
  expect(await storedKeyKind(ann.page)).toBe('non-extractable');
  await openConversation(ann.page, 'General');
  await ann.context.setOffline(true);
  await sendMessage(ann.page, 'Stays with its key');
  await expect(connection(ann.page)).toHaveAttribute('data-pending', '1');
  await hub.restart({ loopbackIsLan: true });
  await ann.context.setOffline(false);
  await ann.page.reload();

  const oldPage = await moveDevice(ann.page, { https: hub.https, http: hub.http });
  const screen = ann.page.getByTestId('migration-screen');
  await expect(screen).toHaveAttribute('data-reason', 'KEY_NOT_MOVABLE');
  await expect(screen).toContainText('key cannot be moved');
  await expect(screen).toContainText('Keep using it at the old address, or pair again here');
  await expect(oldPage.locator('#migrate-status')).toContainText('nothing was moved');
  await expect(oldPage.locator('#unsent-list li')).toHaveText(['Stays with its key']);
  expect(await storedKeyKind(oldPage)).toBe('non-extractable');
  // Nothing reached the https origin: continuing there means pairing.
  await ann.page.getByTestId('migrate-continue').click();
  await expect(ann.page.getByTestId('pairing-screen')).toBeVisible();
});

/**
 * Turns the registry into a protocol-1 hub's (schemaVersion 2, PROTOCOL.md 6.7): the device of `name` loses its key
 * and gets the hash of a new token in its place. The hub must be stopped; returns the token.
 */
async function protocol1Registry(name: string): Promise<{ hubId: string; device: DeviceRecord; token: string }> {
  const device = await deviceOf(name);
  await hub.stop();
  const file = path.join(hub.dataDir, 'registry.json');
  const registry = JSON.parse(await readFile(file, 'utf8')) as RegistryFile;
  const token = randomBytes(32).toString('base64url');
  const { publicKey: _key, keyBoundAt: _bound, ...older } = registry.devices.find((d) => d.id === device.id)!;
  const tokenHash = createHash('sha256').update(token, 'utf8').digest('hex');
  registry.devices = registry.devices.map((d) => (d.id === device.id ? { ...older, tokenHash } : d));
  const { protocol2Since: _since, ...hubRecord } = registry.hub;
  await writeFile(file, JSON.stringify({ ...registry, schemaVersion: 2, hub: hubRecord }));
  return { hubId: registry.hub.id, device, token };
}

/** Stores a device and one unsent message in the page origin's database as version 1 (protocol 1) laid it out. */
async function seedVersion1(page: Page, credentials: Record<string, string>, text: string): Promise<void> {
  const unsent = { clientMsgId: 'protocol1-unsent-0001', conversationId: 'general', text, createdAt: 1, order: 1 };
  await page.evaluate(`new Promise((resolve, reject) => {
    const request = indexedDB.open('roost', 1);
    request.onupgradeneeded = () => {
      const db = request.result;
      db.createObjectStore('kv');
      db.createObjectStore('ranges', { keyPath: 'conversationId' });
      db.createObjectStore('messages', { keyPath: ['conversationId', 'seq'] });
      db.createObjectStore('outbox', { keyPath: 'clientMsgId' });
    };
    request.onerror = () => reject(request.error);
    request.onsuccess = () => {
      const db = request.result;
      const tx = db.transaction(['kv', 'outbox'], 'readwrite');
      tx.objectStore('kv').put(${JSON.stringify(credentials)}, 'credentials');
      tx.objectStore('outbox').put(${JSON.stringify(unsent)});
      tx.oncomplete = () => { db.close(); resolve(); };
      tx.onabort = () => reject(tx.error);
    };
  })`);
}

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
