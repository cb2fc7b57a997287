import type { HostingStatus } from '../../shared/desktop';
import type { DesktopBridge } from '../hub/desktopBridge';
import { useBridgeValue } from './useBridgeValue';

/** The hub this computer hosts, live: state, pairing code, join link, addresses, who is connected. */
export function useHostingStatus(bridge: DesktopBridge): HostingStatus | undefined {
  return useBridgeValue(bridge, 'hostingStatus', () => bridge.hostingStatus());
}
