import { once } from 'node:events';
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo, Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import * as wsModule from 'ws';
import { WebSocket, WebSocketServer, type RawData } from 'ws';
import { frameText, writeFramed, WS_CHECKED_VERSION } from './wsInternals';
import { contractAssumptions } from './testing/contractAssumption';

/**
 * The contract between the hub and ws's internals (see wsInternals.ts), tested
 * against a real ws server and client on 127.0.0.1. Each check names the
 * assumption it proves, so a ws upgrade that breaks one says which.
 */
const UPGRADE_HINT = 'ws internals changed: re-check main/hub/wsInternals.ts before upgrading';
const requireHere = createRequire(import.meta.url);

const assumption = contractAssumptions(UPGRADE_HINT);

type Received = { text: string; binary: boolean };
type Pair = {
  /** The hub's side, accepted as Hub.ts accepts it. */
  server: WebSocket;
  /** `req.socket` of the upgrade request: what Hub.ts hands to Connection. */
  socket: Socket;
  client: WebSocket;
  received: Received[];
  /** Resolves once the client has received `count` messages in all. */
  receivedCount(count: number): Promise<Received[]>;
};

const cleanups: Array<() => void | Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A ws server set up as the hub's (noServer, perMessageDeflate off) and one real ws client. */
async function openPair(): Promise<Pair> {
  const http = createServer();
  const wss = new WebSocketServer({ noServer: true, perMessageDeflate: false });
  const accepted = new Promise<{ server: WebSocket; socket: Socket; upgradeSocket: unknown }>((resolve) => {
    http.on('upgrade', (req, upgradeSocket, head) =>
      wss.handleUpgrade(req, upgradeSocket, head, (server) => resolve({ server, socket: req.socket, upgradeSocket })),
    );
  });
  http.listen(0, '127.0.0.1');
  await once(http, 'listening');
  cleanups.push(
    () =>
      new Promise<void>((resolve) => {
        wss.close();
        http.closeAllConnections();
        http.close(() => resolve());
      }),
  );
  const { port } = http.address() as AddressInfo;
  const client = new WebSocket(`ws://127.0.0.1:${port}/`);
  cleanups.push(() => client.terminate());
  const received: Received[] = [];
  const waiting: Array<{ count: number; resolve: (r: Received[]) => void }> = [];
  client.on('message', (data, isBinary) => {
    received.push({ text: textOf(data), binary: isBinary });
    for (const w of waiting.filter((w) => received.length >= w.count)) {
      waiting.splice(waiting.indexOf(w), 1);
      w.resolve(received.slice(0, w.count));
    }
  });
  await once(client, 'open');
  const { server, socket, upgradeSocket } = await accepted;
  cleanups.push(() => server.terminate());
  expect(socket, 'req.socket is the socket the upgrade event handed to ws').toBe(upgradeSocket);
  return {
    server,
    socket,
    client,
    received,
    receivedCount: (count) =>
      received.length >= count
        ? Promise.resolve(received.slice(0, count))
        : new Promise((resolve) => waiting.push({ count, resolve })),
  };
}

/** A message's text; with the default binaryType ws hands over one Buffer. */
function textOf(data: RawData): string {
  if (!Buffer.isBuffer(data)) throw new Error('expected a Buffer, as with the default binaryType');
  return data.toString('utf8');
}
const texts = (messages: Received[]) => messages.map((m) => m.text);
const framed = (text: string) => frameText(Buffer.from(text));
/** Bytes of a client frame with this text (under 126 bytes): masked, as every client frame is (RFC 6455 5.3). */
const clientFrameLength = (text: string) => 2 + 4 + Buffer.byteLength(text);

/**
 * Bytes the socket hands to the OS, one entry per write: `_write` and `_writev`
 * are where a Writable passes on what it no longer holds, so a corked socket
 * adds nothing here until it is uncorked.
 */
function recordHandoffs(socket: Socket): number[] {
  const handedOff: number[] = [];
  const write = socket._write.bind(socket);
  const writev = socket._writev?.bind(socket);
  socket._write = (chunk: Buffer, encoding, cb) => {
    handedOff.push(chunk.length);
    write(chunk, encoding, cb);
  };
  if (writev) {
    socket._writev = (chunks: Array<{ chunk: Buffer; encoding: BufferEncoding }>, cb) => {
      handedOff.push(chunks.reduce((sum, { chunk }) => sum + chunk.length, 0));
      writev(chunks, cb);
    };
  }
  return handedOff;
}

