import type { Server } from 'node:net';
import type { Socket } from 'node:net';
import { ConnectionQuota } from './ConnectionQuota';

export type ConnectionRefusal = { status: 429; code: 'TOO_MANY_CONNECTIONS'; message: string };

/**
 * Connections over an address's quota kept open to be answered, at most this
 * many per network and in all: beyond them a refused connection is closed
 * unanswered, so refusing cannot itself use up descriptors.
 */
const ANSWERED_PER_NETWORK = 4;
const ANSWERED_AT_ONCE = 64;
/** A refused connection that sends no request within this is closed unanswered. */
const ANSWER_WAIT_MS = 2_000;

/**
 * Counts every TCP connection the server accepts, plain HTTP and WebSocket
 * alike, against the quota, and keeps its slot until the socket closes (an
 * upgraded socket keeps the slot it took as HTTP). Over the hub's cap a
 * connection is closed at once: there is no descriptor to spare for an
 * answer. Over an address's or network's quota it stays just long enough for
 * its request to be answered 429 (httpServer.ts asks refusalOf). Returns
 * refusalOf.
 */
export function admitConnections(
  server: Server,
  quota: ConnectionQuota,
): (socket: Socket) => ConnectionRefusal | undefined {
  // Keyed by the connection's remote end: a TLS request's socket is not the TCP socket accepted here.
  const refusals = new Map<string, ConnectionRefusal>();
  const answering = new ConnectionQuota({
    maxPerAddress: ANSWERED_PER_NETWORK,
    maxPerNetwork: ANSWERED_PER_NETWORK,
    maxConnections: ANSWERED_AT_ONCE,
    limitLoopback: true,
  });
  server.on('connection', (socket: Socket) => {
    const address = socket.remoteAddress ?? 'unknown';
    const verdict = quota.reserve(address);
    if (verdict.ok) {
      socket.once('close', verdict.release);
      return;
    }
    const slot = verdict.over === 'hub' ? undefined : answering.reserve(address);
    if (!slot?.ok) {
      socket.destroy();
      return;
    }
    const where = verdict.over === 'address' ? 'This address' : 'This network (IPv6 /64)';
    const key = endOf(socket);
    refusals.set(key, {
      status: 429,
      code: 'TOO_MANY_CONNECTIONS',
      message: `${where} already has ${verdict.open} connections open to the hub. Close some, then try again.`,
    });
    const timer = setTimeout(() => socket.destroy(), ANSWER_WAIT_MS);
    timer.unref();
    socket.once('close', () => {
      clearTimeout(timer);
      refusals.delete(key);
      slot.release();
    });
  });
  return (socket) => refusals.get(endOf(socket));
}

function endOf(socket: Socket): string {
  return `${socket.remoteAddress ?? ''}|${socket.remotePort ?? ''}`;
}
