import { useCallback, useEffect, useState } from 'react';
import type { HostingConfig, HostingStatus, Setup } from '../../shared/desktop';
import type { DesktopBridge } from '../hub/desktopBridge';
import { parseHubAddress, type HubAddress } from '../hub/hubAddress';
import { heldIdentity } from './hubSetup';

export type DesktopSetupState =
  | { phase: 'loading' }
  /** First run (or after "Change hub…"): host or join? */
  | { phase: 'unset' }
  /** Set up; `address` is undefined while this computer should host but its hub is not running. */
  | { phase: 'set'; setup: Exclude<Setup, { mode: 'unset' }>; address: HubAddress | undefined };

export type DesktopSetup = {
  state: DesktopSetupState;
  chooseHost: (config: HostingConfig) => Promise<HostingStatus>;
  /** Joins the hub at `wsUrl`, pinning `identity` (which the person compared). */
  chooseJoin: (wsUrl: string, identity: string) => Promise<void>;
  reset: () => Promise<void>;
  /** Reads the setup again (after main changed it, e.g. a refused hub forgotten). */
  reload: () => void;
};

/**
 * What this desktop was set up to do, and the hub address that follows from
 * it. Read again whenever the hosting status changes, since starting,
 * stopping or moving the own hub changes its address.
 */
export function useDesktopSetup(bridge: DesktopBridge): DesktopSetup {
  const [state, setState] = useState<DesktopSetupState>({ phase: 'loading' });

  const refresh = useCallback(async () => {
    const setup = await bridge.getSetup();
    if (setup.mode === 'unset') return setState((prev) => (prev.phase === 'unset' ? prev : { phase: 'unset' }));
    const url = await bridge.hubUrl();
    const parsed = url ? parseHubAddress(url) : undefined;
    const identity = heldIdentity(setup, setup.mode === 'host' ? await bridge.hostingStatus() : undefined);
    const address = parsed?.ok ? { ...parsed.address, ...(identity ? { identity } : {}) } : undefined;
    setState((prev) =>
      prev.phase === 'set' &&
      sameSetup(prev.setup, setup) &&
      prev.address?.wsUrl === address?.wsUrl &&
      prev.address?.identity === address?.identity
        ? prev
        : { phase: 'set', setup, address },
    );
  }, [bridge]);

  useEffect(() => {
    const load = () =>
      void refresh().catch((err: unknown) => console.warn('roost: reading the desktop setup failed', err));
    load();
    return bridge.on('hostingStatus', load);
  }, [bridge, refresh]);

  const chooseHost = useCallback(
    async (config: HostingConfig) => {
      const status = await bridge.chooseHost(config);
      await refresh();
      return status;
    },
    [bridge, refresh],
  );
  const chooseJoin = useCallback(
    async (wsUrl: string, identity: string) => {
      await bridge.chooseJoin(wsUrl, identity);
      await refresh();
    },
    [bridge, refresh],
  );
  const reset = useCallback(async () => {
    await bridge.resetSetup();
    await refresh();
  }, [bridge, refresh]);

  const reload = useCallback(
    () => void refresh().catch((err: unknown) => console.warn('roost: reading the desktop setup failed', err)),
    [refresh],
  );

  return { state, chooseHost, chooseJoin, reset, reload };
}

function sameSetup(a: Setup, b: Setup): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
