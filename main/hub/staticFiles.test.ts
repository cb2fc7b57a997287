import { mkdir, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
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

  it('keeps /api/info and the WebSocket path for the hub', async () => {
    expect((await get('/api/info')).headers['content-type']).toContain('application/json');
  });
});
