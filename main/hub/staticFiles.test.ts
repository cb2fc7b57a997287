import { mkdir, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Hub } from './Hub';
import { createStaticHandler } from './staticFiles';
import { httpGet } from './testing/httpGet';
import { makeTempDir } from './testing/tempDir';
import { startTestHub } from './testing/testHub';

let hub: Hub;
let stopAll: () => Promise<void>;

beforeAll(async () => {
  const web = await makeTempDir('roost-web-');
  await mkdir(path.join(web.dir, 'assets'));
  await writeFile(path.join(web.dir, 'index.html'), '<!doctype html><title>Roost</title>');
  await writeFile(path.join(web.dir, 'assets', 'app-abc123.js'), 'console.log(1)');
  const started = await startTestHub({ serveStatic: createStaticHandler(web.dir) });
  hub = started.hub;
  stopAll = async () => {
    await started.cleanup();
    await web.remove();
  };
});
afterAll(() => stopAll());

const get = (p: string) => httpGet(hub.port, p);

describe('serving the web client', () => {
  it('serves index.html with a strict CSP and revalidation', async () => {
    const res = await get('/');
    expect(res.status).toBe(200);
    expect(res.body).toContain('<title>Roost</title>');
    expect(res.headers['cache-control']).toBe('no-cache');
    const csp = String(res.headers['content-security-policy']);
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).not.toContain('unsafe-eval');
    expect(csp).toContain(`connect-src 'self' ws://127.0.0.1:${hub.port}`);
  });

  it('caches hashed assets for good and falls back to index.html for app routes', async () => {
    const asset = await get('/assets/app-abc123.js');
    expect(asset.headers['cache-control']).toContain('immutable');
    expect(asset.headers['content-type']).toContain('text/javascript');
    expect((await get('/conversations/general')).body).toContain('<title>Roost</title>');
  });

  it('never serves files outside the build folder', async () => {
    for (const p of ['/../package.json', '/%2e%2e/package.json', '/assets/../../registry.json']) {
      const res = await get(p);
      expect(res.body).not.toContain('"name"');
    }
  });

  it('refuses with the same JSON errors as the rest of the hub', async () => {
    const empty = await makeTempDir('roost-web-empty-');
    const server = createServer(createStaticHandler(empty.dir));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const missing = await httpGet((server.address() as AddressInfo).port, '/');
      expect(missing.status).toBe(404);
      expect(missing.headers['content-type']).toContain('application/json');
      expect(JSON.parse(missing.body)).toMatchObject({ error: { code: 'NOT_FOUND' } });
      // A refusal carries the same security headers as a page.
      expect(missing.headers).toMatchObject({ 'referrer-policy': 'no-referrer', 'x-frame-options': 'DENY' });
    } finally {
      server.close();
      await empty.remove();
    }
    const malformed = await get('/%E0%A4%A');
    expect(malformed.status).toBe(400);
    expect(JSON.parse(malformed.body)).toMatchObject({ error: { code: 'BAD_REQUEST' } });
  });

  // Each passes the Host check (its host part is localhost or an IP literal) but is no host.
  it.each([
    "localhost:1; script-src * 'unsafe-inline'",
    "[::1]'unsafe-inline'",
    'localhost:1 *',
    'localhost:"x"',
    'localhost:1\tws://evil.example',
    '[::1]:1;default-src *',
    'localhost:65536',
    '127.0.0.1:1,evil.example',
    '[fe80::1%eth0]:1',
  ])('builds the CSP from a validated host only: Host %j is refused', async (host) => {
    const answer = await rawGet(hub.port, host);
    expect(answer.status).toBeGreaterThanOrEqual(400);
    expect(answer.csp).toBeUndefined();
    expect(JSON.parse(answer.body)).toMatchObject({
      error: { code: expect.stringMatching(/^(BAD_REQUEST|HOST_NOT_ALLOWED)$/) },
    });
  });

  // Node's HTTP parser already refuses these; kept so a parser change cannot open the hole.
  it('never lets a line break in Host reach the CSP', async () => {
    for (const host of ['localhost:1\r\n script-src *', 'localhost:1\n\tscript-src *']) {
      const answer = await rawGet(hub.port, host);
      expect(answer.status).toBe(400);
      expect(answer.csp).toBeUndefined();
    }
  });

  it('writes the validated host in canonical form', async () => {
    const answer = await rawGet(hub.port, `LocalHost:${hub.port}`);
    expect(answer.status).toBe(200);
    expect(answer.csp).toContain(`connect-src 'self' ws://localhost:${hub.port} wss://localhost:${hub.port};`);
    const v6 = await rawGet(hub.port, `[::1]:${hub.port}`);
    expect(v6.csp).toContain(`ws://[::1]:${hub.port} `);
  });

  it('keeps /api/info and the WebSocket path for the hub', async () => {
    expect((await get('/api/info')).headers['content-type']).toContain('application/json');
  });
});

/** A GET written byte for byte, so the Host header can hold what http.request would refuse to send. */
function rawGet(port: number, host: string): Promise<{ status: number; csp: string | undefined; body: string }> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () =>
      socket.write(`GET / HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`),
    );
    let text = '';
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => (text += chunk));
    socket.on('error', reject);
    socket.on('close', () => {
      const [head = '', body = ''] = text.split('\r\n\r\n');
      const lines = head.split('\r\n');
      const csp = lines.find((l) => l.toLowerCase().startsWith('content-security-policy:'));
      resolve({ status: Number(lines[0]?.split(' ')[1]), csp: csp?.slice(csp.indexOf(':') + 1).trim(), body });
    });
  });
}
