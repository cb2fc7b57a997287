/**
 * Advertises the hub on the LAN over mDNS/DNS-SD as `_roost._tcp`, so clients can
 * find it without typing an address. The TXT record is built by ./txtRecord.
 *
 * Written against bonjour-service 1.4.4, whose gaps this file covers (socket and send
 * errors are heard by ./mdnsErrors):
 * - on a name conflict it neither renames nor stays quiet: it sends goodbyes for the
 *   taken name, which evicts the *other* hub from every browser on the LAN. Keeping
 *   quiet takes a patch of its internals (./bonjourInternals); renaming is done here.
 */
import { Bonjour } from 'bonjour-service';
import { MDNS_SERVICE_TYPE } from '../../shared/protocol';
import { publishWithoutConflictGoodbyes, type Publication } from './bonjourInternals';
import { destroyBonjour, hearMdnsErrors, oncePerError } from './mdnsErrors';
import { buildTxtRecord, truncateUtf8 } from './txtRecord';

export type AdvertiseOptions = {
  port: number;
  hubId: string;
  /** The hub's identity (HubIdentitySchema), announced as the TXT hint `ik`. */
  identity: string;
  name: string;
  protocolVersion: number;
  /**
   * Socket and send errors (port 5353 taken, no multicast route, name conflicts beyond
   * MAX_RENAMES). The advertisement carries on where it can; the default ignores them.
   */
  onError?: (err: Error) => void;
};

export type Advertisement = {
  /** The DNS-SD instance name in use: the hub name, or `name (2)` etc. after a conflict. */
  readonly instanceName: string;
  /** Sends goodbye records, so browsers drop the hub at once, and closes the socket. */
  stop(): Promise<void>;
};

/** RFC 6763 4.1.1: an instance name is one DNS label of at most 63 bytes. */
const MAX_LABEL_BYTES = 63;
/** How many `name (n)` variants to try before giving up on a crowded name. */
const MAX_RENAMES = 20;

/** RFC 6762 9: on conflict, pick a new name; `name (2)`, `name (3)`... as Apple's responder does. */
export function instanceNameFor(hubName: string, attempt: number): string {
  const suffix = attempt === 1 ? '' : ` (${attempt})`;
  // bonjour-service turns dots into dashes itself; doing it first keeps the byte count right.
  const base = hubName.replaceAll('.', '-');
  return truncateUtf8(base, MAX_LABEL_BYTES - Buffer.byteLength(suffix)) + suffix;
}

/** Starts advertising at once; errors go to `onError`, never thrown from the socket. */
export function advertiseHub(options: AdvertiseOptions): Advertisement {
  const { port, hubId, identity, name, protocolVersion, onError } = options;
  // Checked before any socket exists: a throw from publish() later would leak the socket.
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new RangeError(`Cannot advertise port ${port}: pass the port the hub actually listens on (1-65535).`);
  }
  const txt = buildTxtRecord({ id: hubId, name, protocolVersion, identity });

  const report = oncePerError(onError);
  const bonjour = new Bonjour({}, report);
  hearMdnsErrors(bonjour, report);

  let attempt = 1;
  let stopped: Promise<void> | undefined;
  const publish = (): Publication =>
    publishWithoutConflictGoodbyes(
      bonjour,
      { name: instanceNameFor(name, attempt), type: MDNS_SERVICE_TYPE, port, txt },
      () => {
        if (stopped) return;
        if (attempt >= MAX_RENAMES) {
          report(
            new Error(
              `mDNS names "${instanceNameFor(name, 1)}" to "${instanceNameFor(name, attempt)}" ` +
                `are all taken; not advertising`,
            ),
          );
          return;
        }
        attempt++;
        current = publish();
      },
    );
  let current = publish();

  return {
    get instanceName() {
      return current.service.name;
    },
    stop() {
      stopped ??= (async () => {
        await current.unpublish();
        await destroyBonjour(bonjour, report);
      })();
      return stopped;
    },
  };
}
