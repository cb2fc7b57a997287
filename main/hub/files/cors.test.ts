import type { IncomingHttpHeaders } from 'node:http';
import { describe, expect, it } from 'vitest';
import { DESKTOP_ORIGIN } from '../../../shared/protocol';
import { cleanupsAfterEach } from '../testing/cleanups';
import { tempDirsAfterEach } from '../testing/tempDir';
import { send, startFileServer, tusHeaders, type Answer } from './fileServerTestSupport';
import { patternBytes, sha256Hex, uploadBytes } from './fileTestSupport';

/**
 * CORS on /api/files over the hub's real HTTP server: the desktop renderer (app://roost) may preflight and
 * read every answer; any other origin gets no CORS header at all, so a browser hides the answers from it.
 */

const cleanups = cleanupsAfterEach();
const tempDir = tempDirsAfterEach('roost-file-cors-');

const PNG = Buffer.concat([Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex'), patternBytes(100)]);
const OTHER_ORIGINS = ['https://evil.example', 'null', 'http://127.0.0.1:9999', 'app://roost.evil'];

async function server() {
  const s = await startFileServer(await tempDir(), cleanups);
  await uploadBytes(s.store, 'alice', PNG);
  s.messages.set('conv-1/1', {
    attachments: [{ sha256: sha256Hex(PNG), name: 'cat.png', size: PNG.length, type: 'image/png' }],
  });
  return s;
}

function corsHeaders(headers: IncomingHttpHeaders): string[] {
  return Object.keys(headers).filter((name) => name.startsWith('access-control-'));
}

function preflight(port: number, path: string, origin: string, method: string): Promise<Answer> {
  return send(port, {
    method: 'OPTIONS',
    path,
    headers: {
      Origin: origin,
      'Access-Control-Request-Method': method,
      'Access-Control-Request-Headers': 'authorization,tus-resumable,upload-length',
    },
  });
}

const PATHS = [
  '/api/files/session',
  '/api/files/uploads',
  '/api/files/uploads/AAAAAAAAAAAAAAAAAAAAAA',
  '/api/files/conv-1/1/0',
];

describe('CORS for the desktop renderer', () => {
  it.each(PATHS)('answers its preflight for %s, without credentials', async (path) => {
    const s = await server();
    const answer = await preflight(s.port, path, DESKTOP_ORIGIN, 'PATCH');
    expect(answer.status).toBe(204);
    expect(answer.headers['access-control-allow-origin']).toBe(DESKTOP_ORIGIN);
    expect(answer.headers['access-control-allow-methods']).toBe('GET, HEAD, POST, PATCH, DELETE');
    expect(String(answer.headers['access-control-allow-headers']).split(', ')).toEqual([
      'Authorization',
      'Tus-Resumable',
      'Upload-Length',
      'Upload-Offset',
      'Upload-Metadata',
      'Content-Type',
      'Roost-Ticket',
      'Roost-Session',
      'Range',
    ]);
    expect(Number(answer.headers['access-control-max-age'])).toBeGreaterThan(0);
    expect(answer.headers['access-control-allow-credentials']).toBeUndefined();
    expect(answer.headers.vary).toBe('Origin');
  });

  it('lets it open a header session, upload by tus and download, and read every answer', async () => {
    const s = await server();
    const { ticket } = s.tickets.issue('dev-alice', 'alice');
    const origin = { Origin: DESKTOP_ORIGIN };
    const opened = await send(s.port, {
      method: 'POST',
      path: '/api/files/session',
      headers: { ...origin, 'Roost-Ticket': ticket, 'Roost-Session': 'header' },
    });
    expect(opened.status).toBe(200);
    expect(opened.headers['set-cookie']).toBeUndefined();
    const { session } = JSON.parse(opened.text) as { session: string };

    const created = await send(s.port, {
      method: 'POST',
      path: '/api/files/uploads',
      headers: { ...origin, ...tusHeaders(session, { 'Upload-Length': 3 }) },
    });
    expect(created.status).toBe(201);
    const patched = await send(s.port, {
      method: 'PATCH',
      path: String(created.headers.location),
      headers: {
        ...origin,
        ...tusHeaders(session, { 'Upload-Offset': 0, 'Content-Type': 'application/offset+octet-stream' }),
      },
      body: Buffer.from('abc'),
    });
    expect(patched.status).toBe(204);
    const tusOptions = await send(s.port, { method: 'OPTIONS', path: '/api/files/uploads', headers: origin });
    expect(tusOptions.headers['tus-version']).toBe('1.0.0');
    const download = await send(s.port, {
      method: 'GET',
      path: '/api/files/conv-1/1/0',
      headers: { ...origin, Authorization: `Roost-Session ${session}`, Range: 'bytes=0-9' },
    });
    expect(download.status).toBe(206);
    const refused = await send(s.port, { method: 'GET', path: '/api/files/conv-1/1/0', headers: origin });
    expect(refused.status).toBe(401);

    for (const answer of [opened, created, patched, tusOptions, download, refused]) {
      expect(answer.headers['access-control-allow-origin']).toBe(DESKTOP_ORIGIN);
      expect(answer.headers['access-control-allow-credentials']).toBeUndefined();
      expect(answer.headers.vary).toBe('Origin');
    }
    const exposed = String(created.headers['access-control-expose-headers']).split(', ');
    for (const name of ['Location', 'Upload-Offset', 'Tus-Resumable', 'Content-Range', 'Content-Disposition', 'ETag'])
      expect(exposed).toContain(name);
  });
});

describe('CORS for any other origin', () => {
  it.each(OTHER_ORIGINS)('%s cannot preflight', async (origin) => {
    const s = await server();
    for (const path of PATHS) {
      const answer = await preflight(s.port, path, origin, 'GET');
      expect(answer.status).toBe(403);
      expect(corsHeaders(answer.headers)).toEqual([]);
    }
  });

  it.each(OTHER_ORIGINS)('%s gets no CORS header on any answer, even with a valid session', async (origin) => {
    const s = await server();
    const session = await s.sessionOf('dev-bob');
    const answers = [
      await send(s.port, {
        method: 'GET',
        path: '/api/files/conv-1/1/0',
        headers: { Origin: origin, Authorization: `Roost-Session ${session}` },
      }),
      await send(s.port, { method: 'GET', path: '/api/files/conv-1/1/0', headers: { Origin: origin } }),
      await send(s.port, { method: 'OPTIONS', path: '/api/files/uploads', headers: { Origin: origin } }),
      await send(s.port, {
        method: 'POST',
        path: '/api/files/uploads',
        headers: { Origin: origin, ...tusHeaders(session, { 'Upload-Length': 3 }) },
      }),
    ];
    expect(answers.map((a) => a.status)).toEqual([200, 401, 204, 403]);
    for (const answer of answers) expect(corsHeaders(answer.headers)).toEqual([]);
  });

  it('a native client (no Origin) gets none either', async () => {
    const s = await server();
    const session = await s.sessionOf('dev-bob');
    const answer = await send(s.port, {
      method: 'GET',
      path: '/api/files/conv-1/1/0',
      headers: { Authorization: `Roost-Session ${session}` },
    });
    expect(answer.status).toBe(200);
    expect(corsHeaders(answer.headers)).toEqual([]);
  });
});
