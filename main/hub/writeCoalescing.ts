import type { Socket } from 'node:net';

/**
 * Sockets written to during the current tick, corked until the tick ends.
 * One group commit resolves many messages in a single tick, and each of them
 * goes to every member's connections: uncorked, every frame costs its own
 * write syscall, which is most of what a delivery costs. Corked, each
 * connection gets all its frames of the tick in one writev. The frames and
 * their order are unchanged; they only leave a few microseconds later, at the
 * end of the tick, after the microtasks that produced them.
 */
const corked = new Set<Socket>();

export function corkUntilTickEnd(socket: Socket): void {
  if (corked.has(socket)) return;
  if (corked.size === 0) process.nextTick(uncorkAll);
  corked.add(socket);
  socket.cork();
}

function uncorkAll(): void {
  // A socket ended or destroyed meanwhile has flushed or dropped its data already; uncork is then a no-op.
  for (const socket of corked) socket.uncork();
  corked.clear();
}
