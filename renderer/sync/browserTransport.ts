import { WS_PATH } from '../../shared/protocol';
import type { Transport, TransportEvents, TransportSocket } from '../../shared/sync/transport';

/**
 * The hub's WebSocket address for a page the hub served itself
 * (http://192.168.1.20:7420/ → ws://192.168.1.20:7420/ws).
 */
export function hubUrlFromLocation(location: Pick<Location, 'protocol' | 'host'>): string {
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${scheme}//${location.host}${WS_PATH}`;
}

/**
 * The sync client's Transport over the browser's WebSocket. Every attempt
 * ends in exactly one `close`: a browser fires `error` and then `close` (code
 * 1006) when a connection fails, so `error` itself is not reported.
 */
export function browserTransport(
  url: string,
  WebSocketImpl: typeof WebSocket = WebSocket,
  /**
   * The hub identity this connection is held to outside the page: the desktop app's pin, which Electron's
   * certificate check enforces for its window. A browser page knows none: it cannot see the TLS session.
   */
  provenIdentity?: string,
): Transport {
  return {
    connect(events: TransportEvents): TransportSocket {
      let ws: WebSocket;
      try {
        ws = new WebSocketImpl(url);
      } catch (err) {
        // A malformed URL throws synchronously; report it like a failed attempt.
        queueMicrotask(() => events.close(1006, String(err)));
        return { send: () => {}, close: () => {} };
      }
      let closed = false;
      ws.onopen = () => events.open(provenIdentity);
      ws.onmessage = (event: MessageEvent) => {
        if (typeof event.data === 'string') events.message(event.data);
      };
      ws.onclose = (event: CloseEvent) => {
        if (closed) return;
        closed = true;
        events.close(event.code, event.reason);
      };
      ws.onerror = () => {};
      return {
        send: (text) => {
          if (ws.readyState === WebSocketImpl.OPEN) ws.send(text);
        },
        close: (code, reason) => {
          try {
            ws.close(code, reason);
          } catch {
            ws.close();
          }
        },
      };
    },
  };
}
