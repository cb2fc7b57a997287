import { expect, test, type Page } from '@playwright/test';
import { HubProcess } from './HubProcess';
import {
  conversationItem,
  messages,
  openConversation,
  openDevice,
  pairWithCode,
  sendMessage,
  type BrowserDevice,
} from './roostPage';

/**
 * Leaving a room and blocking someone through the web client (the desktop app shows the same
 * screens): two people, two browsers, a real hub (issue 13, finding 7).
 */

let hub: HubProcess;
let ann: BrowserDevice;
let bob: BrowserDevice;

test.beforeEach(async ({ browser }) => {
  hub = await HubProcess.start();
  ann = await openDevice(browser, hub.url);
  await pairWithCode(ann.page, hub, 'Ann', 'Ann laptop');
  bob = await openDevice(browser, hub.url);
  await pairWithCode(bob.page, hub, 'Bob', 'Bob laptop');
});

test.afterEach(async () => {
  for (const d of [ann, bob]) await d?.context.close();
  await hub.dispose();
});

async function createRoom(page: Page, name: string, members: string[]): Promise<void> {
  await page.getByTestId('new-room-button').click();
  await page.getByLabel('Room name').fill(name);
  for (const member of members) await page.getByRole('checkbox', { name: new RegExp(member) }).check();
  await page.getByRole('button', { name: 'Create room' }).click();
  await expect(page.getByTestId('conversation-view')).toHaveAttribute('data-conversation-id', /.+/);
}

/** Sends a message in General and waits for the hub's ack: what the hub pushed before has reached this page. */
async function roundTrip(page: Page, text: string): Promise<void> {
  await openConversation(page, 'General');
  await sendMessage(page, text);
  await expect(messages(page, text)).toHaveAttribute('data-status', /sent|delivered|read/);
}

test('leaving a room: it goes from the list, its messages stop, the others see who is left', async () => {
  await createRoom(bob.page, 'Deals', ['Ann']);
  await expect(conversationItem(ann.page, 'Deals')).toBeVisible();
  await openConversation(ann.page, 'Deals');

  await ann.page.getByTestId('leave-room-button').click();
  const dialog = ann.page.getByTestId('leave-room-dialog');
  await expect(dialog).toContainText('Leave Deals?');
  await dialog.getByTestId('confirm-leave-room').click();
  await expect(conversationItem(ann.page, 'Deals')).toHaveCount(0);
  await expect(ann.page.getByTestId('conversation-view')).toHaveCount(0);
  await expect(bob.page.getByTestId('conversation-subtitle')).toContainText('1 member');

  await sendMessage(bob.page, 'Still there?');
  await expect(messages(bob.page, 'Still there?')).toHaveAttribute('data-status', /sent|delivered|read/);
  await roundTrip(ann.page, 'Anyone for lunch?');
  await expect(conversationItem(ann.page, 'Deals')).toHaveCount(0);
  // And after a reload, from the hub's own snapshot.
  await ann.page.reload();
  await expect(conversationItem(ann.page, 'General')).toBeVisible();
  await expect(conversationItem(ann.page, 'Deals')).toHaveCount(0);
});

test('blocking: the blocked person is hidden and refused, until unblocked from Devices', async () => {
  await ann.page.getByTestId('person-item').filter({ hasText: 'Bob' }).click();
  await expect(ann.page.getByTestId('conversation-view')).toBeVisible();
  await ann.page.getByTestId('block-user-button').click();
  const dialog = ann.page.getByTestId('block-user-dialog');
  await expect(dialog).toContainText('Block Bob?');
  await dialog.getByTestId('confirm-block-user').click();
  await expect(ann.page.getByTestId('blocked-notice')).toContainText('You blocked Bob');
  await expect(ann.page.getByTestId('person-item').filter({ hasText: 'Bob' })).toContainText('Blocked');

  // Bob writes in General: not pushed to Ann, not unread for her.
  await openConversation(bob.page, 'General');
  await sendMessage(bob.page, 'Buy now!');
  await expect(messages(bob.page, 'Buy now!')).toHaveAttribute('data-status', /sent|delivered/);
  await roundTrip(ann.page, 'Quiet here');
  await expect(messages(ann.page, 'Buy now!')).toHaveCount(0);
  // After a reload the catch-up fetches it, and it stays hidden and uncounted.
  await ann.page.reload();
  await openConversation(ann.page, 'General');
  await expect(messages(ann.page, 'Quiet here')).toBeVisible();
  await expect(messages(ann.page, 'Buy now!')).toHaveCount(0);
  await expect(conversationItem(ann.page, 'General').getByTestId('unread-badge')).toHaveCount(0);

  // Bob can no longer bring Ann into a room; he is told why.
  await bob.page.getByTestId('new-room-button').click();
  await bob.page.getByLabel('Room name').fill('Deals');
  await bob.page.getByRole('checkbox', { name: /Ann/ }).check();
  await bob.page.getByRole('button', { name: 'Create room' }).click();
  await expect(bob.page.getByTestId('new-room-dialog')).toContainText(
    'Ann does not accept direct conversations or room invitations from you.',
  );
  await bob.page.keyboard.press('Escape');

  // Unblocked from Devices: what Bob wrote shows.
  await ann.page.getByTestId('devices-button').click();
  const blocked = ann.page.getByTestId('blocked-person');
  await expect(blocked).toHaveCount(1);
  await expect(blocked).toContainText('Bob');
  await blocked.getByRole('button', { name: 'Unblock Bob' }).click();
  await expect(blocked).toHaveCount(0);
  await openConversation(ann.page, 'General');
  await expect(messages(ann.page, 'Buy now!')).toBeVisible();
});
