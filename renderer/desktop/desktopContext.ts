import { createContext, useContext } from 'react';
import type { Setup } from '../../shared/desktop';
import type { DesktopBridge } from '../hub/desktopBridge';

/** What the chat screens need of the desktop shell once it is set up. */
export type DesktopShell = {
  bridge: DesktopBridge;
  setup: Exclude<Setup, { mode: 'unset' }>;
  /** Forget the host/join choice (stops hosting) and show the first-run screen again. */
  changeHub(): Promise<void>;
  /** The hub's origin for its files (this window's is app://roost); undefined while there is no hub address. */
  filesOrigin: string | undefined;
};

/** Provided only inside the desktop app; undefined in a browser. */
export const DesktopContext = createContext<DesktopShell | undefined>(undefined);

export function useDesktop(): DesktopShell | undefined {
  return useContext(DesktopContext);
}
