import { request, type ServerResponse } from 'node:http';
import { Upload } from 'tus-js-client';
import { describe, expect, it, vi } from 'vitest';
import { cleanupsAfterEach } from '../testing/cleanups';
import { tempDirsAfterEach } from '../testing/tempDir';
import { createUpload, cuttingRelay, send, startFileServer, tusHeaders } from './fileServerTestSupport';
import { patternBytes, sha256Hex, uploadBytes } from './fileTestSupport';

const cleanups = cleanupsAfterEach();
const tempDir = tempDirsAfterEach('roost-file-routes-');

async function server(options: Parameters<typeof startFileServer>[2] = {}) {
  return startFileServer(await tempDir(), cleanups, options);
}

type TusResult = { url: string };

/** tus-js-client in Node, as a desktop or native client would use it. */
function tusUpload(port: number, session: string, bytes: Buffer, options: Record<string, unknown> = {}) {
  return new Promise<TusResult>((resolve, reject) => {
    const upload: Upload = new Upload(bytes, {
      endpoint: `http://127.0.0.1:${port}/api/files/uploads`,
      headers: { Authorization: `Roost-Session ${session}` },
      retryDelays: [0, 10, 50, 100, 200],
      ...options,
      onError: reject,
      onSuccess: () => resolve({ url: upload.url ?? '' }),
    });
    upload.start();
  });
}

function errorCode(text: string): string {
  return (JSON.parse(text) as { error: { code: string } }).error.code;
}

describe('file sessions', () => {
  it('a ticket opens one session; the cookie is HttpOnly, Secure, SameSite=Strict, on /api/files', async () => {
    const s = await server();
    const { ticket, expiresAt } = s.tickets.issue('dev-alice', 'alice');
    const post = () =>
      send(s.port, { method: 'POST', path: '/api/files/session', headers: { 'Roost-Ticket': ticket } });
    const opened = await post();
    expect(opened.status).toBe(200);
    expect(JSON.parse(opened.text)).toEqual({ expiresAt: expect.any(Number) as number });
    const cookie = String(opened.headers['set-cookie']);
    expect(cookie).toMatch(
      /^roost-files=[A-Za-z0-9_-]{43}; Path=\/api\/files; HttpOnly; Secure; SameSite=Strict; Max-Age=43200$/,
    );
    expect(expiresAt).toBe(s.clock.now + 60_000);
    const again = await post();
    expect([again.status, errorCode(again.text)]).toEqual([401, 'FILE_SESSION_INVALID']);
    const id = await uploadBytes(s.store, 'alice', Buffer.from('x'));
    const head = await send(s.port, {
      method: 'HEAD',
      path: `/api/files/uploads/${id}`,
      headers: { 'Tus-Resumable': '1.0.0', Cookie: `other=1; ${cookie.split(';')[0]}` },
    });
    expect(head.status).toBe(200);
  });

  it('header mode gives the session in the body, no cookie; expired tickets and sessions get 401', async () => {
    const s = await server();
    const { ticket } = s.tickets.issue('dev-alice', 'alice');
    const headers = { 'Roost-Ticket': ticket, 'Roost-Session': 'header' };
    const opened = await send(s.port, { method: 'POST', path: '/api/files/session', headers });
    expect(opened.headers['set-cookie']).toBeUndefined();
    const { session } = JSON.parse(opened.text) as { session: string };
    expect(session).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const options = { method: 'OPTIONS', path: '/api/files/uploads' };
    expect((await send(s.port, options)).headers['tus-max-size']).toBe(String(s.store.limits.maxFileBytes));
    const create = () =>
      send(s.port, {
        method: 'POST',
        path: '/api/files/uploads',
        headers: tusHeaders(session, { 'Upload-Length': 1 }),
      });
    expect((await create()).status).toBe(201);
    const late = s.tickets.issue('dev-alice', 'alice');
    s.clock.now += 60_000;
    const expired = await send(s.port, {
      method: 'POST',
      path: '/api/files/session',
      headers: { 'Roost-Ticket': late.ticket },
    });
    expect(expired.status).toBe(401);
    s.clock.now += 12 * 60 * 60 * 1000;
    const gone = await create();
    expect([gone.status, errorCode(gone.text), gone.headers['tus-resumable']]).toEqual([
      401,
      'FILE_SESSION_INVALID',
      '1.0.0',
    ]);
  });

  it('a removed device is refused at once, and its upload in flight is cut; what arrived stays', async () => {
    const s = await server();
    const session = await s.sessionOf('dev-alice');
    const id = await createUpload(s.port, session, 1000);
    const tracked = new Promise<void>((resolve) => {
      const track = s.sessions.track.bind(s.sessions);
      vi.spyOn(s.sessions, 'track').mockImplementation((deviceId, res) => {
        if ((res as ServerResponse).req.method === 'PATCH') resolve();
        return track(deviceId, res);
      });
    });
    const patch = request({
      host: '127.0.0.1',
      port: s.port,
      method: 'PATCH',
      path: `/api/files/uploads/${id}`,
      agent: false,
      headers: tusHeaders(session, { 'Content-Type': 'application/offset+octet-stream', 'Upload-Offset': 0 }),
    });
    patch.setHeader('Content-Length', 1000);
    const outcome = new Promise<string>((resolve) => {
      patch.on('response', (res) => resolve(`answered ${res.statusCode}`));
      patch.on('error', (err) => resolve(`cut: ${err.message}`));
    });
    patch.write(Buffer.alloc(100, 7));
    await tracked;
    s.removeDevice('dev-alice');
    expect(await outcome).toMatch(/^cut: /);
    const refused = await send(s.port, {
      method: 'HEAD',
      path: `/api/files/uploads/${id}`,
      headers: tusHeaders(session),
    });
    expect(refused.status).toBe(401);
    // Alice's other device continues the same upload from what is durable.
    const other = await s.sessionOf('dev-alice-2');
    const head = await send(s.port, { method: 'HEAD', path: `/api/files/uploads/${id}`, headers: tusHeaders(other) });
    expect(head.status).toBe(200);
    expect(Number(head.headers['upload-offset'])).toBeLessThanOrEqual(100);
  });
});

