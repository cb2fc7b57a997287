/**
 * The sandboxed preload: defines `window.roostDesktop` (BRIDGE_GLOBAL) with one
 * method per bridge operation, built from shared/desktop's table, and `on` for
 * main's events. The page never sees ipcRenderer or a channel name, so it can
 * call nothing but these methods. May import only 'electron' and shared/
 * (lint rule roost/process-boundaries); bundled into dist/main/preload.cjs.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import {
  BRIDGE_EVENT_NAMES,
  BRIDGE_GLOBAL,
  BRIDGE_METHOD_NAMES,
  bridgeChannel,
  bridgeEventChannel,
  type BridgeEventName,
  type DesktopBridge,
} from '../../shared/desktop/bridge';

const methods = Object.fromEntries(
  BRIDGE_METHOD_NAMES.map((name) => [name, (...args: unknown[]) => ipcRenderer.invoke(bridgeChannel(name), ...args)]),
);

function on(event: BridgeEventName, listener: (payload: unknown) => void): () => void {
  // A name outside the table would subscribe to an arbitrary channel: refuse it.
  if (!BRIDGE_EVENT_NAMES.includes(event))
    throw new Error(`roostDesktop.on: unknown event ${JSON.stringify(String(event))}`);
  if (typeof listener !== 'function') throw new Error('roostDesktop.on: the listener must be a function');
  const channel = bridgeEventChannel(event);
  // The IPC event object (with its sender) stays here; the page gets the payload only.
  const forward = (_event: IpcRendererEvent, payload: unknown) => listener(payload);
  ipcRenderer.on(channel, forward);
  return () => {
    ipcRenderer.removeListener(channel, forward);
  };
}

const bridge = { ...methods, on } as unknown as DesktopBridge;
contextBridge.exposeInMainWorld(BRIDGE_GLOBAL, bridge);
