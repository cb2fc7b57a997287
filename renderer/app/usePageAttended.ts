import { useSyncExternalStore } from 'react';

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

/**
 * Whether someone is looking at this page: it is on screen and its window
 * has focus. Visibility alone is not enough: the desktop app keeps its
 * hidden window "visible" (background throttling is off so it keeps
 * receiving), and a browser window behind another app is visible too.
 * Messages are marked read only while this holds.
 */
export function usePageAttended(): boolean {
  return useSyncExternalStore(subscribe, () => document.visibilityState === 'visible' && document.hasFocus());
}
