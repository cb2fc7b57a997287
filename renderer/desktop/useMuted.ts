import { useCallback, useState } from 'react';
import type { DesktopBridge } from '../hub/desktopBridge';
import { useBridgeValue } from './useBridgeValue';

/** Whether desktop notifications are muted (kept by main, also switchable from the tray); undefined until read. */
export function useMuted(bridge: DesktopBridge): [boolean | undefined, (muted: boolean) => void] {
  const fromMain = useBridgeValue(bridge, 'muted', () => bridge.getMuted());
  // Shown at once when toggled here; main's event (or its answer) then confirms it.
  const [shown, setShown] = useState<boolean>();
  // Each new word from main replaces what is shown, in the same render (React's "adjust state when a prop changes").
  const [heard, setHeard] = useState<boolean>();
  if (fromMain !== heard) {
    setHeard(fromMain);
    setShown(fromMain);
  }
  const setMuted = useCallback(
    (next: boolean) => {
      setShown(next);
      bridge.setMuted(next).catch((err: unknown) => {
        console.warn('roost: setMuted failed', err);
        setShown(!next);
      });
    },
    [bridge],
  );
  return [shown, setMuted];
}
