import { describe, expect, test } from 'vitest';
import { userEvent } from 'vitest/browser';
import { ErrorCode } from '../../shared/protocol';
import { RoostError } from '../../shared/sync';
import { messages } from '../testing/conversationFixtures';
import { FakeConversationClient } from '../testing/FakeConversationClient';
import { renderConversation } from '../testing/renderConversation';
import { messageElement } from '../testing/scrollGeometry';

/**
 * "Delete for everyone" on the own messages (PROTOCOL.md 7.5), in Chromium inside the real conversation screen
 * on a fake client. In the fixtures' history (1-5) Ann, the person using the app, sent 3 and 4; Bob the rest.
 */

async function open() {
  const client = new FakeConversationClient({ messages: messages(1, 5), readSeq: 5, reachedStart: true });
  const rendered = await renderConversation(client);
  await expect.poll(() => messageElement(rendered.scroller, 5)).toBeDefined();
  return { client, ...rendered };
}

const deleteButtons = (scroller: HTMLElement) =>
  [...scroller.querySelectorAll<HTMLElement>('[data-testid="message"]')]
    .filter((row) => row.querySelector('[data-testid="delete-message"]'))
    .map((row) => row.dataset.seq ?? row.dataset.clientMsgId);

describe('deleting an own message for everyone', () => {
  test('is offered on own messages only: not on others, not on one still being sent', async () => {
    const { screen, scroller } = await open();
    await userEvent.fill(screen.getByTestId('composer'), 'Still on its way');
    await userEvent.keyboard('{Enter}');
    await expect.element(screen.getByText('Still on its way')).toBeVisible();

    expect(deleteButtons(scroller)).toEqual(['3', '4']);
    expect(screen.getByRole('button', { name: 'Delete for everyone' }).elements()).toHaveLength(2);
  });

  test('by keyboard: asks first, then deletes it and shows it deleted, with nothing left to delete', async () => {
    const { client, screen, scroller } = await open();
    const row = screen.getByTestId('message').filter({ hasText: 'Message 4.' });
    row.getByRole('button', { name: 'Delete for everyone' }).element().focus();
    await userEvent.keyboard('{Enter}');

    const dialog = screen.getByTestId('delete-message-dialog');
    await expect.element(dialog).toBeVisible();
    await expect.element(dialog).toHaveTextContent('Your message disappears from every device');
    await expect.element(dialog.getByText('Message 4.')).toBeVisible();
    expect(client.deleteCalls).toEqual([]);
    dialog.getByRole('button', { name: 'Delete for everyone' }).element().focus();
    await userEvent.keyboard('{Enter}');

    await expect.element(dialog).not.toBeVisible();
    expect(client.deleteCalls).toEqual([4]);
    await expect.poll(() => messageElement(scroller, 4)?.dataset.deleted).toBe('true');
    expect(messageElement(scroller, 4)?.textContent).toContain('Message deleted');
    expect(deleteButtons(scroller)).toEqual(['3']);
  });

  test('cancelled, nothing is asked of the hub', async () => {
    const { client, screen } = await open();
    await screen.getByTestId('message').filter({ hasText: 'Message 3.' }).getByTestId('delete-message').click();
    const dialog = screen.getByTestId('delete-message-dialog');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await expect.element(dialog).not.toBeVisible();
    expect(client.deleteCalls).toEqual([]);
  });

  test("shows the hub's refusal in the dialog, and the message stays", async () => {
    const { client, screen } = await open();
    client.refuseNextDelete = new RoostError(ErrorCode.STORAGE_FAILED, 'The hub could not store the deletion.');
    const row = screen.getByTestId('message').filter({ hasText: 'Message 3.' });
    await row.getByTestId('delete-message').click();
    const dialog = screen.getByTestId('delete-message-dialog');
    await dialog.getByTestId('confirm-delete-message').click();

    await expect
      .element(dialog.getByRole('alert'))
      .toHaveTextContent('Not deleted: The hub could not store the deletion.');
    await expect.element(dialog.getByTestId('confirm-delete-message')).toBeEnabled();
    expect(client.deleteCalls).toEqual([3]);
    expect(row.element().getAttribute('data-deleted')).toBeNull();
  });
});
