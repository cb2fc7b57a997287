import { useMemo } from 'react';
import { useRoost } from '../app/useRoost';
import { useDesktop } from './desktopContext';
import { useBridgeValue } from './useBridgeValue';

/** What the hub's owner can do from a conversation, on the desktop app that hosts the hub. */
export type OwnerControls = {
  /** Deletes a message for everyone; rejects with the hub's reason. */
  deleteMessage(conversationId: string, seq: number): Promise<void>;
};

/**
 * The owner's controls, only in the desktop app that hosts the hub this session talks to (the same hub id):
 * undefined in a browser, in a desktop that joined another hub, and while hosting is not running. The hub's
 * ordinary members never see them; nothing of them crosses the network.
 */
export function useOwnerControls(): OwnerControls | undefined {
  const desktop = useDesktop();
  const bridge = desktop?.setup.mode === 'host' ? desktop.bridge : undefined;
  const status = useBridgeValue(bridge, 'hostingStatus', () => bridge!.hostingStatus());
  const hubId = useRoost((s) => s.hub?.id);
  const hostedId = status?.state === 'running' ? status.hubId : undefined;
  return useMemo(
    () =>
      bridge && hostedId !== undefined && hostedId === hubId
        ? { deleteMessage: (conversationId: string, seq: number) => bridge.deleteMessage(conversationId, seq) }
        : undefined,
    [bridge, hostedId, hubId],
  );
}
