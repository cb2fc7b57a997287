import type { Socket } from 'node:net';

/**
 * Sockets written to during the current tick, corked until the tick ends.
 * One group commit resolves many messages in a single tick, and each of them
 * goes to every member's connections: uncorked, every frame costs its own
 * write syscall, which is most of what a delivery costs. Corked, each
 * connection gets all its frames of the tick in one writev. The frames and
 * their order are unchanged; they only leave a few microseconds later, at the
 * end of the tick, after the microtasks that produced them. These are the
 * sockets ws writes to: its own cork and uncork around a frame leave ours in
 * place (wsInternals.ts).
 */
const corked = new Set<Socket>();

/**
 * Held bytes after which a socket is flushed early. Corked bytes count in
 * `bufferedAmount` (a ws internal: wsInternals.ts), which the hub reads as
 * "this device is not reading": a big burst held whole would cut off devices
 * that read perfectly well.
 */
const FLUSH_AT_BYTES = 64 * 1024;

export function corkUntilTickEnd(socket: Socket): void {
  if (corked.has(socket)) {
    if (socket.writableLength < FLUSH_AT_BYTES) return;
    socket.uncork();
    socket.cork();
    return;
  }
  if (corked.size === 0) process.nextTick(uncorkAll);
  corked.add(socket);
  socket.cork();
}

function uncorkAll(): void {
  // Cleared first: should an uncork throw, the next tick must start with nothing held.
  const sockets = [...corked];
  corked.clear();
  // A socket ended or destroyed meanwhile has flushed or dropped its data already; uncork is then a no-op.
  for (const socket of sockets) socket.uncork();
}
