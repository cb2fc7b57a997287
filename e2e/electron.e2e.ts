import { expect, test } from '@playwright/test';
import type { WebPreferences } from 'electron';
import { ensureBuilt } from '../scripts/freshBuild';
import { electronUnavailableReason, freePort, launchSecondInstance, RoostApp } from './RoostApp';
import { conversationItem, messages, openConversation, openDevice, sendMessage } from './roostPage';

/**
 * The real desktop app: Electron running package.json's main (dist/main/main.cjs)
 * with a temporary profile and ROOST_E2E=1, so main records the notifications it
 * shows and what the tray says (main/electron/e2eProbe.ts). Browser devices are
 * plain Chromium pages, as a phone would be.
 *
 * Where no Electron binary exists (its download needs the internet), every test
 * here is skipped, and the reason is printed once.
 */
const unavailable = electronUnavailableReason();
// The reason says how to fetch the binary (main/cli/electronBinary.ts): nothing here downloads it.
const skipReason = `Electron end-to-end tests skipped: ${unavailable}`;
// The runner loads this file once to list the tests (no TEST_WORKER_INDEX there): print the reason then, once.
if (unavailable && process.env.TEST_WORKER_INDEX === undefined) console.log(skipReason);
test.skip(unavailable !== undefined, skipReason);

test.describe.configure({ timeout: 120_000 });

test.beforeAll(async () => {
  test.setTimeout(180_000);
  await ensureBuilt((line) => console.log(`electron e2e: ${line}`));
});

let roost: RoostApp | undefined;
test.afterEach(async () => {
  await roost?.close();
  roost = undefined;
});

test('the window runs the renderer sandboxed: context isolation, no Node, web security', async () => {
  roost = await RoostApp.launch();
  const prefs = await roost.app.evaluate(({ BrowserWindow }) => {
    const contents = BrowserWindow.getAllWindows()[0]?.webContents;
    // The preferences the page really got. The method exists at runtime but is missing from electron.d.ts.
    const p = (
      contents as unknown as { getLastWebPreferences(): WebPreferences | null } | undefined
    )?.getLastWebPreferences();
    return {
      url: contents?.getURL(),
      contextIsolation: p?.contextIsolation,
      sandbox: p?.sandbox,
      nodeIntegration: p?.nodeIntegration,
      webSecurity: p?.webSecurity,
    };
  });
  expect(prefs).toEqual({
    url: expect.stringMatching(/^app:\/\/roost\//),
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    webSecurity: true,
  });
  // From the page's side: the bridge is there, Node is not.
  const page = await roost.window.evaluate(() => ({
    bridge: typeof (globalThis as Record<string, unknown>).roostDesktop,
    require: typeof (globalThis as Record<string, unknown>).require,
    process: typeof (globalThis as Record<string, unknown>).process,
  }));
  expect(page).toEqual({ bridge: 'object', require: 'undefined', process: 'undefined' });
});

test('a second launch with the same profile shows the running window and exits', async () => {
  roost = await RoostApp.launch();
  await expect(roost.window.getByTestId('first-run-screen')).toBeVisible();
  await roost.closeWindow();
  await expect.poll(async () => (await roost!.windowState()).visible).toBe(false);

  expect(await launchSecondInstance(roost.userData)).toBe(0);
  await expect.poll(async () => (await roost!.windowState()).visible).toBe(true);
  expect((await roost.windowState()).minimized).toBe(false);
  // Focus is asked for too (shell.showWindow), but without a window manager (xvfb) the OS may not grant it.
});

test('host a hub, a browser joins by link, messages go both ways, hidden window notifies, tray counts unread', async ({
  browser,
}) => {
  roost = await RoostApp.launch();
  const ann = roost.window;

  // First run: host a hub on this computer.
  await expect(ann.getByTestId('first-run-screen')).toBeVisible();
  await ann.getByRole('radio', { name: /Host a hub on this computer/ }).check();
  await ann.getByLabel('Hub name').fill('Desktop e2e hub');
  const port = await freePort();
  await ann.getByLabel('Port').fill(String(port));
  await ann.getByTestId('host-form-submit').click();

  // The owner pairs with a name only: main hands the renderer a join token.
  await expect(ann.getByTestId('pairing-screen')).toHaveAttribute('data-invitation', 'owner');
  await ann.getByLabel('Your name').fill('Ann');
  await ann.getByTestId('pair-button').click();
  await expect(ann.getByTestId('conversation-list')).toBeVisible();

  // The hosting panel shows the join link.
  await ann.getByTestId('hub-button').click();
  await expect(ann.getByTestId('hosting-panel')).toHaveAttribute('data-state', 'running');
  const joinUrl = (await ann.getByTestId('hosting-join-url').textContent())?.trim() ?? '';
  expect(joinUrl).toMatch(/^https:\/\/[^/]+\/#join=[\w-]+&id=[A-Z2-7]{52}$/);
  expect(new URL(joinUrl).port).toBe(String(port));

  // A browser on another device opens it (on loopback here: the link names this machine's LAN address).
  const phone = await openDevice(browser, joinUrl.replace(/^https:\/\/[^/]+\//, `https://127.0.0.1:${port}/`));
  await phone.page.getByLabel('Your name').fill('Bob');
  await phone.page.getByTestId('pair-button').click();
  await expect(phone.page.getByTestId('conversation-list')).toBeVisible();

  // Messages both ways.
  await openConversation(ann, 'General');
  await openConversation(phone.page, 'General');
  await sendMessage(ann, 'Hello from the desktop');
  await expect(messages(phone.page, 'Hello from the desktop')).toBeVisible();
  await sendMessage(phone.page, 'Hello from the browser');
  await expect(messages(ann, 'Hello from the browser')).toBeVisible();
  await expect.poll(async () => (await roost!.probe()).unreadCount).toBe(0);
  expect((await roost.probe()).notifications).toEqual([]);

  // Ann closes the window (to the tray) with General still open; Bob writes.
  await roost.closeWindow();
  await expect.poll(async () => (await roost!.windowState()).visible).toBe(false);
  await sendMessage(phone.page, 'Dinner at 7?');

  // Main shows a notification and the tray counts it: a hidden window has not been read, even with the
  // conversation open. (The window keeps backgroundThrottling off to stay connected, and Electron then
  // reports a hidden page as visible: the renderer must not take that for "read".)
  await expect.poll(async () => (await roost!.probe()).notifications.map((n) => n.body)).toEqual(['Dinner at 7?']);
  expect((await roost.probe()).notifications[0]?.title).toMatch(/Bob/);
  await expect.poll(async () => (await roost!.probe()).unreadCount).toBe(1);
  expect((await roost.probe()).trayTooltip).toMatch(/\b1 unread\b/);

  // Ann comes back: the open conversation shows it, it is read, and the tray follows.
  await roost.showWindow();
  await expect(messages(ann, 'Dinner at 7?')).toBeVisible();
  await expect(conversationItem(ann, 'General')).toBeVisible();
  await expect.poll(async () => (await roost!.probe()).unreadCount).toBe(0);
  expect((await roost.probe()).trayTooltip).not.toMatch(/unread/);

  // Her own messages never notify her.
  await sendMessage(ann, 'See you then');
  await expect(messages(phone.page, 'See you then')).toBeVisible();
  expect((await roost.probe()).notifications.map((n) => n.body)).toEqual(['Dinner at 7?']);
  await phone.context.close();
});
