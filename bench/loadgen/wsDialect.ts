import { HOST, SENDER_PATH } from '../servers/RunningServer';
import { openWs, type Dialect } from './Dialect';

/** Both bare ws servers: no handshake, text in, text out. */
export function wsDialect(port: number): Dialect {
  return {
    async connectSender() {
      const ws = await openWs(`ws://${HOST}:${port}${SENDER_PATH}`);
      return { send: (text) => ws.send(text), close: () => ws.terminate() };
    },
    async connectReceiver(_index, onFrame) {
      const ws = await openWs(`ws://${HOST}:${port}/`);
      ws.on('message', (data) => onFrame(data as Buffer));
      return { close: () => ws.terminate() };
    },
  };
}