describe('tus uploads', () => {
  it('tus-js-client uploads a file and the hub stores exactly its bytes', async () => {
    const s = await server();
    const bytes = patternBytes(3 * 1024 * 1024 + 17);
    const { url } = await tusUpload(s.port, await s.sessionOf('dev-alice'), bytes);
    const uploadId = url.split('/').pop() ?? '';
    expect(uploadId).toMatch(/^[A-Za-z0-9_-]{22}$/);
    await s.store.claim('alice', 'k', [{ uploadId, sha256: sha256Hex(bytes), size: bytes.length }]);
  });

  it('tus-js-client resumes where the hub is after the connection is cut mid-file', async () => {
    const s = await server();
    const bytes = patternBytes(4 * 1024 * 1024);
    const offsets: number[] = [];
    const append = s.store.append.bind(s.store);
    vi.spyOn(s.store, 'append').mockImplementation((...args) => {
      offsets.push(args[2]);
      return append(...args);
    });
    const relay = await cuttingRelay(s.port, 1024 * 1024, cleanups);
    const uploaded = tusUpload(relay.port, await s.sessionOf('dev-alice'), bytes);
    await relay.cut;
    const { url } = await uploaded;
    // The first PATCH from 0, then from what arrived before the cut, not from 0 again.
    expect(offsets[0]).toBe(0);
    expect(offsets.at(-1)).toBeGreaterThan(512 * 1024);
    const uploadId = url.split('/').pop() ?? '';
    await s.store.claim('alice', 'k', [{ uploadId, sha256: sha256Hex(bytes), size: bytes.length }]);
  });

  it('HEAD gives the offset, a PATCH at another offset is 409, Tus-Resumable is required', async () => {
    const s = await server();
    const session = await s.sessionOf('dev-alice');
    const id = await createUpload(s.port, session, 10);
    const path = `/api/files/uploads/${id}`;
    const patch = (offset: number, body: Buffer, extra: Record<string, string> = {}) =>
      send(s.port, {
        method: 'PATCH',
        path,
        headers: tusHeaders(session, {
          'Content-Type': 'application/offset+octet-stream',
          'Upload-Offset': offset,
          ...extra,
        }),
        body,
      });
    const first = await patch(0, Buffer.from('hello'));
    expect([first.status, first.headers['upload-offset'], first.headers['tus-resumable']]).toEqual([204, '5', '1.0.0']);
    const head = await send(s.port, { method: 'HEAD', path, headers: tusHeaders(session) });
    expect(head.headers).toMatchObject({ 'upload-offset': '5', 'upload-length': '10', 'cache-control': 'no-store' });
    const wrong = await patch(3, Buffer.from('xx'));
    expect([wrong.status, errorCode(wrong.text)]).toEqual([409, 'FILE_OFFSET_MISMATCH']);
    // The unread body is not left for the next request on this connection.
    expect(wrong.headers.connection).toBe('close');
    const tooLong = await patch(5, Buffer.from('world!'));
    expect([tooLong.status, errorCode(tooLong.text)]).toEqual([400, 'BAD_REQUEST']);
    const noTus = await send(s.port, { method: 'HEAD', path, headers: { Authorization: `Roost-Session ${session}` } });
    expect([noTus.status, noTus.headers['tus-version']]).toEqual([412, '1.0.0']);
    const bob = await s.sessionOf('dev-bob');
    expect((await send(s.port, { method: 'HEAD', path, headers: tusHeaders(bob) })).status).toBe(404);
    expect((await patch(5, Buffer.from('world'))).status).toBe(204);
    const deleted = await send(s.port, { method: 'DELETE', path, headers: tusHeaders(session) });
    expect(deleted.status).toBe(204);
    expect((await send(s.port, { method: 'HEAD', path, headers: tusHeaders(session) })).status).toBe(404);
  });

  it('refusals at creation carry their status and code', async () => {
    const s = await server({ store: { limits: { maxFileBytes: 100, userBytes: 150, maxIncompletePerUser: 1 } } });
    const session = await s.sessionOf('dev-alice');
    const create = async (length: number) => {
      const answer = await send(s.port, {
        method: 'POST',
        path: '/api/files/uploads',
        headers: tusHeaders(session, { 'Upload-Length': length }),
      });
      return [answer.status, answer.status === 201 ? '' : errorCode(answer.text)];
    };
    expect(await create(101)).toEqual([413, 'FILE_TOO_LARGE']);
    expect(await create(100)).toEqual([201, '']);
    expect(await create(10)).toEqual([429, 'FILE_UPLOADS_TOO_MANY']);
    await uploadBytes(s.store, 'bob', patternBytes(100));
    s.disk.free = 0;
    const bob = await s.sessionOf('dev-bob');
    const full = await send(s.port, {
      method: 'POST',
      path: '/api/files/uploads',
      headers: tusHeaders(bob, { 'Upload-Length': 10 }),
    });
    expect([full.status, errorCode(full.text)]).toEqual([507, 'HUB_STORAGE_FULL']);
  });
});

