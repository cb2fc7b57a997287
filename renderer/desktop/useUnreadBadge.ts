import { useEffect } from 'react';
import { useRoost } from '../app/useRoost';
import type { DesktopBridge } from '../hub/desktopBridge';
import { totalUnread } from './notificationContent';

/** Keeps the tray's and the dock's unread count equal to the total over all conversations; 0 when leaving. */
export function useUnreadBadge(bridge: DesktopBridge): void {
  const unread = useRoost(totalUnread);
  useEffect(() => {
    void bridge.setUnreadCount(unread).catch((err: unknown) => console.warn('roost: setUnreadCount failed', err));
  }, [bridge, unread]);
  useEffect(() => () => void bridge.setUnreadCount(0).catch(() => {}), [bridge]);
}
