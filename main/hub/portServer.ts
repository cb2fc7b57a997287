import type { Server as HttpServer } from 'node:http';
import { createServer as createNetServer, type Server, type Socket } from 'node:net';

/** TLS records start with a handshake record (content type 22): a ClientHello is the first thing a TLS client sends. */
const TLS_HANDSHAKE = 0x16;

/**
 * The hub's one port, for TLS and plain HTTP both: the first byte a client
 * sends tells which it speaks, and the connection goes to that server. So a
 * person who types `http://` reaches a page that sends them to `https://`,
 * and loopback clients may stay plain, without a second port to open in a
 * firewall. A connection that sends nothing within `firstByteMs` is closed.
 */
export function createPortServer(options: {
  plain: HttpServer;
  secure?: Server;
  firstByteMs: number;
  /**
   * Asked before a TLS handshake, which costs the hub a signature and a key exchange: false closes the
   * connection unanswered (its address is over its budget).
   */
  admitTls?: (socket: Socket) => boolean;
}): Server {
  const { plain, secure, firstByteMs, admitTls } = options;
  return createNetServer((socket: Socket) => {
    const timer = setTimeout(() => socket.destroy(), firstByteMs);
    timer.unref();
    socket.once('close', () => clearTimeout(timer));
    socket.once('data', (first: Buffer) => {
      clearTimeout(timer);
      // Handed back unread: the chosen server then reads the connection from its first byte.
      socket.pause();
      socket.unshift(first);
      if (secure && first[0] === TLS_HANDSHAKE) {
        if (admitTls && !admitTls(socket)) return void socket.destroy();
        // The TLS socket reads what was handed back itself, and takes over reading from the connection.
        secure.emit('connection', socket);
        return;
      }
      plain.emit('connection', socket);
      socket.resume();
    });
  });
}
