/**
 * The two places Roost patches bonjour-service, and everything they assume
 * about its internals and those of multicast-dns, its socket layer.
 * bonjour-service is pinned exactly (package.json) because of this file;
 * multicast-dns comes in through its caret range; package.json's `overrides` pins it exactly.
 * bonjourInternals.test.ts proves each assumption without a real socket and
 * names the one that broke. Checked against BONJOUR_CHECKED_VERSION and
 * MULTICAST_DNS_CHECKED_VERSION.
 *
 * 1. tapMdnsSocket, for ./mdnsErrors: bonjour-service would let the errors
 *    of its socket crash the process or vanish. It reaches:
 *    - `bonjour.server.mdns`, the multicast-dns instance (private in the types);
 *    - its events: socket errors EACCES and EADDRINUSE (a failed bind among
 *      them) come as 'error', which crashes the process if nobody listens;
 *      other socket errors, and packets it cannot decode, as 'warning', and
 *      only the undecodable ones have no `code`;
 *    - its `send(packet, rinfo, cb)` property, replaced: multicast-dns's
 *      `query` and `respond`, through which bonjour-service sends everything,
 *      call it through the property, and a failed send shows only in its
 *      callback, which bonjour-service ignores.
 * 2. publishWithoutConflictGoodbyes, for ./advertise: bonjour-service, finding
 *    a name taken while probing, sends goodbyes for it, which evict the other
 *    hub from every browser on the LAN. It reaches, on the published Service:
 *    - `stop`, replaced: the probe calls `service.stop()` through the property;
 *    - `activated`: the library's own stop does nothing when it is false
 *      (otherwise it sends the goodbyes);
 *    - `published`: true once the first announcement went out, not before.
 */
import { EventEmitter } from 'node:events';
import type { Bonjour, Service, ServiceConfig } from 'bonjour-service';

/** The bonjour-service release this file and its contract test were last checked against. */
export const BONJOUR_CHECKED_VERSION = '1.4.4';
/** The multicast-dns release (bonjour-service's dependency) they were last checked against. */
export const MULTICAST_DNS_CHECKED_VERSION = '7.2.5';

type SendCallback = (err: Error | null, ...rest: unknown[]) => void;
type Mdns = EventEmitter & { send: (packet: unknown, rinfo?: unknown, cb?: SendCallback) => void };

export type MdnsSocketListeners = {
  /** A socket error the library would have thrown (EACCES, EADDRINUSE). */
  onError: (err: Error) => void;
  /** Any other socket error (has a `code`), or an undecodable packet from someone else (has none). */
  onWarning: (err: Error & { code?: string }) => void;
  /** A query or response that could not be sent (no multicast route...). */
  onSendError: (err: Error) => void;
};

/** The multicast-dns instance inside `bonjour`. */
function mdnsOf(bonjour: Bonjour): Mdns {
  const mdns = (bonjour as unknown as { server?: { mdns?: unknown } }).server?.mdns;
  if (!(mdns instanceof EventEmitter) || typeof (mdns as Partial<Mdns>).send !== 'function') {
    throw new Error(
      'bonjour-service internals changed (server.mdns): re-check main/discovery/bonjourInternals.ts before upgrading',
    );
  }
  return mdns as Mdns;
}

/** Hears every error of `bonjour`'s multicast socket, failed sends included. Throws only if the internals changed. */
export function tapMdnsSocket(bonjour: Bonjour, listeners: MdnsSocketListeners): void {
  const mdns = mdnsOf(bonjour);
  mdns.on('error', listeners.onError);
  mdns.on('warning', listeners.onWarning);
  const send = mdns.send.bind(mdns);
  mdns.send = (packet, rinfo, cb) => {
    if (typeof rinfo === 'function') return mdns.send(packet, undefined, rinfo as SendCallback);
    send(packet, rinfo, (err, ...rest) => {
      if (err) listeners.onSendError(err);
      cb?.(err, ...rest);
    });
  };
}

export type Publication = {
  service: Service;
  /** Sends goodbyes if the name was announced; if not, nothing (the name may be another hub's). */
  unpublish(): Promise<void>;
};

/**
 * Publishes one instance name. If probing finds the name taken, the library's
 * `service.stop()` is intercepted so no goodbye goes out for a name that
 * belongs to another hub, and `onConflict` is told instead.
 */
export function publishWithoutConflictGoodbyes(
  bonjour: Bonjour,
  config: ServiceConfig,
  onConflict: () => void,
): Publication {
  const service = bonjour.publish(config);
  const libraryStop = service.stop;
  let stopping = false;
  service.stop = (...args: unknown[]) => {
    if (!stopping && !service.published) {
      service.activated = false; // makes the library's stop a no-op: no goodbye
      queueMicrotask(onConflict);
    }
    return libraryStop(...args);
  };
  return {
    service,
    unpublish: () =>
      new Promise<void>((resolve) => {
        stopping = true;
        // Never announced: nothing to retract, and a goodbye could evict a same-named hub still being probed.
        if (!service.published) {
          service.activated = false;
          resolve();
          return;
        }
        libraryStop(() => resolve());
      }),
  };
}
