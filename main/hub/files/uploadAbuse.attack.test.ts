import { request, type IncomingMessage, type ServerResponse } from 'node:http';
import { connect, type Socket } from 'node:net';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { cleanupsAfterEach } from '../testing/cleanups';
import { tempDirsAfterEach } from '../testing/tempDir';
import { startTestHub } from '../testing/testHub';
import { createUpload, send, startFileServer, tusHeaders, type Answer } from './fileServerTestSupport';
import { patternBytes, sha256Hex, uploadBytes } from './fileTestSupport';

/**
 * Red-team tests of the tus endpoints (appendix F.3, F.6) through the hub's real HTTP server: a paired but
 * hostile member sending malformed headers, bodies that lie about their length, PATCHes that race, and many
 * small uploads to fill the hub. Each asserts what the hub must do; a failing one is an attack that works.
 */

const cleanups = cleanupsAfterEach();
const tempDir = tempDirsAfterEach('roost-upload-attack-');

const FAST = { headersTimeoutMs: 300, checkIntervalMs: 50, bodyIdleMs: 400, keepAliveTimeoutMs: 300 };
/** How long a test waits for the hub to close a connection it should close within FAST's timeouts. */
const CLOSE_DEADLINE_MS = 4000;

async function server(options: Parameters<typeof startFileServer>[2] = {}) {
  return startFileServer(await tempDir(), cleanups, options);
}

type Raw = { socket: Socket; received: () => string; closed: Promise<void> };

/** A bare TCP connection to the hub, to send what no HTTP client would. */
function raw(port: number): Promise<Raw> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    cleanups.push(() => void socket.destroy());
    let received = '';
    socket.on('data', (d) => (received += d));
    const closed = new Promise<void>((done) => socket.on('close', () => done()));
    socket.on('error', () => {});
    socket.once('connect', () => resolve({ socket, received: () => received, closed }));
    socket.once('error', reject);
  });
}

/** Resolves 'closed' when the hub closes the connection, 'open' if it is still open after `ms`. */
function closedWithin(conn: Raw, ms: number): Promise<'closed' | 'open'> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'open'>((resolve) => (timer = setTimeout(() => resolve('open'), ms)));
  return Promise.race([conn.closed.then(() => 'closed' as const), late]).finally(() => clearTimeout(timer));
}

function errorCode(answer: Answer): string {
  return (JSON.parse(answer.text) as { error: { code: string } }).error.code;
}

function patchHeaders(session: string, offset: number | string, extra: Record<string, string | number> = {}) {
  return tusHeaders(session, {
    'Content-Type': 'application/offset+octet-stream',
    'Upload-Offset': offset,
    ...extra,
  });
}

function head(port: number, session: string, id: string) {
  return send(port, { method: 'HEAD', path: `/api/files/uploads/${id}`, headers: tusHeaders(session) });
}

