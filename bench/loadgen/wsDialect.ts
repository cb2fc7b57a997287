import { SENDER_PATH } from '../servers/RunningServer';
import { openWs, type Dialect, type Endpoint } from './Dialect';

/** Both bare ws servers, and the send loop over TLS: no handshake, text in, text out. */
export function wsDialect(endpoint: Endpoint): Dialect {
  return {
    async connectSender() {
      const ws = await openWs(endpoint, SENDER_PATH);
      return { send: (text) => ws.send(text), close: () => ws.terminate() };
    },
    async connectReceiver(_index, onFrame) {
      const ws = await openWs(endpoint, '/');
      ws.on('message', (data) => onFrame(data as Buffer));
      return { close: () => ws.terminate() };
    },
  };
}
