import { useCallback, useEffect, useState } from 'react';
import type { DesktopBridge } from '../hub/desktopBridge';

/** Whether desktop notifications are muted (kept by main); undefined until read. */
export function useMuted(bridge: DesktopBridge): [boolean | undefined, (muted: boolean) => void] {
  const [muted, setMutedState] = useState<boolean>();
  useEffect(() => {
    let active = true;
    bridge
      .getMuted()
      .then((m) => active && setMutedState(m))
      .catch((err: unknown) => console.warn('roost: getMuted failed', err));
    return () => {
      active = false;
    };
  }, [bridge]);
  const setMuted = useCallback(
    (next: boolean) => {
      setMutedState(next);
      bridge.setMuted(next).catch((err: unknown) => {
        console.warn('roost: setMuted failed', err);
        setMutedState(!next);
      });
    },
    [bridge],
  );
  return [muted, setMuted];
}
