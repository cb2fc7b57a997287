import { expect, test } from '@playwright/test';
import type { NotificationRequest } from '../shared/desktop';
import { formatIdentity } from '../shared/protocol';
import { DesktopHarness, freePort, startDesktopBackend, type DesktopBackendHandle } from './DesktopHarness';
import { HubProcess } from './HubProcess';
import { openConversation, openDevice, pairWithCode, sendMessage } from './roostPage';

/**
 * The desktop app's renderer against the real main-side logic
 * (main/desktop/DesktopServices: a real hub, real settings on disk), with only
 * Electron's IPC replaced by the harness. mDNS is never used: discovery is a
 * fixed list.
 */

let backend: DesktopBackendHandle | undefined;
let harness: DesktopHarness | undefined;
let hub: HubProcess | undefined;

test.afterEach(async () => {
  await harness?.close();
  await backend?.dispose();
  await hub?.dispose();
  harness = backend = hub = undefined;
});

test('host: first run, the owner pairs by name, a phone joins by QR link, its message notifies', async ({
  browser,
}) => {
  backend = await startDesktopBackend();
  harness = await DesktopHarness.start(backend.services);
  const { page: ann } = await harness.openApp(browser);

  await expect(ann.getByTestId('first-run-screen')).toBeVisible();
  await ann.getByTestId('choose-host').click();
  await ann.getByLabel('Hub name').fill('Test hub');
  await ann.getByLabel('Port').fill(String(await freePort()));
  await ann.getByTestId('host-form-submit').click();

  // Hosting: the owner is asked only for a name (a join token from main, no code).
  const pairing = ann.getByTestId('pairing-screen');
  await expect(pairing).toHaveAttribute('data-invitation', 'owner');
  await expect(ann.getByLabel('Pairing code')).toHaveCount(0);
  await ann.getByLabel('Your name').fill('Ann');
  await ann.getByTestId('pair-button').click();
  await expect(ann.getByTestId('conversation-list')).toBeVisible();

  // This hub: pairing (closed until the owner opens it), join link and its QR code, addresses.
  await ann.getByTestId('hub-button').click();
  const panel = ann.getByTestId('hosting-panel');
  await expect(panel).toHaveAttribute('data-state', 'running');
  await expect(ann.getByTestId('hosting-pairing-closed')).toBeVisible();
  await expect(ann.getByTestId('hosting-pairing-code')).toHaveCount(0);
  await ann.getByTestId('open-pairing').click();
  await expect(ann.getByTestId('hosting-pairing-code')).toHaveAttribute('data-code', /^\d{6}$/);
  await expect(ann.getByTestId('hosting-pairing-expiry')).toContainText(/Open for (10:00|9:\d\d) more/);
  const joinUrl = (await ann.getByTestId('hosting-join-url').textContent()) ?? '';
  expect(joinUrl).toMatch(/^https:\/\/[^/]+\/#join=[A-Za-z0-9_-]+&id=[A-Z2-7]{52}$/);
  await expect(ann.getByTestId('join-qr')).toHaveAttribute('data-url', joinUrl);
  await expect(ann.getByTestId('hosting-urls')).toContainText('https://');
  // What people compare: the identity the join link carries, and the key's fingerprint as browsers show it.
  const linkIdentity = new URLSearchParams(new URL(joinUrl).hash.slice(1)).get('id') ?? '';
  await expect(ann.getByTestId('hub-identity')).toHaveText(formatIdentity(linkIdentity));
  await expect(ann.getByTestId('hub-fingerprint')).toHaveText(/^([0-9A-F]{2} ){31}[0-9A-F]{2}$/);
  await expect(ann.getByTestId('hosting-advertised')).toHaveAttribute('data-advertised', 'false');

  // A phone scans the QR code: the join link, opened in a plain browser (the hub serves the web client).
  const status = backend.services.hostingStatus();
  if (status.state !== 'running') throw new Error(`hub not running: ${status.state}`);
  const phone = await openDevice(browser, joinUrl.replace(/^https:\/\/[^/]+\//, `https://127.0.0.1:${status.port}/`));
  await phone.page.getByLabel('Your name').fill('Bob');
  await phone.page.getByTestId('pair-button').click();
  await expect(phone.page.getByTestId('conversation-list')).toBeVisible();

  // It shows up as connected, live.
  await expect(ann.getByTestId('connected-device').filter({ hasText: 'Bob' })).toBeVisible();

  // Bob writes while Ann's window is in the background: her app asks main to notify, main shows it, the badge follows.
  backend.shell.window = { visible: true, focused: false };
  const notified = harness.waitForCall('notify', (args) => (args[0] as NotificationRequest).body === 'Dinner at 7?');
  const badge = harness.waitForCall('setUnreadCount', (args) => args[0] === 1);
  await openConversation(phone.page, 'General');
  await sendMessage(phone.page, 'Dinner at 7?');
  const [request] = (await notified) as [NotificationRequest];
  expect(request.title).toBe('Bob in General');
  await badge;
  expect(
    harness.callsOf('notify').filter((args) => (args[0] as NotificationRequest).body === 'Dinner at 7?'),
  ).toHaveLength(1);
  expect(backend.shell.notifications.at(-1)).toEqual(request);
  expect(backend.shell.unreadCount).toBe(1);

  // Clicking the notification: main shows the window and sends openConversation; reading it clears the badge.
  const cleared = harness.waitForCall('setUnreadCount', (args) => args[0] === 0);
  backend.shell.click();
  await expect(ann.getByTestId('conversation-view')).toBeVisible();
  await expect(ann.getByTestId('conversation-view')).toContainText('Dinner at 7?');
  await cleared;

  // Hidden to the tray with the conversation still open: the page itself still looks visible and focused,
  // but main says nobody is looking, so the message stays unread until the window comes back.
  // (Were they marked read on arrival, the count could never reach 2.)
  backend.shell.window = { visible: false, focused: false };
  await sendMessage(phone.page, 'Still there?');
  await expect(ann.getByTestId('conversation-view')).toContainText('Still there?');
  await sendMessage(phone.page, 'Hello?');
  await expect(ann.getByTestId('conversation-view')).toContainText('Hello?');
  const shell = backend.shell;
  await expect.poll(() => shell.unreadCount).toBe(2);
  shell.showWindow();
  await expect.poll(() => shell.unreadCount).toBe(0);

  // Ann's own messages never notify her.
  await sendMessage(ann, 'Yes!');
  await expect(phone.page.getByTestId('message').filter({ hasText: 'Yes!' })).toBeVisible();
  expect(harness.callsOf('notify').some((args) => (args[0] as NotificationRequest).body === 'Yes!')).toBe(false);

  // Mute lives in main.
  await ann.getByTestId('devices-button').click();
  await ann.getByTestId('desktop-settings').getByText('Mute notifications').click();
  await harness.waitForCall('setMuted', (args) => args[0] === true);
  expect(backend.services.getMuted()).toBe(true);
  await phone.context.close();
});

test('host: a code pairs only while the owner has pairing open, and failed attempts show on This hub', async ({
  browser,
}) => {
  backend = await startDesktopBackend();
  harness = await DesktopHarness.start(backend.services);
  const { page: ann } = await harness.openApp(browser);
  await ann.getByTestId('choose-host').click();
  await ann.getByLabel('Hub name').fill('Test hub');
  await ann.getByLabel('Port').fill(String(await freePort()));
  await ann.getByTestId('host-form-submit').click();
  await ann.getByLabel('Your name').fill('Ann');
  await ann.getByTestId('pair-button').click();
  await expect(ann.getByTestId('conversation-list')).toBeVisible();
  await ann.getByTestId('hub-button').click();

  const status = backend.services.hostingStatus();
  if (status.state !== 'running') throw new Error(`hub not running: ${status.state}`);
  const laptop = await openDevice(browser, `http://127.0.0.1:${status.port}/`);
  const tryCode = async (code: string) => {
    await laptop.page.getByLabel('Your name').fill('Bob');
    await laptop.page.getByLabel('Pairing code').fill(code);
    await laptop.page.getByLabel('Device name').fill('Bob’s laptop');
    await laptop.page.getByTestId('pair-button').click();
  };

  // Closed: the code is refused, with what to do, and the owner sees the attempt.
  await tryCode('123456');
  await expect(laptop.page.getByTestId('pairing-error')).toContainText(/ask the hub's owner to open pairing/i);
  await expect(ann.getByTestId('failed-pairing')).toHaveAttribute('data-outcome', 'closed');
  await expect(ann.getByTestId('failed-pairing')).toContainText('127.0.0.1');

  // Open: the code shown on This hub pairs; then the owner closes pairing and the code is gone.
  await ann.getByTestId('open-pairing').click();
  const code = (await ann.getByTestId('hosting-pairing-code').getAttribute('data-code')) ?? '';
  await tryCode(code);
  await expect(laptop.page.getByTestId('conversation-list')).toBeVisible();
  await expect(ann.getByTestId('hosting-pairing-code')).not.toHaveAttribute('data-code', code);
  await ann.getByTestId('close-pairing').click();
  await expect(ann.getByTestId('hosting-pairing-closed')).toBeVisible();
  await expect(ann.getByTestId('hosting-pairing-code')).toHaveCount(0);
  await laptop.context.close();
});

test('join: first run, pick a discovered hub, pair with its code, change hub later', async ({ browser }) => {
  hub = await HubProcess.start();
  backend = await startDesktopBackend({ discovered: [hub.url] });
  harness = await DesktopHarness.start(backend.services);
  const { page } = await harness.openApp(browser);

  await page.getByTestId('choose-join').click();
  const found = page.getByTestId('discovered-hub').filter({ hasText: 'E2E hub' });
  await expect(found).toBeEnabled();
  await found.click();
  // The identity it proved, to compare with the hub's own screen, before anything is pinned.
  await expect(page.getByTestId('candidate-identity')).toHaveText(formatIdentity(hub.identity));
  await page.getByTestId('confirm-join').click();
  await harness.waitForCall(
    'chooseJoin',
    (args) => args[0] === `ws://127.0.0.1:${hub!.port}/ws` && args[1] === hub!.identity,
  );
  await pairWithCode(page, hub, 'Cleo', 'Cleo’s desktop');
  await expect(page.getByTestId('hub-button')).toHaveCount(0);

  await page.getByTestId('devices-button').click();
  await expect(page.getByTestId('desktop-hub-summary')).toContainText(`127.0.0.1:${hub.port}`);
  await page.getByTestId('change-hub-button').click();
  await page.getByTestId('confirm-change-hub').click();
  await expect(page.getByTestId('first-run-screen')).toBeVisible();
  expect(backend.services.getSetup()).toEqual({ mode: 'unset' });
});

test('join by typed address when nothing is discovered', async ({ browser }) => {
  hub = await HubProcess.start();
  backend = await startDesktopBackend({ discovered: [] });
  harness = await DesktopHarness.start(backend.services);
  const { page } = await harness.openApp(browser);

  await page.getByTestId('choose-join').click();
  await expect(page.getByTestId('discovered-hubs-empty')).toBeVisible();
  await expect(page.getByTestId('discovery-help')).toContainText('5353');
  await page.getByLabel('Hub address').fill(`127.0.0.1:${hub.port}`);
  await page.getByTestId('hub-address-submit').click();
  await expect(page.getByTestId('candidate-identity')).toHaveText(formatIdentity(hub.identity));
  await page.getByTestId('confirm-join').click();
  await pairWithCode(page, hub, 'Dan', 'Dan’s desktop');
});