describe('attack: Upload-Length and Upload-Offset abuse', () => {
  it('refuses every malformed Upload-Length with 400 and creates nothing', async () => {
    const s = await server();
    const session = await s.sessionOf('dev-alice');
    const bad = ['-1', '1e3', '0x10', '1.0', '+5', ' ', 'NaN', 'Infinity', '99999999999999999', '9007199254740992'];
    for (const value of bad) {
      const answer = await send(s.port, {
        method: 'POST',
        path: '/api/files/uploads',
        headers: tusHeaders(session, { 'Upload-Length': value }),
      });
      expect([value, answer.status, errorCode(answer)]).toEqual([value, 400, 'BAD_REQUEST']);
    }
    // Two Upload-Length headers (Node joins them with ", "): neither is taken.
    const conn = await raw(s.port);
    conn.socket.write(
      'POST /api/files/uploads HTTP/1.1\r\nHost: 127.0.0.1\r\nTus-Resumable: 1.0.0\r\n' +
        `Authorization: Roost-Session ${session}\r\nUpload-Length: 5\r\nUpload-Length: 6000000\r\n` +
        'Connection: close\r\n\r\n',
    );
    await conn.closed;
    expect(conn.received()).toMatch(/^HTTP\/1\.1 400 /);
    expect(s.store.bytesOf('alice')).toBe(0);
  });

  it('reads leading zeros as the number they spell, never as octal or past the per-file maximum', async () => {
    const s = await server({ store: { limits: { maxFileBytes: 100 } } });
    const session = await s.sessionOf('dev-alice');
    const created = await send(s.port, {
      method: 'POST',
      path: '/api/files/uploads',
      headers: tusHeaders(session, { 'Upload-Length': '0000000000000010' }),
    });
    expect(created.status).toBe(201);
    const id = String(created.headers.location).split('/').pop() ?? '';
    expect((await head(s.port, session, id)).headers['upload-length']).toBe('10');
    const tooLarge = await send(s.port, {
      method: 'POST',
      path: '/api/files/uploads',
      headers: tusHeaders(session, { 'Upload-Length': '0000000000000101' }),
    });
    expect([tooLarge.status, errorCode(tooLarge)]).toEqual([413, 'FILE_TOO_LARGE']);
  });

  it('refuses every malformed Upload-Offset with 400 before reading, and the offset stays where it was', async () => {
    const s = await server();
    const session = await s.sessionOf('dev-alice');
    const id = await createUpload(s.port, session, 10);
    for (const value of ['-1', '1e0', '0x0', '0.0', '+0', 'NaN', '99999999999999999']) {
      const answer = await send(s.port, {
        method: 'PATCH',
        path: `/api/files/uploads/${id}`,
        headers: patchHeaders(session, value, { 'Content-Length': 2 }),
        body: Buffer.from('ab'),
      });
      expect([value, answer.status]).toEqual([value, 400]);
      expect(answer.headers.connection).toBe('close');
    }
    expect((await head(s.port, session, id)).headers['upload-offset']).toBe('0');
    // An offset far past the end is a mismatch, not a write at that position (no sparse file).
    const far = await send(s.port, {
      method: 'PATCH',
      path: `/api/files/uploads/${id}`,
      headers: patchHeaders(session, '9999999999999999'),
      body: Buffer.from('ab'),
    });
    expect([400, 409]).toContain(far.status);
    expect((await head(s.port, session, id)).headers['upload-offset']).toBe('0');
  });
});

describe('attack: PATCH bodies that lie about their length', () => {
  it('a Content-Length past Upload-Length is refused before a byte is read', async () => {
    const s = await server();
    const session = await s.sessionOf('dev-alice');
    const id = await createUpload(s.port, session, 10);
    const conn = await raw(s.port);
    conn.socket.write(
      `PATCH /api/files/uploads/${id} HTTP/1.1\r\nHost: 127.0.0.1\r\nTus-Resumable: 1.0.0\r\n` +
        `Authorization: Roost-Session ${session}\r\nContent-Type: application/offset+octet-stream\r\n` +
        'Upload-Offset: 0\r\nContent-Length: 1000000000\r\n\r\n0123456789',
    );
    await conn.closed;
    expect(conn.received()).toMatch(/^HTTP\/1\.1 400 /);
    expect((await head(s.port, session, id)).headers['upload-offset']).toBe('0');
  });

  it('a chunked body past Upload-Length keeps only the upload length, answers 400 and closes', async () => {
    const s = await server();
    const session = await s.sessionOf('dev-alice');
    const id = await createUpload(s.port, session, 10);
    const conn = await raw(s.port);
    conn.socket.write(
      `PATCH /api/files/uploads/${id} HTTP/1.1\r\nHost: 127.0.0.1\r\nTus-Resumable: 1.0.0\r\n` +
        `Authorization: Roost-Session ${session}\r\nContent-Type: application/offset+octet-stream\r\n` +
        'Upload-Offset: 0\r\nTransfer-Encoding: chunked\r\n\r\n' +
        '8\r\n01234567\r\n8\r\n89ABCDEF\r\n',
    );
    expect(await closedWithin(conn, CLOSE_DEADLINE_MS)).toBe('closed');
    expect(conn.received()).toMatch(/^HTTP\/1\.1 400 [^]*"code":"BAD_REQUEST"/);
    // The first 10 bytes are the upload; the 6 past its end were dropped.
    await s.store.claim('alice', 'k', [{ uploadId: id, sha256: sha256Hex(Buffer.from('0123456789')), size: 10 }]);
  });

  it('bytes after a short Content-Length are never written into the upload', async () => {
    const s = await server();
    const session = await s.sessionOf('dev-alice');
    const id = await createUpload(s.port, session, 10);
    const conn = await raw(s.port);
    // Declares 4 bytes and sends 10: the other 6 are a (malformed) next request on this connection.
    conn.socket.write(
      `PATCH /api/files/uploads/${id} HTTP/1.1\r\nHost: 127.0.0.1\r\nTus-Resumable: 1.0.0\r\n` +
        `Authorization: Roost-Session ${session}\r\nContent-Type: application/offset+octet-stream\r\n` +
        'Upload-Offset: 0\r\nContent-Length: 4\r\n\r\n0123456789',
    );
    await conn.closed;
    // The 6 extra bytes are no request: Node answers 400 and closes; the PATCH got 4 bytes at most.
    expect(conn.received()).toMatch(/HTTP\/1\.1 400 /);
    expect(['0', '4']).toContain((await head(s.port, session, id)).headers['upload-offset']);
  });

  it('a PATCH with bytes past the end of a finished upload is refused (400), not drained for ever', async () => {
    const s = await server({ timeouts: FAST });
    const session = await s.sessionOf('dev-alice');
    const id = await createUpload(s.port, session, 1);
    const done = await send(s.port, {
      method: 'PATCH',
      path: `/api/files/uploads/${id}`,
      headers: patchHeaders(session, 0, { 'Content-Length': 1 }),
      body: Buffer.from('x'),
    });
    expect(done.status).toBe(204);
    // At the upload's end, chunked (no Content-Length to check): every byte of this body is past Upload-Length.
    const conn = await raw(s.port);
    conn.socket.write(
      `PATCH /api/files/uploads/${id} HTTP/1.1\r\nHost: 127.0.0.1\r\nTus-Resumable: 1.0.0\r\n` +
        `Authorization: Roost-Session ${session}\r\nContent-Type: application/offset+octet-stream\r\n` +
        'Upload-Offset: 1\r\nTransfer-Encoding: chunked\r\n\r\n4\r\nmore\r\n',
    );
    // The client keeps the body coming (64 KiB every 50 ms, 3 s at most): the hub must not read it all.
    let chunks = 0;
    const trickle = setInterval(() => {
      if (conn.socket.destroyed || ++chunks > 60) return clearInterval(trickle);
      conn.socket.write(`10000\r\n${'a'.repeat(0x10000)}\r\n`);
    }, 50);
    cleanups.push(() => clearInterval(trickle));
    expect(await closedWithin(conn, CLOSE_DEADLINE_MS)).toBe('closed');
    expect(chunks).toBeLessThan(60);
    expect(conn.received()).toMatch(/^HTTP\/1\.1 400 /);
  });
});

