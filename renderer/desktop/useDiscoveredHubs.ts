import type { DiscoveredHub } from '../../shared/desktop';
import type { DesktopBridge } from '../hub/desktopBridge';
import { useBridgeValue } from './useBridgeValue';

/** Hubs found on the LAN, live; undefined until main first answers. */
export function useDiscoveredHubs(bridge: DesktopBridge): readonly DiscoveredHub[] | undefined {
  return useBridgeValue(bridge, 'discoveredHubs', () => bridge.discoveredHubs());
}
