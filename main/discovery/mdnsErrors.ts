/**
 * Hearing the errors of bonjour-service 1.4.4's multicast-dns socket, which the library
 * would otherwise turn into a crash or silence:
 * - a socket error (port 5353 held exclusively by another responder) is emitted as
 *   'error' with no listener, which would crash the process;
 * - failed sends (no multicast route) are swallowed: queries and announcements look sent.
 * Shared by the advertiser (./advertise) and the browser (./browse). Reaching the socket
 * is a patch of the library's internals, kept in ./bonjourInternals.
 */
import type { Bonjour } from 'bonjour-service';
import { tapMdnsSocket } from './bonjourInternals';

/** Routes every socket and send error of `bonjour`'s socket to `report`, instead of a crash or silence. */
export function hearMdnsErrors(bonjour: Bonjour, report: (err: Error) => void): void {
  tapMdnsSocket(bonjour, {
    onError: report,
    // Warnings without a code are undecodable packets from other hosts: not our fault, not news.
    onWarning: (err) => {
      if (err.code) report(err);
    },
    onSendError: report,
  });
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
