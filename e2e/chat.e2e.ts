import { expect, test } from '@playwright/test';
import { HubProcess } from './HubProcess';
import {
  connection,
  conversationItem,
  createLinkCode,
  messages,
  openConversation,
  openDevice,
  pairWithCode,
  pairWithLinkCode,
  sendMessage,
  type BrowserDevice,
} from './roostPage';

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

test('a message from one device appears live on the others; reading on one clears unread on the other', async () => {
  await openConversation(a1.page, 'General');
  await sendMessage(a1.page, 'Hello from Ann laptop');
  await expect(messages(a1.page, 'Hello from Ann laptop')).toHaveAttribute('data-status', /sent|delivered|read/);
  await expect(conversationItem(b.page, 'General')).toContainText('Hello from Ann laptop');
  await expect(conversationItem(a2.page, 'General')).toContainText('Hello from Ann laptop');

  // Bob writes while Ann looks elsewhere on both devices: both show it unread.
  await a1.page.getByTestId('devices-button').click();
  await openConversation(b.page, 'General');
  await sendMessage(b.page, 'Dinner at 7?');
  await expect(conversationItem(a1.page, 'General').getByTestId('unread-badge')).toHaveAccessibleName('1 unread');
  await expect(conversationItem(a2.page, 'General').getByTestId('unread-badge')).toHaveAccessibleName('1 unread');

  // Ann reads on her phone; the laptop's count clears by itself.
  await openConversation(a2.page, 'General');
  await expect(messages(a2.page, 'Dinner at 7?')).toBeVisible();
  await expect(conversationItem(a1.page, 'General').getByTestId('unread-badge')).toHaveCount(0);
  // And Bob sees that Ann read it.
  await expect(messages(b.page, 'Dinner at 7?')).toHaveAttribute('data-status', 'read');

  // Ann deletes her own message for everyone from her phone; Bob cannot delete hers.
  await expect(messages(b.page, 'Hello from Ann laptop').getByTestId('delete-message')).toHaveCount(0);
  const hello = messages(a2.page, 'Hello from Ann laptop');
  await hello.hover();
  await hello.getByRole('button', { name: 'Delete for everyone' }).click();
  await a2.page.getByTestId('confirm-delete-message').click();
  await expect(a2.page.getByTestId('delete-message-dialog')).not.toBeVisible();
  await openConversation(a1.page, 'General');
  for (const page of [a1.page, a2.page, b.page]) {
    await expect(messages(page, 'Hello from Ann laptop')).toHaveCount(0);
    await expect(page.locator('[data-testid="message"][data-deleted="true"]')).toContainText('Message deleted');
  }
});

test('a device that was closed catches up on all 50 messages, in order, once', async () => {
  await openConversation(b.page, 'General');
  await b.page.close();
  await openConversation(a1.page, 'General');
  const texts = Array.from({ length: 50 }, (_, i) => `catch-up ${String(i + 1).padStart(2, '0')}`);
  for (const text of texts) await sendMessage(a1.page, text);
  await expect(messages(a1.page, texts.at(-1)!)).toHaveAttribute('data-status', /sent|delivered|read/);

  // Reopen Bob's device (same browser profile) with a window tall enough to render every row.
  const page = await b.context.newPage();
  await page.setViewportSize({ width: 1280, height: 4000 });
  await page.goto(hub.url);
  await openConversation(page, 'General');
  await expect(messages(page, 'catch-up 50')).toBeVisible();
  const shown = await messages(page, /catch-up \d\d/).allTextContents();
  expect(shown.map((t) => /catch-up \d\d/.exec(t)?.[0])).toEqual(texts);
});

test('messages written offline wait as pending and are delivered once when back online', async () => {
  await openConversation(a1.page, 'General');
  await openConversation(b.page, 'General');
  await openConversation(a2.page, 'General');
  // The browser's network goes away; the open WebSocket may not notice at once, and need not:
  // nothing is acknowledged, so everything stays pending until the hub confirms it.
  await a1.context.setOffline(true);
  for (const text of ['offline one', 'offline two', 'offline three']) await sendMessage(a1.page, text);
  for (const text of ['offline one', 'offline two', 'offline three']) {
    await expect(messages(a1.page, text)).toHaveAttribute('data-status', 'pending');
  }
  await expect(connection(a1.page)).toHaveAttribute('data-pending', '3');

  await a1.context.setOffline(false);
  for (const text of ['offline one', 'offline two', 'offline three']) {
    await expect(messages(a1.page, text)).toHaveAttribute('data-status', /sent|delivered|read/, { timeout: 60_000 });
  }
  await expect(connection(a1.page)).toHaveAttribute('data-status', 'connected');
  for (const page of [a1.page, a2.page, b.page]) {
    for (const text of ['offline one', 'offline two', 'offline three'])
      await expect(messages(page, text)).toHaveCount(1);
  }
  await expect(connection(a1.page)).toHaveAttribute('data-pending', '0');
});

test('every client reconnects by itself after the hub restarts, and nothing is lost or doubled', async () => {
  await openConversation(a1.page, 'General');
  await openConversation(b.page, 'General');
  await sendMessage(a1.page, 'before restart');
  await expect(messages(b.page, 'before restart')).toHaveCount(1);

  await hub.stop();
  await expect(connection(b.page)).not.toHaveAttribute('data-status', 'connected');
  await sendMessage(a1.page, 'during restart');
  await hub.restart();
  for (const page of [a1.page, a2.page, b.page])
    await expect(connection(page)).toHaveAttribute('data-status', 'connected', { timeout: 45_000 });
  await sendMessage(b.page, 'after restart');
  for (const page of [a1.page, b.page]) {
    for (const text of ['before restart', 'during restart', 'after restart'])
      await expect(messages(page, text)).toHaveCount(1);
  }
});

test('a device removed by another of its user’s devices is sent back to pairing', async () => {
  await a2.page.getByTestId('devices-button').click();
  await a2.page.getByRole('button', { name: 'Remove Ann laptop' }).click();
  await a2.page.getByTestId('confirm-remove-device').click();
  await expect(a1.page.getByTestId('pairing-screen')).toBeVisible();
  await expect(a1.page.getByTestId('pairing-notice')).toContainText(/removed/i);
  await expect(a2.page.getByTestId('device-item')).toHaveCount(1);
  // Its token is gone for good: after a reload it is still unpaired.
  await a1.page.reload();
  await expect(a1.page.getByTestId('pairing-screen')).toBeVisible();
});
