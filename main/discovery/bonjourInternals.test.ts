import { EventEmitter } from 'node:events';
import { createRequire } from 'node:module';
import { Bonjour } from 'bonjour-service';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  BONJOUR_CHECKED_VERSION,
  MULTICAST_DNS_CHECKED_VERSION,
  publishWithoutConflictGoodbyes,
  tapMdnsSocket,
  type MdnsSocketListeners,
} from './bonjourInternals';
import { contractAssumptions } from '../hub/testing/contractAssumption';

/**
 * The contract between ./bonjourInternals and bonjour-service (with multicast-dns).
 * Nothing here touches the network: every Bonjour runs on FakeSocket, which
 * multicast-dns accepts in place of its UDP socket, so no packet leaves this
 * process. Real multicast is tested in private network namespaces (browse.test.ts,
 * advertise.test.ts).
 */
const UPGRADE_HINT = 'bonjour-service internals changed: re-check main/discovery/bonjourInternals.ts before upgrading';

const requireHere = createRequire(import.meta.url);
/** multicast-dns and dns-packet as bonjour-service resolves them. */
const requireFromBonjour = createRequire(requireHere.resolve('bonjour-service'));
const requireFromMdns = createRequire(requireFromBonjour.resolve('multicast-dns'));
type Record = { name: string; type: string; ttl?: number; data?: unknown };
type Packet = { type: 'query' | 'response'; questions: Record[]; answers: Record[] };
const dnsPacket = requireFromMdns('dns-packet') as {
  encode(packet: Partial<Packet>): Buffer;
  decode(buf: Buffer): Packet;
};

const assumption = contractAssumptions(UPGRADE_HINT);

/** Stands in for multicast-dns's dgram socket: records what would be sent, sends nothing. */
class FakeSocket extends EventEmitter {
  readonly sent: Packet[] = [];
  /** When set, binding fails with it (as when another responder holds port 5353). */
  bindError: Error | undefined;
  /** When set, every send fails with it (as with no multicast route). */
  sendError: Error | undefined;
  /** Sends whose callback has run: the sender hears of a send only then. */
  callbacksRun = 0;

  bind(_port: number, _address: string | undefined, cb: () => void): void {
    // multicast-dns hears a failed bind as the socket's 'error' event, as with dgram.
    process.nextTick(() => (this.bindError ? this.emit('error', this.bindError) : cb()));
  }
  send(message: Buffer, _offset: number, _length: number, _port: number, _address: string, cb: SendCb): void {
    this.sent.push(dnsPacket.decode(message));
    process.nextTick(() => {
      cb(this.sendError ?? null);
      this.callbacksRun++;
    });
  }
  close(cb?: () => void): void {
    if (cb) process.nextTick(cb);
  }
  /** A packet from another host on the LAN. */
  receive(packet: Partial<Packet>): void {
    const message = dnsPacket.encode(packet);
    this.emit('message', message, { address: '192.0.2.7', family: 'IPv4', port: 5353, size: message.length });
  }
  responses(): Packet[] {
    return this.sent.filter((p) => p.type === 'response');
  }
}
type SendCb = (err: Error | null) => void;

const cleanups: Array<() => void | Promise<void>> = [];
afterEach(async () => {
  vi.useRealTimers(); // in case a check timed out on the fake clock
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  vi.restoreAllMocks();
});

/** A Bonjour on a FakeSocket, built as advertise.ts and browse.ts build theirs (`{}` plus the socket). */
function fakeBonjour(setup?: (socket: FakeSocket) => void): { bonjour: Bonjour; socket: FakeSocket } {
  const socket = new FakeSocket();
  setup?.(socket);
  // Bonjour passes its options to multicast-dns, whose `socket` option its types do not list.
  const bonjour = new Bonjour({ socket } as unknown as ConstructorParameters<typeof Bonjour>[0]);
  cleanups.push(() => new Promise<void>((resolve) => bonjour.destroy(() => resolve())));
  return { bonjour, socket };
}