describe('attack: racing and foreign requests', () => {
  it('two PATCHes of one upload at once: one writes, the other is 409 FILE_UPLOAD_BUSY', async () => {
    const s = await server();
    const session = await s.sessionOf('dev-alice');
    const id = await createUpload(s.port, session, 1000);
    const path = `/api/files/uploads/${id}`;
    const first = request({
      host: '127.0.0.1',
      port: s.port,
      method: 'PATCH',
      path,
      agent: false,
      headers: patchHeaders(session, 0, { 'Content-Length': 1000 }),
    });
    const firstAnswer = new Promise<number>((resolve, reject) => {
      first.on('response', (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      first.on('error', reject);
    });
    first.write(Buffer.alloc(100, 1));
    // The first PATCH is inside the store once HEAD sees its bytes (bounded: each HEAD is a request).
    for (let i = 0; i < 200; i++) if ((await head(s.port, session, id)).headers['upload-offset'] === '100') break;
    const second = await send(s.port, {
      method: 'PATCH',
      path,
      headers: patchHeaders(session, 100, { 'Content-Length': 900 }),
      body: Buffer.alloc(900, 2),
    });
    expect([second.status, errorCode(second)]).toEqual([409, 'FILE_UPLOAD_BUSY']);
    first.end(Buffer.alloc(900, 1));
    expect(await firstAnswer).toBe(204);
    const bytes = Buffer.concat([Buffer.alloc(100, 1), Buffer.alloc(900, 1)]);
    await s.store.claim('alice', 'k', [{ uploadId: id, sha256: sha256Hex(bytes), size: 1000 }]);
  });

  it('another user cannot HEAD, PATCH or DELETE an upload, and learns nothing from trying', async () => {
    const s = await server();
    const alice = await s.sessionOf('dev-alice');
    const bob = await s.sessionOf('dev-bob');
    const unfinished = await createUpload(s.port, alice, 10);
    const finished = await uploadBytes(s.store, 'alice', patternBytes(10));
    const unknown = 'AAAAAAAAAAAAAAAAAAAAAA';
    const answers: Answer[] = [];
    for (const id of [unfinished, finished, unknown]) {
      const path = `/api/files/uploads/${id}`;
      answers.push(await send(s.port, { method: 'HEAD', path, headers: tusHeaders(bob) }));
      answers.push(
        await send(s.port, {
          method: 'PATCH',
          path,
          headers: patchHeaders(bob, 0, { 'Content-Length': 2 }),
          body: Buffer.from('zz'),
        }),
      );
      answers.push(await send(s.port, { method: 'DELETE', path, headers: tusHeaders(bob) }));
    }
    for (const answer of answers) expect(answer.status).toBe(404);
    const bodies = answers.filter((a) => a.text !== '').map((a) => a.text);
    expect(new Set(bodies).size).toBe(1);
    expect((await head(s.port, alice, unfinished)).headers['upload-offset']).toBe('0');
    expect((await head(s.port, alice, finished)).status).toBe(200);
  });

  it('DELETE of an upload a message names answers 204 but the file stays downloadable', async () => {
    const s = await server();
    const alice = await s.sessionOf('dev-alice');
    const bytes = patternBytes(64, 5);
    const id = await uploadBytes(s.store, 'alice', bytes);
    await s.store.claim('alice', 'conv-1/alice/m1', [{ uploadId: id, sha256: sha256Hex(bytes), size: 64 }]);
    s.messages.set('conv-1/1', {
      attachments: [{ sha256: sha256Hex(bytes), name: 'a.bin', size: 64, type: 'application/octet-stream' }],
    });
    const deleted = await send(s.port, {
      method: 'DELETE',
      path: `/api/files/uploads/${id}`,
      headers: tusHeaders(alice),
    });
    expect(deleted.status).toBe(204);
    await s.store.sweep();
    const bob = await s.sessionOf('dev-bob');
    const got = await send(s.port, {
      method: 'GET',
      path: '/api/files/conv-1/1/0',
      headers: { Authorization: `Roost-Session ${bob}` },
    });
    expect([got.status, sha256Hex(got.body)]).toEqual([200, sha256Hex(bytes)]);
  });
});

describe('attack: filling the hub', () => {
  it('caps unfinished uploads at 16 per user, whatever their size', async () => {
    const s = await server();
    const session = await s.sessionOf('dev-alice');
    for (let i = 0; i < 16; i++) await createUpload(s.port, session, 1);
    const refused = await send(s.port, {
      method: 'POST',
      path: '/api/files/uploads',
      headers: tusHeaders(session, { 'Upload-Length': 1 }),
    });
    expect([refused.status, errorCode(refused)]).toEqual([429, 'FILE_UPLOADS_TOO_MANY']);
    // Another device of the same user is the same user.
    const other = await s.sessionOf('dev-alice-2');
    const again = await send(s.port, {
      method: 'POST',
      path: '/api/files/uploads',
      headers: tusHeaders(other, { 'Upload-Length': 1 }),
    });
    expect(again.status).toBe(429);
  });

  it('does not let one user pile up uploads no message names, at no cost to their budget', async () => {
    const s = await server();
    const session = await s.sessionOf('dev-alice');
    // An empty upload is finished when created and costs 0 bytes of the user's budget; each one is a record
    // in files/index.json (rewritten and fsynced in full on every change) for 24 hours.
    const tries = 200;
    let refusedAt: number | undefined;
    for (let i = 0; i < tries && refusedAt === undefined; i++) {
      const answer = await send(s.port, {
        method: 'POST',
        path: '/api/files/uploads',
        headers: tusHeaders(session, { 'Upload-Length': 0 }),
      });
      if (answer.status !== 201) {
        expect([answer.status, errorCode(answer)]).toEqual([429, 'FILE_UPLOADS_TOO_MANY']);
        refusedAt = i;
      }
    }
    expect(s.store.bytesOf('alice')).toBe(0);
    expect(refusedAt, `all ${tries} empty uploads were accepted`).toBeDefined();
  });
});

describe('attack: bodies where none belongs, and readers that stop', () => {
  it('a body on a download GET is refused with 413 and the connection closed unread', async () => {
    const s = await server();
    const session = await s.sessionOf('dev-bob');
    for (const framing of ['Content-Length: 100000', 'Transfer-Encoding: chunked']) {
      const conn = await raw(s.port);
      conn.socket.write(
        `GET /api/files/conv-1/1/0 HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Roost-Session ${session}\r\n` +
          `${framing}\r\n\r\n`,
      );
      await conn.closed;
      expect(conn.received()).toMatch(/^HTTP\/1\.1 413 [^]*"code":"BODY_NOT_ALLOWED"/);
    }
  });

  it('a PATCH with another Content-Type is refused (415) and its connection closed unread', async () => {
    const s = await server();
    const session = await s.sessionOf('dev-alice');
    const id = await createUpload(s.port, session, 10);
    const conn = await raw(s.port);
    conn.socket.write(
      `PATCH /api/files/uploads/${id} HTTP/1.1\r\nHost: 127.0.0.1\r\nTus-Resumable: 1.0.0\r\n` +
        `Authorization: Roost-Session ${session}\r\nContent-Type: application/octet-stream\r\n` +
        'Upload-Offset: 0\r\nContent-Length: 10\r\n\r\n01234',
    );
    await conn.closed;
    expect(conn.received()).toMatch(/^HTTP\/1\.1 415 [^]*Connection: close/);
    expect((await head(s.port, session, id)).headers['upload-offset']).toBe('0');
  });

  it('cuts a download whose reader stops reading, after bodyIdleMs', async () => {
    const s = await server({ timeouts: FAST });
    // Larger than what loopback socket buffers absorb, so the hub's writes really stop.
    const bytes = patternBytes(48 * 1024 * 1024, 2);
    await uploadBytes(s.store, 'alice', bytes);
    s.messages.set('conv-1/1', {
      attachments: [{ sha256: sha256Hex(bytes), name: 'big.bin', size: bytes.length, type: 'application/zip' }],
    });
    const session = await s.sessionOf('dev-bob');
    // The hub's side of the download, to wait on its close (the paused client would not see it).
    const served = new Promise<ServerResponse>((resolve) => {
      const track = s.sessions.track.bind(s.sessions);
      vi.spyOn(s.sessions, 'track').mockImplementation((deviceId, res) => {
        resolve(res as ServerResponse);
        return track(deviceId, res);
      });
    });
    const client = new Promise<IncomingMessage>((resolve, reject) => {
      const req = request(
        {
          host: '127.0.0.1',
          port: s.port,
          path: '/api/files/conv-1/1/0',
          agent: false,
          headers: { Authorization: `Roost-Session ${session}` },
        },
        (res) => res.once('data', () => resolve(res.pause())),
      );
      req.on('error', reject);
      req.end();
    });
    const [res, hubSide] = await Promise.all([client, served]);
    const hubClosed = new Promise<void>((resolve) => hubSide.once('close', () => resolve()));
    const deadline = new Promise<'open'>((resolve) => setTimeout(() => resolve('open'), 8000).unref());
    expect(await Promise.race([hubClosed.then(() => 'closed'), deadline])).toBe('closed');
    // Reading again, the client finds the download cut short.
    const ended = new Promise<boolean>((resolve) => res.on('close', () => resolve(res.complete)));
    res.on('error', () => {});
    res.resume();
    expect(await ended).toBe(false);
  });
});

describe('attack: a damaged files/index.json', () => {
  const record = { userId: 'u', deviceId: 'd', length: 1, createdAt: 0, updatedAt: 0, refs: [] };
  const indexes: Array<[what: string, text: string]> = [
    ['not JSON', '{"version": 1, "uploads": {'],
    [
      'an upload id that climbs out of the folder',
      JSON.stringify({ version: 1, uploads: { '../../registry': record } }),
    ],
    [
      'a blob name that climbs out of the folder',
      JSON.stringify({ version: 1, uploads: { AAAAAAAAAAAAAAAAAAAAAA: { ...record, sha256: '../../../etc/passwd' } } }),
    ],
    [
      'a negative length',
      JSON.stringify({ version: 1, uploads: { AAAAAAAAAAAAAAAAAAAAAA: { ...record, length: -5 } } }),
    ],
    ['a future version', JSON.stringify({ version: 99, uploads: {} })],
    ['no uploads', JSON.stringify({ version: 1 })],
  ];

  for (const [what, text] of indexes) {
    it(`with ${what}: the hub refuses to start, names the file and what to do, frees the data dir`, async () => {
      const dataDir = await tempDir();
      const index = path.join(dataDir, 'files', 'index.json');
      await mkdir(path.dirname(index), { recursive: true });
      await writeFile(index, text);
      await expect(startTestHub({ dataDir })).rejects.toThrow(/index\.json is damaged \(.*\)\. Restore it/);
      // Moved away as the message says, the hub starts (the lock was released).
      await rename(index, `${index}.bad`);
      const started = await startTestHub({ dataDir });
      await started.hub.stop();
    });
  }
});
