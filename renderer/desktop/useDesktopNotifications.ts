import { useEffect } from 'react';
import { useClient } from '../app/useClient';
import type { DesktopBridge } from '../hub/desktopBridge';
import { incomingNotifications } from './notificationContent';

/**
 * Hands every new message from someone else to main, which shows it only when
 * the window is hidden or unfocused and notifications are not muted.
 */
export function useDesktopNotifications(bridge: DesktopBridge): void {
  const client = useClient();
  useEffect(() => {
    let previous = client.getState();
    return client.subscribe(() => {
      const next = client.getState();
      const notifications = incomingNotifications(previous, next);
      previous = next;
      for (const n of notifications) void bridge.notify(n).catch((err: unknown) => console.warn('roost: notify failed', err));
    });
  }, [client, bridge]);
}
