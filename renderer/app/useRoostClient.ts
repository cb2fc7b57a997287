import { useEffect, useEffectEvent, useState } from 'react';
import { APP_VERSION } from '../../shared/appVersion';
import { MemoryStorage, type RoostClient, type DeviceDescription, type RoostWarning } from '../../shared/sync';
import { createBrowserClient, followBrowserNetwork } from '../sync/browserEnvironment';
import type { HubAddress } from '../hub/hubAddress';

export type ClientState = { client: RoostClient; persistent: boolean } | undefined;

/**
 * The sync client for one hub, started on mount and stopped on unmount. If
 * this browser refuses IndexedDB (some private modes do), the client runs
 * from memory: it works, but forgets this device when the page closes.
 */
export function useRoostClient(address: HubAddress, device: DeviceDescription): ClientState {
  const [state, setState] = useState<ClientState>(undefined);
  // Read when the client is made, without making the description a reason to remake it: it only matters at
  // pairing, and pair() is given the current one again.
  const currentDevice = useEffectEvent(() => device);

  useEffect(() => {
    let cancelled = false;
    let created: RoostClient | undefined;
    let unfollow: (() => void) | undefined;
    const options = {
      device: currentDevice(),
      clientName: `roost-web/${APP_VERSION}`,
      onWarning: reportWarning,
      // Scrolling back fetches a few screens at a time, so a fast scroll rarely waits at the top.
      sync: { olderPageSize: 200 },
    };
    const where = { url: address.wsUrl, ...(address.identity ? { provenIdentity: address.identity } : {}) };
    void (async () => {
      let client: RoostClient;
      let persistent = true;
      try {
        client = await createBrowserClient({ ...options, ...where, databaseName: address.databaseName });
      } catch (err) {
        console.warn('roost: IndexedDB is unavailable; this device will not be remembered.', err);
        persistent = false;
        client = await createBrowserClient({ ...options, ...where, storage: new MemoryStorage() });
      }
      if (cancelled) return;
      created = client;
      unfollow = followBrowserNetwork(client);
      await client.start();
      if (!cancelled) setState({ client, persistent });
    })();
    return () => {
      cancelled = true;
      unfollow?.();
      void created?.stop();
      setState(undefined);
    };
  }, [address.wsUrl, address.databaseName, address.identity]);

  return state;
}

function reportWarning(warning: RoostWarning): void {
  console.warn(`roost: ${warning.code}: ${warning.message}`);
}
