import { WebSocket } from 'ws';
import { WS_PATH } from '../../../shared/protocol';
import type { Transport, TransportEvents, TransportSocket } from '../../../shared/sync/transport';
import { rawDataText } from '../rawData';

/**
 * The sync client's Transport over the `ws` package, for tests in Node (the
 * browser uses renderer/sync/browserTransport.ts). Like a browser it reports
 * every failed or ended attempt as one `close`.
 */
export function wsTransport(urlOrPort: string | number): Transport {
  const url = typeof urlOrPort === 'number' ? `ws://127.0.0.1:${urlOrPort}${WS_PATH}` : urlOrPort;
  return {
    connect(events: TransportEvents): TransportSocket {
      const ws = new WebSocket(url, { perMessageDeflate: false });
      let closed = false;
      const closeOnce = (code: number, reason: string) => {
        if (closed) return;
        closed = true;
        events.close(code, reason);
      };
      ws.on('open', () => events.open());
      ws.on('message', (data, isBinary) => {
        if (!isBinary) events.message(rawDataText(data));
      });
      ws.on('close', (code, reason) => closeOnce(code, reason.toString()));
      // ws follows an error with close; unexpected-response (an HTTP answer instead of an upgrade) too.
      ws.on('error', () => {});
      return {
        send: (text) => {
          if (ws.readyState === WebSocket.OPEN) ws.send(text);
        },
        close: (code, reason) => {
          try {
            if (ws.readyState === WebSocket.CONNECTING) ws.terminate();
            else ws.close(code, reason);
          } catch {
            ws.terminate();
          }
        },
      };
    },
  };
}