describe('downloads', () => {
  const PNG = Buffer.concat([Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex'), patternBytes(100)]);
  const HTML = Buffer.from('<html><script>alert(1)</script></html>');

  async function withFiles() {
    const s = await server();
    const files = [
      { bytes: PNG, name: 'cat.png', type: 'image/png' },
      { bytes: HTML, name: 'fake.png', type: 'image/png' },
      { bytes: HTML, name: 'Résumé "final"\\x.html', type: 'text/html' },
    ];
    const attachments = [];
    for (const f of files) {
      await uploadBytes(s.store, 'alice', f.bytes);
      attachments.push({ sha256: sha256Hex(f.bytes), name: f.name, size: f.bytes.length, type: f.type });
    }
    s.messages.set('conv-1/1', { attachments });
    s.messages.set('conv-1/2', { deleted: true, attachments });
    const session = await s.sessionOf('dev-bob');
    const get = (path: string, headers: Record<string, string> = {}, method = 'GET') =>
      send(s.port, { method, path, headers: { Authorization: `Roost-Session ${session}`, ...headers } });
    return { ...s, get };
  }

  it('serves an image inline only when its bytes are the declared type; anything else as an attachment', async () => {
    const s = await withFiles();
    const png = await s.get('/api/files/conv-1/1/0');
    expect(png.status).toBe(200);
    expect(png.body).toEqual(PNG);
    expect(png.headers).toMatchObject({
      'content-type': 'image/png',
      'content-disposition': 'inline',
      'x-content-type-options': 'nosniff',
      'content-security-policy': "default-src 'none'; sandbox",
      'accept-ranges': 'bytes',
      etag: `"${sha256Hex(PNG)}"`,
      'cache-control': 'private, max-age=3600',
    });
    const fake = await s.get('/api/files/conv-1/1/1');
    expect(fake.headers['content-type']).toBe('application/octet-stream');
    expect(fake.headers['content-disposition']).toBe(`attachment; filename="fake.png"; filename*=UTF-8''fake.png`);
    const html = await s.get('/api/files/conv-1/1/2');
    expect(html.headers).toMatchObject({
      'content-type': 'application/octet-stream',
      'x-content-type-options': 'nosniff',
    });
    expect(html.headers['content-disposition']).toBe(
      `attachment; filename="R_sum_ _final__x.html"; filename*=UTF-8''R%C3%A9sum%C3%A9%20%22final%22_x.html`,
    );
    expect(html.body).toEqual(HTML);
  });

  it('answers a range with 206, an unsatisfiable one 416, HEAD without a body, a known ETag 304', async () => {
    const s = await withFiles();
    const path = '/api/files/conv-1/1/0';
    const part = await s.get(path, { Range: 'bytes=2-5' });
    expect([part.status, part.headers['content-range'], part.body]).toEqual([
      206,
      `bytes 2-5/${PNG.length}`,
      PNG.subarray(2, 6),
    ]);
    const tail = await s.get(path, { Range: 'bytes=-3' });
    expect([tail.status, tail.body]).toEqual([206, PNG.subarray(-3)]);
    const beyond = await s.get(path, { Range: `bytes=${PNG.length}-` });
    expect([beyond.status, beyond.headers['content-range']]).toEqual([416, `bytes */${PNG.length}`]);
    const head = await s.get(path, {}, 'HEAD');
    expect([head.status, head.headers['content-length'], head.body.length]).toEqual([200, String(PNG.length), 0]);
    expect((await s.get(path, { 'If-None-Match': `"${sha256Hex(PNG)}"` })).status).toBe(304);
  });

  it('gives the same 404 to a non-member, for a deleted message, a missing file or message', async () => {
    const s = await withFiles();
    const carol = await s.sessionOf('dev-carol');
    const asCarol = await send(s.port, {
      method: 'GET',
      path: '/api/files/conv-1/1/0',
      headers: { Authorization: `Roost-Session ${carol}` },
    });
    const answers = [
      asCarol,
      await s.get('/api/files/conv-1/2/0'),
      await s.get('/api/files/conv-1/1/3'),
      await s.get('/api/files/conv-1/9/0'),
      await s.get('/api/files/conv-2/1/0'),
    ];
    for (const answer of answers) expect([answer.status, answer.text]).toEqual([404, answers[0]!.text]);
    expect(errorCode(answers[0]!.text)).toBe('FILE_NOT_FOUND');
    expect((await s.get('/api/files/conv-1/1/0', { Authorization: 'Roost-Session nope' })).status).toBe(401);
  });
});
