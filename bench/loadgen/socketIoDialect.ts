import { io } from 'socket.io-client';
import { HOST } from '../servers/RunningServer';
import { SOCKET_IO_EVENT } from '../servers/socketIoServer';
import { openWs, type Dialect } from './Dialect';

/**
 * The sender is a real socket.io-client. Receivers speak Engine.IO 4 /
 * Socket.IO 5 by hand over a raw ws client (open, connect to "/", answer
 * pings), so they cost the load generator what a ws receiver costs and the
 * comparison measures the servers, not the client libraries.
 */
export function socketIoDialect(port: number): Dialect {
  return {
    async connectSender() {
      const socket = io(`http://${HOST}:${port}`, {
        transports: ['websocket'],
        auth: { role: 'sender' },
        reconnection: false,
      });
      await new Promise<void>((resolve, reject) => {
        socket.once('connect', () => resolve());
        socket.once('connect_error', reject);
      });
      return { send: (text) => void socket.emit(SOCKET_IO_EVENT, text), close: () => void socket.close() };
    },
    async connectReceiver(_index, onFrame) {
      let connected!: () => void;
      const ack = new Promise<void>((resolve) => (connected = resolve));
      const ws = await openWs({ port }, '/socket.io/?EIO=4&transport=websocket', (frame, socket) => {
        // Engine.IO packet types: 0 open, 2 ping, 4 message; Socket.IO 0 connect, 2 event.
        if (frame.length === 1 && frame[0] === 0x32) {
          socket.send('3');
          return;
        }
        if (frame[0] === 0x30) {
          socket.send('40');
          return;
        }
        if (frame[0] === 0x34 && frame[1] === 0x30) {
          connected();
          return;
        }
        onFrame(frame);
      });
      await withTimeout(ack, 10_000, 'socket.io receiver: no connect ack');
      return { close: () => ws.terminate() };
    },
  };
}

function withTimeout<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout;
  const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(message)), ms)));
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
