import { expect, test } from '@playwright/test';
import { HubProcess } from './HubProcess';
import { openDevice } from './roostPage';

/**
 * A join link's token stays in the browser's history database. The page that opens the link trades
 * it with the hub at once for a fresh token that is never in a URL (PROTOCOL.md 6.3), so the same URL
 * opened again (from the history, by someone else on that computer) is worth nothing.
 */

let hub: HubProcess;
test.beforeEach(async () => {
  hub = await HubProcess.start();
});
test.afterEach(async () => {
  await hub.dispose();
});

test('a join link opened once cannot be used from the history, and the first page still pairs', async ({ browser }) => {
  const link = hub.joinLink;

  // The person opens the link, and takes a while to type their name.
  const first = await openDevice(browser, link);
  await expect(first.page.getByTestId('pairing-screen')).toHaveAttribute('data-mode', 'joinToken');
  expect(new URL(first.page.url()).hash).not.toContain('join=');

  // Someone opens the same URL from the history.
  const snoop = await openDevice(browser, link);
  await expect(snoop.page.getByTestId('join-link-problem')).toContainText(/already used/);
  await expect(snoop.page.getByTestId('pairing-screen')).toHaveAttribute('data-mode', 'code');
  await expect(snoop.page.getByLabel('Pairing code')).toBeVisible();

  // A reload of the first page keeps its invitation (the fresh token waits in this tab only).
  await first.page.reload();
  await expect(first.page.getByTestId('pairing-screen')).toHaveAttribute('data-mode', 'joinToken');
  await first.page.getByLabel('Your name').fill('Cleo');
  await first.page.getByTestId('pair-button').click();
  await expect(first.page.getByTestId('conversation-list')).toBeVisible();

  await snoop.context.close();
  await first.context.close();
});
