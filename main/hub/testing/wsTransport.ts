import { WS_PATH } from '../../../shared/protocol';
import type { Transport } from '../../../shared/sync/transport';
import { pinnedWsTransport } from '../identity/pinnedWsTransport';

/**
 * The sync client's Transport for tests in Node: plain WebSocket to a test hub on loopback by port, or any URL
 * (wss:// with `pin` as a native client connects: main/hub/identity/pinnedWsTransport.ts).
 */
export function wsTransport(urlOrPort: string | number, options: { pin?: string } = {}): Transport {
  const url = typeof urlOrPort === 'number' ? `ws://127.0.0.1:${urlOrPort}${WS_PATH}` : urlOrPort;
  return pinnedWsTransport(url, options);
}
