import { chromium, expect, test } from '@playwright/test';
import { DesktopHarness, freePort, startDesktopBackend } from './DesktopHarness';
import { HubProcess } from './HubProcess';
import { LAN_HOST } from './lanHost';
import { TlsHub } from './TlsHub';
import { findChromium, launchOptionsFor } from '../scripts/browser/findChromium';
import { DESKTOP, PHONE, createLinkCode, openConversation, openDevice, pairWithCode, sendMessage } from './roostPage';
import { checkScreen as shot, scanScreen, screenshot } from './screenCheck';

/** Every main screen, at desktop and phone width, scanned by axe in light and dark (see screenCheck.ts). */
let hub: HubProcess;
test.beforeAll(async () => {
  hub = await HubProcess.start();
});
test.afterAll(async () => {
  await hub.dispose();
});

test('main screens at desktop and phone width', async ({ browser }) => {
  const people = { desktop: ['Ann', 'Bob'], phone: ['Maya', 'Theo'] } as const;
  for (const [label, viewport] of [
    ['desktop', DESKTOP],
    ['phone', PHONE],
  ] as const) {
    const [me, friend] = people[label];
    const ann = await openDevice(browser, hub.url, viewport);
    await expect(ann.page.getByTestId('pairing-screen')).toBeVisible();
    await shot(ann.page, `${label}-1-pairing`);
    await ann.page.getByLabel('Your name').fill(me);
    await ann.page.getByLabel('Pairing code').fill(hub.code === '000000' ? '111111' : '000000');
    await ann.page.getByTestId('pair-button').click();
    await expect(ann.page.getByTestId('pairing-error')).toBeVisible();
    await scanScreen(ann.page, `${label}, pairing refused`);
    await pairWithCode(ann.page, hub, me, `${me}'s ${label === 'phone' ? 'phone' : 'laptop'}`);
    const bob = await openDevice(browser, hub.url, DESKTOP);
    await pairWithCode(bob.page, hub, friend, `${friend}'s laptop`);

    await openConversation(bob.page, 'General');
    await sendMessage(bob.page, 'Morning! Anyone up for a walk at 10?');
    await sendMessage(bob.page, 'Route idea: https://example.org/walks/riverside');
    await expect(ann.page.getByTestId('unread-badge').first()).toBeVisible();
    await shot(ann.page, `${label}-2-conversations`);
    await ann.page.getByTestId('new-room-button').click();
    await expect(ann.page.getByRole('dialog')).toBeVisible();
    await scanScreen(ann.page, `${label}, new room dialog`);
    await ann.page.keyboard.press('Escape');
    await expect(ann.page.getByRole('dialog')).toHaveCount(0);

    await openConversation(ann.page, 'General');
    await sendMessage(ann.page, 'Count me in. I will bring coffee ☕');
    await expect(ann.page.getByTestId('message').filter({ hasText: 'coffee' }).last()).toHaveAttribute(
      'data-status',
      /sent|delivered|read/,
    );
    await shot(ann.page, `${label}-3-conversation`);

    await createLinkCode(ann.page);
    await shot(ann.page, `${label}-4-devices`);
    await ann.page
      .getByRole('button', { name: /^Remove / })
      .first()
      .click();
    await expect(ann.page.getByRole('dialog')).toBeVisible();
    await scanScreen(ann.page, `${label}, remove device dialog`);
    await ann.page.keyboard.press('Escape');

    // The browser's own offline signal: the client drops its connection and shows it is trying again.
    await ann.context.setOffline(true);
    await expect(ann.page.getByTestId('connection-status')).toHaveAttribute('data-status', 'reconnecting');
    await scanScreen(ann.page, `${label}, reconnecting`);
    await ann.context.close();
    await bob.context.close();
  }
});