function listeners(): MdnsSocketListeners & { heard: Array<{ kind: string; err: Error & { code?: string } }> } {
  const heard: Array<{ kind: string; err: Error & { code?: string } }> = [];
  return {
    heard,
    onError: (err) => heard.push({ kind: 'error', err }),
    onWarning: (err) => heard.push({ kind: 'warning', err }),
    onSendError: (err) => heard.push({ kind: 'send', err }),
  };
}

const errno = (code: string) => Object.assign(new Error(`${code} (fake)`), { code });
const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await delay(5);
}

/**
 * Runs `body` on vitest's fake clock: the library's probe and announcement
 * timers then fire only when the test drives them, in order, at once.
 * Installed inside an assumption's check, so that check's deadline stays real.
 */
async function onFakeClock(body: () => Promise<void>): Promise<void> {
  vi.useFakeTimers();
  try {
    await body();
  } finally {
    vi.useRealTimers();
  }
}

/** Fires the library's timers one by one until `condition` holds; fails if none is left before it does. */
async function runTimersUntil(condition: () => boolean, what: string): Promise<void> {
  while (!condition()) {
    if (vi.getTimerCount() === 0) throw new Error(`the library had nothing left scheduled, and never ${what}`);
    await vi.advanceTimersToNextTimerAsync();
  }
}

/** A query of our own, the test's positive event: anything the library sent before it is in `sent` ahead of it. */
const MARKER = 'marker.contract.local';
async function sendMarker(bonjour: Bonjour): Promise<void> {
  const mdns = (bonjour as unknown as { server: { mdns: { query(name: string, type: string, cb: () => void): void } } })
    .server.mdns;
  await new Promise<void>((resolve) => mdns.query(MARKER, 'A', () => resolve()));
}
const MARKER_SENT = `query: ${MARKER} A`;

/** A packet in one line: its type, then each record's name and type, goodbyes marked TTL 0. */
const summary = (p: Packet) =>
  `${p.type}: ` +
  [...p.questions, ...p.answers].map((r) => `${r.name} ${r.type}${r.ttl === 0 ? ' TTL 0' : ''}`).join(', ');

const SERVICE = { name: 'Contract Hub', type: 'roost', port: 7420 };
const FQDN = 'Contract Hub._roost._tcp.local';
const isQueryFor = (p: Packet, name: string) => p.type === 'query' && p.questions.some((q) => q.name === name);
/** The probe has queried FQDN and heard the query sent: from then on it takes an answer as a conflict. */
const probing = (socket: FakeSocket) =>
  socket.sent.some((p) => isQueryFor(p, FQDN)) && socket.callbacksRun === socket.sent.length;
/** Someone else answering for FQDN: what the probe takes as "this name is taken". */
const TAKEN: Partial<Packet> = {
  type: 'response',
  answers: [{ name: FQDN, type: 'SRV', ttl: 120, data: { port: 9, target: 'other-host.local' } }],
};

describe('bonjour-service and multicast-dns releases', () => {
  it(
    `are those bonjourInternals.ts was checked against ` +
      `(bonjour-service ${BONJOUR_CHECKED_VERSION}, multicast-dns ${MULTICAST_DNS_CHECKED_VERSION})`,
    () => {
      const bonjourVersion = (requireFromBonjour('../package.json') as { version: string }).version;
      const mdnsVersion = (requireFromBonjour('multicast-dns/package.json') as { version: string }).version;
      if (bonjourVersion !== BONJOUR_CHECKED_VERSION || mdnsVersion !== MULTICAST_DNS_CHECKED_VERSION) {
        throw new Error(
          `bonjour-service ${bonjourVersion} with multicast-dns ${mdnsVersion} is installed, but ` +
            `main/discovery/bonjourInternals.ts was checked against ` +
            `${BONJOUR_CHECKED_VERSION} with ${MULTICAST_DNS_CHECKED_VERSION}. ` +
            `Re-check main/discovery/bonjourInternals.ts before upgrading: ` +
            `read both changelogs for every internal it lists, ` +
            `make the other tests in this file pass, then update the two versions there.`,
        );
      }
    },
  );
});

