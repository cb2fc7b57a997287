import { request } from 'node:http';
import { connect, type Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import { cleanupsAfterEach } from '../testing/cleanups';
import { tempDirsAfterEach } from '../testing/tempDir';
import { createUpload, send, startFileServer, tusHeaders } from './fileServerTestSupport';

/** httpServer.ts with file routes: which methods and bodies get in, and how long a request may take. */

const cleanups = cleanupsAfterEach();
const tempDir = tempDirsAfterEach('roost-http-limits-');

const FAST = { headersTimeoutMs: 300, checkIntervalMs: 50, bodyIdleMs: 400 };

async function server(options: Parameters<typeof startFileServer>[2] = {}) {
  return startFileServer(await tempDir(), cleanups, options);
}

type Raw = { socket: Socket; received: () => string; closed: Promise<void> };

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

function patchHeaders(session: string, offset: number, length: number) {
  return tusHeaders(session, {
    'Content-Type': 'application/offset+octet-stream',
    'Upload-Offset': offset,
    'Content-Length': length,
  });
}

describe('HTTP limits with file routes', () => {
  it('takes POST, PATCH, DELETE and OPTIONS only under /api/files', async () => {
    const s = await server();
    const post = await send(s.port, { method: 'POST', path: '/api/info' });
    expect([post.status, post.headers.allow]).toEqual([405, 'GET, HEAD']);
    const put = await send(s.port, { method: 'PUT', path: '/api/files/uploads' });
    expect([put.status, put.headers.allow]).toEqual([405, 'GET, HEAD, POST, PATCH, DELETE, OPTIONS']);
    expect((await send(s.port, { method: 'OPTIONS', path: '/api/files/uploads' })).status).toBe(204);
    expect((await send(s.port, { method: 'DELETE', path: '/api/files/conv-1/1/0' })).status).toBe(401);
  });

  it('answers a body anywhere but an upload PATCH with 413 at once, without reading it', async () => {
    const s = await server();
    for (const head of [
      'GET /api/info HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 100000\r\n\r\n',
      'POST /api/files/session HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n\r\n',
    ]) {
      const conn = await raw(s.port);
      conn.socket.write(head);
      await conn.closed;
      expect(conn.received()).toMatch(/^HTTP\/1\.1 413 [^]*"code":"BODY_NOT_ALLOWED"/);
    }
  });

  it('refuses an upload from a page of another origin', async () => {
    const s = await server();
    const session = await s.sessionOf('dev-alice');
    const answer = await send(s.port, {
      method: 'POST',
      path: '/api/files/uploads',
      headers: tusHeaders(session, { 'Upload-Length': 1, Origin: 'http://evil.example' }),
    });
    expect([answer.status, answer.text]).toEqual([403, expect.stringContaining('ORIGIN_NOT_ALLOWED')]);
  });

  it('serves no file route over plain HTTP from the LAN', async () => {
    const s = await server({ loopbackIsLan: true });
    const answer = await send(s.port, { method: 'OPTIONS', path: '/api/files/uploads' });
    expect([answer.status, answer.text]).toEqual([426, expect.stringContaining('TLS_REQUIRED')]);
  });

  it('cuts a PATCH body that stalls for bodyIdleMs; what arrived stays and the upload goes on from it', async () => {
    const s = await server({ timeouts: FAST });
    const session = await s.sessionOf('dev-alice');
    const id = await createUpload(s.port, session, 1000);
    const path = `/api/files/uploads/${id}`;
    const stalled = request({ host: '127.0.0.1', port: s.port, method: 'PATCH', path, agent: false });
    for (const [name, value] of Object.entries(patchHeaders(session, 0, 1000))) stalled.setHeader(name, value);
    const outcome = new Promise<string>((resolve) => {
      stalled.on('response', (res) => resolve(`answered ${res.statusCode}`));
      stalled.on('error', () => resolve('cut'));
    });
    stalled.write(Buffer.alloc(400, 1));
    expect(await outcome).toBe('cut');
    const head = await send(s.port, { method: 'HEAD', path, headers: tusHeaders(session) });
    expect(head.headers['upload-offset']).toBe('400');
    const rest = await send(s.port, {
      method: 'PATCH',
      path,
      headers: patchHeaders(session, 400, 600),
      body: Buffer.alloc(600, 2),
    });
    expect([rest.status, rest.headers['upload-offset']]).toEqual([204, '1000']);
  });

  it('lets a slow upload that keeps moving run past headersTimeoutMs: no whole-request limit', async () => {
    const s = await server({ timeouts: FAST });
    const session = await s.sessionOf('dev-alice');
    const chunks = 12;
    const id = await createUpload(s.port, session, chunks * 10);
    const slow = request({
      host: '127.0.0.1',
      port: s.port,
      method: 'PATCH',
      path: `/api/files/uploads/${id}`,
      agent: false,
    });
    for (const [name, value] of Object.entries(patchHeaders(session, 0, chunks * 10))) slow.setHeader(name, value);
    const answer = new Promise<number>((resolve, reject) => {
      slow.on('response', (res) => resolve(res.statusCode ?? 0));
      slow.on('error', reject);
    });
    // A client on a slow link: 10 bytes every 50 ms, 600 ms in all (twice the headers timeout).
    let sent = 0;
    const trickle = setInterval(() => {
      sent++;
      if (sent < chunks) return void slow.write(Buffer.alloc(10, sent));
      clearInterval(trickle);
      slow.end(Buffer.alloc(10, sent));
    }, 50);
    cleanups.push(() => clearInterval(trickle));
    expect(await answer).toBe(204);
  });

  it('still drops a request whose headers are slow, on a file path too, within headersTimeoutMs', async () => {
    const s = await server({ timeouts: FAST });
    const half = await raw(s.port);
    half.socket.write('PATCH /api/files/uploads/AAAAAAAAAAAAAAAAAAAAAA HTTP/1.1\r\nHost: 127.0.0.1\r\n');
    const deadline = new Promise<'late'>((resolve) => setTimeout(() => resolve('late'), 3000).unref());
    expect(await Promise.race([half.closed, deadline])).not.toBe('late');
    expect(half.received()).toMatch(/^HTTP\/1\.1 408 /);
  });
});