test('desktop app: first run and "This hub"', async ({ browser }) => {
  // Two widths of the desktop app, each with its own hub, a second device and every dialog's scan.
  test.slow();
  for (const [label, viewport] of [
    ['desktop', DESKTOP],
    ['phone', PHONE],
  ] as const) {
    const backend = await startDesktopBackend({
      discovered: [hub.url],
      device: { name: label === 'phone' ? 'Maya’s laptop' : 'Ann’s laptop', platform: 'linux' },
    });
    const harness = await DesktopHarness.start(backend.services);
    try {
      const { page } = await harness.openApp(browser, viewport);
      await page.getByTestId('choose-join').click();
      await expect(page.getByTestId('discovered-hub').first()).toBeVisible();
      await shot(page, `${label}-5-first-run`);

      await page.getByTestId('choose-host').click();
      await scanScreen(page, `${label}, host a hub form`);
      await page.getByLabel('Hub name').fill(label === 'phone' ? 'Maya’s hub' : 'Ann’s hub');
      await page.getByLabel('Port').fill(String(await freePort()));
      await page.getByTestId('host-form-submit').click();
      await page.getByLabel('Your name').fill(label === 'phone' ? 'Maya' : 'Ann');
      await page.getByTestId('pair-button').click();
      await expect(page.getByTestId('conversation-list')).toBeVisible();

      const status = backend.services.hostingStatus();
      if (status.state !== 'running') throw new Error(`hub not running: ${status.state}`);
      const friend = await openDevice(
        browser,
        status.joinUrl.replace(/^https:\/\/[^/]+\//, `https://127.0.0.1:${status.port}/`),
        PHONE,
      );
      await friend.page.getByLabel('Your name').fill(label === 'phone' ? 'Theo' : 'Bob');
      await friend.page.getByTestId('pair-button').click();
      await expect(friend.page.getByTestId('conversation-list')).toBeVisible();

      // On a phone-wide window the top bar has no room for "This hub": it is under Devices.
      await page.getByTestId('devices-button').click();
      await page.getByTestId('desktop-settings').getByRole('button', { name: 'This hub' }).click();
      await expect(page.getByTestId('connected-device')).toHaveCount(2);
      await page.getByTestId('open-pairing').click();
      await expect(page.getByTestId('hosting-pairing-code')).toBeVisible();
      await shot(page, `${label}-6-this-hub`);
      // Scanned with the whole screen above; the picture shows what people compare.
      await page.getByTestId('hub-identity-card').scrollIntoViewIfNeeded();
      await screenshot(page, `${label}-7-this-hub-identity`);

      // The owner's controls: the dialogs of People and devices, and deleting a message for everyone.
      const person = page.getByTestId('hub-person').filter({ hasText: label === 'phone' ? 'Theo' : 'Bob' });
      await person.getByTestId('remove-user').click();
      await expect(page.getByTestId('remove-user-dialog')).toBeVisible();
      await scanScreen(page, `${label}, remove person dialog`);
      await page.keyboard.press('Escape');
      await person.getByTestId('remove-any-device').click();
      await expect(page.getByTestId('owner-remove-device-dialog')).toBeVisible();
      await scanScreen(page, `${label}, owner removes a device dialog`);
      await page.keyboard.press('Escape');
      await expect(page.getByRole('dialog')).toHaveCount(0);
      await openConversation(friend.page, 'General');
      await sendMessage(friend.page, 'Hello from the phone');
      // On a phone-wide window the list is behind Back (This hub, then Devices).
      // Back one screen at a time until the list shows; a Back clicked while the list is still rendering would
      // wait for a button that is gone, so each step is retried rather than counted.
      const back = page.getByRole('button', { name: 'Back to conversations' });
      const list = page.getByTestId('conversation-list');
      await expect(async () => {
        if (await list.isVisible()) return;
        await back.first().click({ timeout: 2_000 });
        await expect(list).toBeVisible({ timeout: 2_000 });
      }).toPass({ timeout: 30_000 });
      await openConversation(page, 'General');
      const hello = page.getByTestId('message').filter({ hasText: 'Hello from the phone' });
      await hello.hover();
      await hello.getByTestId('delete-message').click();
      await expect(page.getByTestId('delete-message-dialog')).toBeVisible();
      await scanScreen(page, `${label}, delete message dialog`);
      await page.getByTestId('confirm-delete-message').click();
      await expect(page.locator('[data-testid="message"][data-deleted="true"]')).toBeVisible();
      await scanScreen(page, `${label}, a deleted message`);
      await friend.context.close();
    } finally {
      await harness.close();
      await backend.dispose();
    }
  }
});

test('rooms: the leave and block dialogs, the blocked notice and the blocked people list', async ({ browser }) => {
  const people = { desktop: ['Zoe', 'Kit'], phone: ['Lea', 'Max'] } as const;
  for (const [label, viewport] of [
    ['desktop', DESKTOP],
    ['phone', PHONE],
  ] as const) {
    const [me, other] = people[label];
    const mine = await openDevice(browser, hub.url, viewport);
    await pairWithCode(mine.page, hub, me, `${me}'s ${label}`);
    const theirs = await openDevice(browser, hub.url, DESKTOP);
    await pairWithCode(theirs.page, hub, other, `${other}'s laptop`);
    const { page } = mine;

    await page.getByTestId('new-room-button').click();
    await page.getByLabel('Room name').fill(`Book club ${label}`);
    await page.getByRole('button', { name: 'Create room' }).click();
    await page.getByTestId('leave-room-button').click();
    await expect(page.getByTestId('leave-room-dialog')).toBeVisible();
    await scanScreen(page, `${label}, leave room dialog`);
    await page.keyboard.press('Escape');
    await expect(page.getByRole('dialog')).toHaveCount(0);

    if (label === 'phone') await page.getByTestId('back-button').click();
    await page.getByTestId('person-item').filter({ hasText: other }).click();
    await page.getByTestId('block-user-button').click();
    await expect(page.getByTestId('block-user-dialog')).toBeVisible();
    await scanScreen(page, `${label}, block dialog`);
    await page.getByTestId('confirm-block-user').click();
    await expect(page.getByTestId('blocked-notice')).toBeVisible();
    await scanScreen(page, `${label}, a blocked person's conversation`);

    await page.getByTestId('devices-button').click();
    await expect(page.getByTestId('blocked-person')).toHaveCount(1);
    await scanScreen(page, `${label}, devices with a blocked person`);
    await mine.context.close();
    await theirs.context.close();
  }
});

test('the old http:// address: the page that sends people to HTTPS, and moving a device from there', async ({
  browser,
}) => {
  // At a LAN name, as a real device: its http:// page has no WebCrypto, so its key can move (https.e2e.ts).
  const tls = await TlsHub.start({ loopbackIsLan: true, allowPlainHttp: true }, [LAN_HOST]);
  try {
    for (const [label, viewport] of [
      ['desktop', DESKTOP],
      ['phone', PHONE],
    ] as const) {
      const ann = await openDevice(browser, tls.at(LAN_HOST).http, viewport);
      await ann.page.getByLabel('Your name').fill('Ann');
      await ann.page.getByLabel('Pairing code').fill(formatCode(tls.pairingCode()));
      await ann.page.getByLabel('Device name').fill('Ann’s old laptop');
      await ann.page.getByTestId('pair-button').click();
      await openConversation(ann.page, 'General');
      await ann.context.setOffline(true);
      await sendMessage(ann.page, 'See you at the market at 9');
      await expect(ann.page.getByTestId('connection-status').first()).toHaveAttribute('data-pending', '1');
      await tls.restart({ loopbackIsLan: true });
      await ann.context.setOffline(false);
      await ann.page.reload();
      await expect(ann.page.getByTestId('move-device')).toBeVisible();
      await shot(ann.page, `${label}-8-plain-http-page`);

      await ann.page.getByTestId('move-device').click();
      await expect(ann.page.getByTestId('migration-screen')).toHaveAttribute('data-phase', 'intro');
      await scanScreen(ann.page, `${label}, move this device`);
      await ann.page.getByTestId('migrate-start').click();
      await expect(ann.page.getByTestId('migration-screen')).toHaveAttribute('data-phase', 'moved');
      await shot(ann.page, `${label}-9-device-moved`);
      await ann.context.close();
      await tls.restart({ loopbackIsLan: true, allowPlainHttp: true });
    }
  } finally {
    await tls.dispose();
  }
});

test('the "not encrypted" mark, where the owner allows plain HTTP on the LAN', async () => {
  // A name that is not loopback for the page, mapped to 127.0.0.1 underneath: what a LAN device sees.
  const lan = await chromium.launch({
    ...launchOptionsFor(findChromium()),
    args: ['--host-resolver-rules=MAP roost-hub.test 127.0.0.1'],
  });
  const tls = await TlsHub.start({ allowPlainHttp: true }, ['roost-hub.test']);
  try {
    for (const [label, viewport] of [
      ['desktop', DESKTOP],
      ['phone', PHONE],
    ] as const) {
      const device = await openDevice(lan, `http://roost-hub.test:${tls.port}/`, viewport);
      await expect(device.page.getByTestId('not-encrypted')).toHaveText(/^Not encrypted/);
      await device.page.getByLabel('Your name').fill('Ann');
      await device.page.getByLabel('Pairing code').fill(formatCode(tls.pairingCode()));
      await device.page.getByTestId('pair-button').click();
      await expect(device.page.getByTestId('conversation-list')).toBeVisible();
      const mark = device.page.getByTestId('not-encrypted').first();
      await expect(mark).toBeVisible();
      await mark.focus();
      await shot(device.page, `${label}-10-not-encrypted`);
      await device.context.close();
    }
  } finally {
    await tls.dispose();
    await lan.close();
  }
});

function formatCode(code: string): string {
  return `${code.slice(0, 3)} ${code.slice(3)}`;
}
