import { useEffect } from 'react';
import type { Navigation } from '../app/useRoute';
import type { DesktopBridge } from '../hub/desktopBridge';

/** A clicked notification opens its conversation. */
export function useNotificationClicks(bridge: DesktopBridge, navigate: Navigation['navigate']): void {
  useEffect(() => bridge.on('openConversation', (id) => navigate({ name: 'conversation', id })), [bridge, navigate]);
}