/**
 * Resolves once the socket has read `bytes` more bytes off the network, whether
 * or not anyone consumed them: a paused socket still reads into its buffer,
 * and one that is not paused has emitted them as 'data' by the time this resolves.
 */
function whenRead(socket: Socket, bytes: number): Promise<void> {
  let read = 0;
  const push = socket.push.bind(socket);
  return new Promise((resolve) => {
    socket.push = (chunk: unknown, encoding?: BufferEncoding) => {
      const buffered = push(chunk, encoding);
      if (Buffer.isBuffer(chunk)) read += chunk.length;
      if (read >= bytes) resolve();
      return buffered;
    };
  });
}

describe('ws internals the hub relies on (wsInternals.ts)', () => {
  it(`is the ws release the module was checked against (${WS_CHECKED_VERSION})`, () => {
    const installed = (requireHere('ws/package.json') as { version: string }).version;
    if (installed !== WS_CHECKED_VERSION) {
      throw new Error(
        `ws ${installed} is installed but main/hub/wsInternals.ts was checked against ws ${WS_CHECKED_VERSION}. ` +
          `Re-check main/hub/wsInternals.ts before upgrading: read ws's release notes for every internal it lists, ` +
          `make the other tests in this file pass, then set WS_CHECKED_VERSION.`,
      );
    }
  });

  it('exports Sender with static frame() from both entry points (ESM: tsx, vitest; CJS: desktop bundle)', async () => {
    await assumption('ws exports Sender.frame()', () => {
      const esm = (wsModule as unknown as { Sender?: { frame?: unknown } }).Sender;
      const cjs = (requireHere('ws') as { Sender?: { frame?: unknown } }).Sender;
      expect(typeof esm?.frame, 'import * as ws from "ws": ws.Sender.frame').toBe('function');
      expect(typeof cjs?.frame, 'require("ws").Sender.frame').toBe('function');
    });
  });

  it('frames text as one final, unmasked, uncompressed frame with the right length encoding', async () => {
    await assumption('Sender.frame returns [header, payload] for an unmasked frame', () => {
      for (const [length, header] of [
        [0, [0x81, 0]],
        [125, [0x81, 125]],
        [126, [0x81, 126, 0, 126]],
        [65_535, [0x81, 126, 0xff, 0xff]],
        [65_536, [0x81, 127, 0, 0, 0, 0, 0, 1, 0, 0]],
      ] as const) {
        const payload = Buffer.alloc(length, 'x');
        const wire = frameText(payload);
        expect([...wire.subarray(0, header.length)], `header for ${length} bytes`).toEqual(header);
        expect(wire.length, `frame length for ${length} bytes`).toBe(header.length + length);
        expect(wire.subarray(header.length).equals(payload), `payload of ${length} bytes, unmasked`).toBe(true);
      }
    });
  });

  it("reaches a real ws client as the intended text messages when written to the upgrade's socket", async () => {
    const pair = await openPair();
    const sent = [
      '',
      'hello',
      'é😀 mixed UTF-8',
      'x'.repeat(125),
      'y'.repeat(126),
      'z'.repeat(65_535),
      '😀'.repeat(20_000),
    ];
    await assumption('pre-framed bytes written to req.socket arrive as the intended text messages', async () => {
      for (const text of sent) writeFramed(pair.socket, framed(text));
      const got = await pair.receivedCount(sent.length);
      expect(texts(got)).toEqual(sent);
      expect(got.every((m) => !m.binary)).toBe(true);
    });
    await assumption('ws writes its own frames to req.socket', async () => {
      const before = pair.socket.bytesWritten;
      pair.server.send('from ws');
      await pair.receivedCount(sent.length + 1);
      expect(pair.socket.bytesWritten - before).toBe(2 + 'from ws'.length);
    });
  });

  it("goes out in order between ws's own frames, never inside one, corked or not", async () => {
    const pair = await openPair();
    const big = 'b'.repeat(70_000); // ws writes this one in two parts
    const interleave = (tag: string) => {
      pair.server.send(`${tag}1`);
      writeFramed(pair.socket, framed(`${tag}2`));
      pair.server.send(big);
      writeFramed(pair.socket, framed(`${tag}3`));
      pair.server.ping();
      pair.server.send(`${tag}4`);
    };
    await assumption('ws writes each uncompressed frame to the socket synchronously and whole', async () => {
      interleave('plain');
      pair.socket.cork();
      interleave('corked');
      process.nextTick(() => pair.socket.uncork());
      const got = texts(await pair.receivedCount(10));
      expect(got).toEqual([
        'plain1',
        'plain2',
        big,
        'plain3',
        'plain4',
        'corked1',
        'corked2',
        big,
        'corked3',
        'corked4',
      ]);
    });
  });

  it('counts direct socket writes, corked ones too, in bufferedAmount; its own cork leaves ours in place', async () => {
    const pair = await openPair();
    const { server, client, socket } = pair;
    const handedOff = recordHandoffs(socket);
    const ours = framed('pre-framed');
    const big = 'c'.repeat(70_000); // ws writes this one in two parts, under its own cork
    await assumption('bufferedAmount counts what waits in the socket, ours and corked bytes included', async () => {
      expect(server.bufferedAmount, 'nothing waits at the start').toBe(0);
      socket.cork();
      writeFramed(socket, ours);
      expect(server.bufferedAmount, 'after a corked pre-framed write').toBe(ours.length);
      server.send('own');
      expect(server.bufferedAmount, "after ws's own send, still corked").toBe(ours.length + 2 + 'own'.length);
      server.send(big);
      expect(server.bufferedAmount, 'after a two-part frame, still corked').toBe(
        ours.length + 2 + 'own'.length + 10 + big.length,
      );
    });
    await assumption("ws's own cork and uncork leave ours in place: nothing leaves until we uncork", async () => {
      expect(socket.writableCorked, "ws's cork and uncork around a two-part frame leave ours").toBe(1);
      // Held longer than the hub holds a cork (to the end of the tick): over a whole round trip from the client.
      const roundTrip = once(server, 'message');
      client.send('round trip');
      await roundTrip;
      expect(handedOff, 'bytes handed to the OS while corked, over a round trip').toEqual([]);
      const held = server.bufferedAmount;
      socket.uncork();
      expect(
        handedOff.reduce((sum, bytes) => sum + bytes, 0),
        'bytes handed to the OS at our uncork: all that was held',
      ).toBe(held);
      expect(texts(await pair.receivedCount(3))).toEqual(['pre-framed', 'own', big]);
      expect(server.bufferedAmount, 'once everything left').toBe(0);
    });
  });

  it('reads neither messages nor pongs while paused, and both after resume', async () => {
    const pair = await openPair();
    const { server, client, socket } = pair;
    const heard: string[] = [];
    server.on('message', (data) => heard.push(`message ${textOf(data)}`));
    server.on('pong', () => heard.push('pong'));
    const later = 'after the pong';
    const laterHeard = new Promise<void>((resolve) =>
      server.on('message', (data) => textOf(data) === later && resolve()),
    );
    const pongLength = clientFrameLength(''); // a pong echoes the ping's payload, empty here
    const allRead = whenRead(socket, clientFrameLength('while paused') + pongLength + clientFrameLength(later));
    await assumption('pause() stops message and pong events; isPaused tells; resume() delivers them', async () => {
      server.pause();
      expect(server.isPaused).toBe(true);
      client.send('while paused');
      const pinged = once(client, 'ping'); // the client answers a ping with a pong at once
      server.ping();
      await pinged;
      client.send(later);
      // Not paused, ws would have had all three frames (and emitted their events) by the time the socket read them.
      // Were ws's pause to stop reading the socket altogether, this would never resolve: the deadline names this check.
      await allRead;
      expect(heard, 'events while paused, once the server had read all their bytes').toEqual([]);
      heard.push('resume');
      server.resume();
      expect(server.isPaused).toBe(false);
      await laterHeard;
      expect(heard).toEqual(['resume', 'message while paused', 'pong', `message ${later}`]);
    });
  });
});
