import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server } from 'socket.io';
import { HOST, type RunningServer } from './RunningServer';

export const SOCKET_IO_ROOM = 'r';
export const SOCKET_IO_EVENT = 'm';

/** Socket.IO 4, websocket transport only, one room that every receiver joins. */
export function startSocketIoServer(): Promise<RunningServer> {
  const http = createServer();
  const io = new Server(http, {
    transports: ['websocket'],
    perMessageDeflate: false,
    serveClient: false,
    maxHttpBufferSize: 64 * 1024,
  });
  io.on('connection', (socket) => {
    if ((socket.handshake.auth as { role?: unknown }).role === 'sender') {
      socket.on(SOCKET_IO_EVENT, (text: unknown) => void io.to(SOCKET_IO_ROOM).emit(SOCKET_IO_EVENT, text));
      return;
    }
    void socket.join(SOCKET_IO_ROOM);
  });
  return new Promise((resolve, reject) => {
    http.once('error', reject);
    http.listen(0, HOST, () => {
      resolve({
        port: (http.address() as AddressInfo).port,
        stop: () => new Promise<void>((done) => void io.close(() => done())),
      });
    });
  });
}
