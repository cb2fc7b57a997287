import { CloseCode } from '../../../shared/protocol';
import type { Transport, TransportEvents, TransportSocket } from '../../../shared/sync/transport';
import { rawDataText } from '../rawData';
import { openPinnedWebSocket, plainRefusal } from './pinnedWebSocket';

/**
 * The sync client's Transport for Node, over `ws`: given the hub's identity
 * (`pin`), it connects only to a hub that proves that identity inside the TLS
 * session, and reports any other as one close with
 * CloseCode.HUB_IDENTITY_REFUSED and the refusal's code as the reason, which
 * the client treats as terminal (session `identityRefused`). Like a browser it
 * reports every failed or ended attempt as one `close`.
 */
export function pinnedWsTransport(url: string, options: { pin?: string } = {}): Transport {
  return {
    connect(events: TransportEvents): TransportSocket {
      let closed = false;
      const closeOnce = (code: number, reason: string) => {
        if (closed) return;
        closed = true;
        events.close(code, reason);
      };
      const plain = plainRefusal(url, options.pin);
      if (plain) {
        // After connect returns: the client has not stored this attempt yet.
        setImmediate(() => closeOnce(CloseCode.HUB_IDENTITY_REFUSED, plain.code));
        return { send: () => {}, close: () => {} };
      }
      const pinned = openPinnedWebSocket(url, { perMessageDeflate: false, pin: options.pin });
      const { ws } = pinned;
      ws.on('open', () => events.open(pinned.identity()));
      ws.on('message', (data, isBinary) => {
        if (!isBinary) events.message(rawDataText(data));
      });
      ws.on('close', (code, reason) => {
        const refusal = pinned.refusal();
        if (refusal) closeOnce(CloseCode.HUB_IDENTITY_REFUSED, refusal.code);
        else closeOnce(code, reason.toString());
      });
      // ws follows an error with close; unexpected-response (an HTTP answer instead of an upgrade) too.
      ws.on('error', () => {});
      return {
        send: (text) => {
          if (ws.readyState === ws.OPEN) ws.send(text);
        },
        close: (code, reason) => {
          try {
            if (ws.readyState === ws.CONNECTING) ws.terminate();
            else ws.close(code, reason);
          } catch {
            ws.terminate();
          }
        },
      };
    },
  };
}
