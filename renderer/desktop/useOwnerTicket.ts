import { useCallback, useEffect, useState } from 'react';
import type { DesktopBridge } from '../hub/desktopBridge';

export type OwnerTicket = {
  token: string | undefined;
  /** Asking main for a ticket (show nothing yet, rather than a pairing form that changes under the cursor). */
  loading: boolean;
  /** The token was tried: forget it (a new one is asked for while still `active`). */
  used: () => void;
};

/**
 * While this computer hosts the hub and its own app is not paired yet: a
 * one-time join token from main, so the owner pairs with only a name.
 */
export function useOwnerTicket(bridge: DesktopBridge | undefined, active: boolean): OwnerTicket {
  const [ticket, setTicket] = useState<{ round: number; token: string | undefined }>();
  const [round, setRound] = useState(0);

  useEffect(() => {
    if (!bridge || !active) return;
    let cancelled = false;
    bridge.ownerTicket().then(
      (answer) => !cancelled && setTicket({ round, token: answer?.joinToken }),
      (err: unknown) => {
        console.warn('roost: no owner ticket', err);
        if (!cancelled) setTicket({ round, token: undefined });
      },
    );
    return () => {
      cancelled = true;
    };
  }, [bridge, active, round]);

  const used = useCallback(() => setRound((r) => r + 1), []);

  if (!bridge || !active) return { token: undefined, loading: false, used };
  const current = ticket?.round === round ? ticket : undefined;
  return { token: current?.token, loading: !current, used };
}
