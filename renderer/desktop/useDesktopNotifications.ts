import { useEffect } from 'react';
import { useClient } from '../app/useClient';
import type { DesktopBridge } from '../hub/desktopBridge';
import { NOTHING_HELD, stepNotifications } from './notificationContent';

/**
 * Hands new messages from someone else to main, which shows them only when
 * the window is hidden or unfocused and notifications are not muted. During a
 * catch-up they are held and go out as one summary once it ends.
 */
export function useDesktopNotifications(bridge: DesktopBridge): void {
  const client = useClient();
  useEffect(() => {
    let previous = client.getState();
    let held = NOTHING_HELD;
    return client.subscribe(() => {
      const next = client.getState();
      const step = stepNotifications(held, previous, next);
      held = step.held;
      previous = next;
      for (const n of step.notifications)
        void bridge.notify(n).catch((err: unknown) => console.warn('roost: notify failed', err));
    });
  }, [client, bridge]);
}
