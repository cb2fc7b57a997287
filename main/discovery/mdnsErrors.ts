/**
 * Hearing the errors of bonjour-service 1.4.4's multicast-dns socket, which the library
 * would otherwise turn into a crash or silence:
 * - a socket error (port 5353 held exclusively by another responder) is emitted as
 *   'error' with no listener, which would crash the process;
 * - failed sends (no multicast route) are swallowed: queries and announcements look sent.
 * Shared by the advertiser (./advertise) and the browser (./browse).
 */
import { EventEmitter } from 'node:events';
import type { Bonjour } from 'bonjour-service';

type SendCallback = (err: Error | null, ...rest: unknown[]) => void;
type Mdns = EventEmitter & { send: (packet: unknown, rinfo?: unknown, cb?: SendCallback) => void };

/** The multicast-dns instance inside Bonjour: private in its types, but its errors must be heard. */
function mdnsOf(bonjour: Bonjour): Mdns {
  const mdns = (bonjour as unknown as { server?: { mdns?: unknown } }).server?.mdns;
  if (!(mdns instanceof EventEmitter) || typeof (mdns as Partial<Mdns>).send !== 'function') {
    throw new Error('bonjour-service internals changed (server.mdns); update main/discovery/mdnsErrors.ts');
  }
  return mdns as Mdns;
}

/** Routes every socket and send error of `bonjour`'s socket to `report`, instead of a crash or silence. */
export function hearMdnsErrors(bonjour: Bonjour, report: (err: Error) => void): void {
  const mdns = mdnsOf(bonjour);
  mdns.on('error', report);
  // Warnings without a code are undecodable packets from other hosts: not our fault, not news.
  mdns.on('warning', (err: Error & { code?: string }) => {
    if (err.code) report(err);
  });
  const send = mdns.send.bind(mdns);
  mdns.send = (packet, rinfo, cb) => {
    if (typeof rinfo === 'function') return mdns.send(packet, undefined, rinfo as SendCallback);
    send(packet, rinfo, (err, ...rest) => {
      if (err) report(err);
      cb?.(err, ...rest);
    });
  };
}

/**
 * Wraps `onError` so each Error object reaches it once: the same error can arrive twice,
 * from the send callback and from the library's own callback. Non-Errors are wrapped.
 */
export function oncePerError(onError: ((err: Error) => void) | undefined): (err: unknown) => void {
  const reported = new WeakSet<Error>();
  return (err) => {
    const error = err instanceof Error ? err : new Error(String(err));
    if (reported.has(error)) return;
    reported.add(error);
    onError?.(error);
  };
}

/** Closes the socket; closing one that never bound can throw, and it is closed either way. */
export function destroyBonjour(bonjour: Bonjour, report: (err: unknown) => void): Promise<void> {
  return new Promise<void>((resolve) => {
    try {
      bonjour.destroy(() => resolve());
    } catch (err) {
      report(err);
      resolve();
    }
  });
}