describe('patch 1: hearing the multicast socket (tapMdnsSocket)', () => {
  it('finds the multicast-dns instance at bonjour.server.mdns, with send, query and respond', async () => {
    const { bonjour } = fakeBonjour();
    await assumption('bonjour.server.mdns is the multicast-dns EventEmitter', () => {
      const mdns = (bonjour as unknown as { server?: { mdns?: { [k: string]: unknown } } }).server?.mdns;
      expect(mdns).toBeInstanceOf(EventEmitter);
      for (const method of ['send', 'query', 'respond']) expect(typeof mdns?.[method], method).toBe('function');
    });
  });

  it(
    "sees the library's queries and announcements through send, " +
      'and their errors in its callback, which the library still gets',
    async () => {
      const { bonjour, socket } = fakeBonjour((s) => (s.sendError = errno('ENETUNREACH')));
      const tap = listeners();
      tapMdnsSocket(bonjour, tap);
      vi.spyOn(console, 'log').mockImplementation(() => {});
      const browser = bonjour.find({ type: 'roost' });
      cleanups.push(() => browser.stop());
      const service = bonjour.publish(SERVICE);
      cleanups.push(() => void (service.activated = false));
      await assumption("a browser's query goes through mdns.send", async () => {
        await until(() => socket.sent.some((p) => isQueryFor(p, '_roost._tcp.local')));
      });
      await assumption('a failed send shows in the send callback', async () => {
        await until(() => tap.heard.length > 0);
        expect(tap.heard[0]).toMatchObject({ kind: 'send', err: { code: 'ENETUNREACH' } });
      });
      await assumption(
        "the probe's queries go through mdns.send, and the probe goes on: its callback is still called",
        async () => {
          await until(() => socket.sent.filter((p) => isQueryFor(p, FQDN)).length === 3);
        },
      );
      await assumption('the announcement (a response) goes through mdns.send', async () => {
        await until(() => socket.responses().length > 0);
        expect(socket.responses()[0]!.answers.some((a) => a.name === FQDN)).toBe(true);
      });
      expect(tap.heard.every((h) => h.kind === 'send')).toBe(true);
      expect(tap.heard.length).toBe(socket.sent.length);
    },
  );

  it(
    "reports a failed bind as 'error' (a crash with nobody listening), " +
      "other socket errors as 'warning' with a code, undecodable packets as 'warning' without one",
    async () => {
      const { bonjour, socket } = fakeBonjour((s) => (s.bindError = errno('EADDRINUSE')));
      const tap = listeners();
      tapMdnsSocket(bonjour, tap);
      await assumption("a failed bind (EADDRINUSE) comes as 'error'", async () => {
        await until(() => tap.heard.length > 0);
        await delay(10);
        // Twice, once from the bind and once from the socket: ./mdnsErrors hears each Error once.
        for (const h of tap.heard) expect(h).toMatchObject({ kind: 'error', err: { code: 'EADDRINUSE' } });
      });
      await assumption("another socket error comes as 'warning', with its code", () => {
        socket.emit('error', errno('ENETUNREACH'));
        expect(tap.heard.at(-1)).toMatchObject({ kind: 'warning', err: { code: 'ENETUNREACH' } });
      });
      await assumption("an undecodable packet comes as 'warning' without a code", () => {
        socket.emit('message', Buffer.from([1, 2, 3]), { address: '192.0.2.7', family: 'IPv4', port: 5353, size: 3 });
        expect(tap.heard.at(-1)?.kind).toBe('warning');
        expect(tap.heard.at(-1)?.err.code).toBeUndefined();
      });
    },
  );
});

