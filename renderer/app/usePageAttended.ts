import { useMemo, useSyncExternalStore } from 'react';
import { useBridgeValue } from '../desktop/useBridgeValue';
import { desktopBridge } from '../hub/desktopBridge';

function subscribe(onChange: () => void): () => void {
  document.addEventListener('visibilitychange', onChange);
  globalThis.addEventListener('focus', onChange);
  globalThis.addEventListener('blur', onChange);
  return () => {
    document.removeEventListener('visibilitychange', onChange);
    globalThis.removeEventListener('focus', onChange);
    globalThis.removeEventListener('blur', onChange);
  };
}

const pageAttended = () => document.visibilityState === 'visible' && document.hasFocus();

/**
 * Whether someone is looking at this page; messages are marked read only
 * while this holds. In a browser: the page is on screen and its window has
 * focus (a window behind another app is still "visible"). In the desktop
 * app, main says, from the OS's view of the window: a window hidden to the
 * tray stays "visible" to its page (background throttling is off so it keeps
 * receiving), so the page cannot tell. Until main answers, not attended.
 */
export function usePageAttended(): boolean {
  const bridge = useMemo(() => desktopBridge(), []);
  const page = useSyncExternalStore(subscribe, pageAttended);
  const window = useBridgeValue(bridge, 'windowAttended', () => bridge!.windowAttended());
  return bridge ? window === true : page;
}
