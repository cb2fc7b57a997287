import type { Navigation } from '../app/useRoute';
import type { DesktopBridge } from '../hub/desktopBridge';
import { useDesktopNotifications } from './useDesktopNotifications';
import { useNotificationClicks } from './useNotificationClicks';
import { useUnreadBadge } from './useUnreadBadge';

/**
 * What the paired app does for the desktop shell: notifications, the unread badge, notification clicks.
 * Renders nothing.
 */
export function DesktopChatEffects({ bridge, navigate }: { bridge: DesktopBridge; navigate: Navigation['navigate'] }) {
  useDesktopNotifications(bridge);
  useUnreadBadge(bridge);
  useNotificationClicks(bridge, navigate);
  return null;
}