describe('patch 2: no goodbye for a name another hub holds (publishWithoutConflictGoodbyes)', () => {
  it('still needs the patch: unpatched, a probe conflict sends goodbyes (TTL 0) for the taken name', async () => {
    vi.spyOn(console, 'log').mockImplementation(() => {});
    const { bonjour, socket } = fakeBonjour();
    await assumption('the probe queries the name, and a conflict makes the library send goodbyes', () =>
      onFakeClock(async () => {
        bonjour.publish(SERVICE);
        await runTimersUntil(() => probing(socket), 'queried the name');
        const atConflict = socket.sent.length;
        socket.receive(TAKEN);
        // Driven as the next test drives the patched library: to the end of its timers, then our marker.
        await vi.runAllTimersAsync();
        await sendMarker(bonjour);
        const goodbye = socket.sent
          .slice(atConflict)
          .find((p) => p.type === 'response')
          ?.answers.find((a) => a.name === FQDN);
        expect(goodbye?.ttl, 'TTL of the record for the taken name').toBe(0);
      }),
    );
  });

  it('on a probe conflict, calls service.stop() via the property: sends nothing and reports the conflict', async () => {
    vi.spyOn(console, 'log').mockImplementation(() => {});
    const { bonjour, socket } = fakeBonjour();
    let conflicts = 0;
    await assumption(
      'the probe calls service.stop(), which the patch intercepts, leaving the library stop a no-op',
      () =>
        onFakeClock(async () => {
          const publication = publishWithoutConflictGoodbyes(bonjour, SERVICE, () => conflicts++);
          await runTimersUntil(() => probing(socket), 'queried the name');
          expect(publication.service.published, 'published while probing').toBe(false);
          const atConflict = socket.sent.length;
          socket.receive(TAKEN);
          // Whatever the library still had scheduled runs to the end; then our marker goes out,
          // which must be the first packet since the conflict.
          await vi.runAllTimersAsync();
          await sendMarker(bonjour);
          expect(socket.sent.slice(atConflict).map(summary), 'sent after the conflict, up to our marker').toEqual([
            MARKER_SENT,
          ]);
          expect(conflicts).toBe(1);
          expect(publication.service.activated).toBe(false);
          await publication.unpublish();
          expect(socket.responses(), 'responses once unpublished as well').toEqual([]);
        }),
    );
  });

  it('once announced, is published and unpublishes with goodbyes through the library stop', async () => {
    const { bonjour, socket } = fakeBonjour();
    let conflicts = 0;
    const publication = publishWithoutConflictGoodbyes(bonjour, SERVICE, () => conflicts++);
    const up = new Promise<void>((resolve) => publication.service.once('up', () => resolve()));
    await assumption('`published` turns true with the first announcement', async () => {
      await up;
      expect(publication.service.published).toBe(true);
      const announced = socket.responses()[0]!.answers.find((a) => a.name === FQDN);
      expect(announced?.ttl).toBeGreaterThan(0);
    });
    await assumption('the library stop sends goodbyes (TTL 0) and calls back', async () => {
      const before = socket.responses().length;
      await publication.unpublish();
      const goodbye = socket.responses()[before]?.answers.find((a) => a.name === FQDN);
      expect(goodbye?.ttl).toBe(0);
    });
    expect(conflicts).toBe(0);
  });

  it('unpublished before being announced, sends nothing: the probe stops when `activated` is false', async () => {
    const { bonjour, socket } = fakeBonjour();
    await assumption('with `activated` false the probe sends nothing and no announcement follows', () =>
      onFakeClock(async () => {
        const publication = publishWithoutConflictGoodbyes(bonjour, SERVICE, () => {});
        expect(vi.getTimerCount(), 'timers of the probe, waiting for its turn').toBeGreaterThan(0);
        await publication.unpublish();
        // The probe's turn comes, and every timer after it: whatever the library would still do, it has done.
        await vi.runAllTimersAsync();
        await sendMarker(bonjour);
        expect(socket.sent.map(summary), 'sent up to our marker').toEqual([MARKER_SENT]);
        expect(publication.service.published).toBe(false);
      }),
    );
  });
});
