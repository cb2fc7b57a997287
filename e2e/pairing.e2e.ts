import { expect, test } from '@playwright/test';
import { HubProcess } from './HubProcess';
import { openDevice } from './roostPage';

let hub: HubProcess;
test.beforeEach(async () => {
  hub = await HubProcess.start();
});
test.afterEach(async () => {
  await hub.dispose();
});

test('a join link pairs without a code', async ({ browser }) => {
  expect(hub.joinLink).toContain('#join=');
  // The link as the hub prints it: https://, with the hub's identity beside the token.
  expect(hub.joinLink).toMatch(/^https:\/\/127\.0\.0\.1:\d+\/#join=[\w-]+&id=[A-Z2-7]{52}$/);
  const { context, page } = await openDevice(browser, hub.joinLink);
  await expect(page.getByLabel('Pairing code')).toHaveCount(0);
  await page.getByLabel('Your name').fill('Cleo');
  await page.getByTestId('pair-button').click();
  await expect(page.getByTestId('conversation-list')).toBeVisible();
  expect(new URL(page.url()).hash).toBe('');
  await context.close();
});

test('a wrong pairing code gets a clear message', async ({ browser }) => {
  const { context, page } = await openDevice(browser, hub.url);
  const wrong = hub.code === '000000' ? '111111' : '000000';
  await page.getByLabel('Your name').fill('Eve');
  await page.getByLabel('Pairing code').fill(wrong);
  await page.getByTestId('pair-button').click();
  await expect(page.getByTestId('pairing-error')).toContainText(/wrong pairing code/i);
  await expect(page.getByTestId('pairing-screen')).toBeVisible();
  await context.close();
});
