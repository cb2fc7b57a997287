import { useCallback, useEffect, useState } from 'react';
import { INFO_PATH } from '../../shared/protocol';
import { addressFromLocation, isHubInfo, parseHubAddress, type HubAddress } from '../hub/hubAddress';

const SAVED_ADDRESS_KEY = 'roost.hubAddress';

export type HubAddressState =
  | { phase: 'resolving' }
  /** Not served by a hub and nothing saved: the hub address screen asks. */
  | { phase: 'ask' }
  | { phase: 'ready'; address: HubAddress };

/**
 * Which hub the web client talks to (the desktop app has its own setup, see
 * renderer/desktop/useDesktopSetup.ts). In order: the hub that served this
 * page (it answers GET /api/info), an address the user entered before, else ask.
 */
export function useHubAddress(): {
  state: HubAddressState;
  choose: (address: HubAddress) => void;
  forget: () => void;
} {
  const [state, setState] = useState<HubAddressState>({ phase: 'resolving' });

  useEffect(() => {
    let cancelled = false;
    void resolveHubAddress().then((address) => {
      if (!cancelled) setState(address ? { phase: 'ready', address } : { phase: 'ask' });
    });
    return () => {
      cancelled = true;
    };
  }, []);

  const choose = useCallback((address: HubAddress) => {
    saveAddress(address.label);
    setState({ phase: 'ready', address });
  }, []);

  const forget = useCallback(() => {
    saveAddress(undefined);
    setState({ phase: 'ask' });
  }, []);

  return { state, choose, forget };
}

async function resolveHubAddress(): Promise<HubAddress | undefined> {
  if (location.protocol === 'http:' || location.protocol === 'https:') {
    if (await servedByHub()) return addressFromLocation(location);
  }
  const saved = loadAddress();
  const parsed = saved ? parseHubAddress(saved) : undefined;
  return parsed?.ok ? parsed.address : undefined;
}

/** Whether this page's origin is a Roost hub. A network error counts as yes: the page did come from there. */
async function servedByHub(): Promise<boolean> {
  try {
    const response = await fetch(INFO_PATH, { cache: 'no-store', headers: { Accept: 'application/json' } });
    return response.ok && isHubInfo(await response.json());
  } catch (err) {
    // fetch() fails with a TypeError when the network does; a body that is not JSON is a SyntaxError (not a hub).
    return err instanceof TypeError;
  }
}

function loadAddress(): string | undefined {
  try {
    return localStorage.getItem(SAVED_ADDRESS_KEY) ?? undefined;
  } catch {
    return undefined;
  }
}

function saveAddress(label: string | undefined): void {
  try {
    if (label) localStorage.setItem(SAVED_ADDRESS_KEY, label);
    else localStorage.removeItem(SAVED_ADDRESS_KEY);
  } catch {
    // Private browsing may refuse storage: the address is then asked again next time.
  }
}
