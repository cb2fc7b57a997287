import { ipcMain, type BrowserWindow, type IpcMainInvokeEvent } from 'electron';
import { BRIDGE_METHOD_NAMES, bridgeChannel, bridgeEventChannel, type BridgeHandlers } from '../../shared/desktop';
import type { DesktopServices } from '../desktop/DesktopServices';
import { BridgeCallError, BridgeErrorCode, dispatchBridgeCall, isTrustedSender } from '../desktop/ipcGuard';

/**
 * One `ipcMain.handle` per bridge method. Each call is checked before any
 * handler runs: the sender must be the main frame of our window showing
 * app://roost, and the arguments must fit the method's schema.
 */
export function registerBridgeIpc(handlers: BridgeHandlers, window: () => BrowserWindow | undefined): void {
  for (const name of BRIDGE_METHOD_NAMES) {
    ipcMain.handle(bridgeChannel(name), (event, ...args: unknown[]) => {
      if (!fromOurPage(event, window()))
        throw new BridgeCallError(
          BridgeErrorCode.UNTRUSTED_SENDER,
          `${name} refused: not called from Roost's own window`,
        );
      return dispatchBridgeCall(handlers, name, args);
    });
  }
}

/** Pushes every bridge event to our window, if it is still there. */
export function forwardBridgeEvents(services: DesktopServices, window: () => BrowserWindow | undefined): () => void {
  return services.onEvent((name, payload) => {
    const win = window();
    if (!win || win.isDestroyed()) return;
    win.webContents.send(bridgeEventChannel(name), payload);
  });
}

function fromOurPage(event: IpcMainInvokeEvent, win: BrowserWindow | undefined): boolean {
  const frame = event.senderFrame;
  if (!frame || !win || win.isDestroyed()) return false;
  const ours = event.sender === win.webContents && frame === win.webContents.mainFrame;
  return isTrustedSender({ url: frame.url, isMainFrameOfOurWindow: ours });
}
