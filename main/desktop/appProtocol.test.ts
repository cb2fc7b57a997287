import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempDir } from '../hub/testing/tempDir';
import { DESKTOP_CSP, serveAppRequest } from './appProtocol';

let temp: { dir: string; remove(): Promise<void> };
let root: string;

beforeAll(async () => {
  temp = await makeTempDir('roost-app-');
  root = path.join(temp.dir, 'renderer');
  await mkdir(path.join(root, 'assets'), { recursive: true });
  await writeFile(path.join(root, 'index.html'), '<!doctype html><title>Roost</title>');
  await writeFile(path.join(root, 'assets', 'index-abc.js'), 'console.log(1)');
  await writeFile(path.join(temp.dir, 'secret.txt'), 'not for the renderer');
});
afterAll(() => temp.remove());

describe('serveAppRequest', () => {
  it('serves files of the build with the strict CSP', async () => {
    const res = await serveAppRequest(root, { url: 'app://roost/assets/index-abc.js' });
    expect(res.status).toBe(200);
    expect(res.headers['Content-Type']).toBe('text/javascript; charset=utf-8');
    expect(res.headers['Content-Security-Policy']).toBe(DESKTOP_CSP);
    expect(String(res.body)).toBe('console.log(1)');
  });

  it('answers index.html at / and for client-side routes', async () => {
    for (const url of ['app://roost/', 'app://roost/conversations/general', 'app://roost/index.html?x=1#join=t']) {
      const res = await serveAppRequest(root, { url });
      expect(res.status).toBe(200);
      expect(String(res.body)).toContain('<title>Roost</title>');
    }
  });

  it.each([
    'app://roost/../secret.txt',
    'app://roost/%2e%2e/secret.txt',
    'app://roost/..%2fsecret.txt',
    'app://roost/assets/..%2f..%2fsecret.txt',
    'app://roost/%2E%2E%5Csecret.txt',
  ])('never serves outside the build: %s', async (url) => {
    const res = await serveAppRequest(root, { url });
    expect(String(res.body)).not.toContain('not for the renderer');
  });

  it('refuses other hosts, bad encodings, NUL bytes and writes', async () => {
    expect((await serveAppRequest(root, { url: 'app://evil/index.html' })).status).toBe(404);
    expect((await serveAppRequest(root, { url: 'app://roost/%E0%A4%A' })).status).toBe(400);
    expect((await serveAppRequest(root, { url: 'app://roost/index.html%00.png' })).status).toBe(400);
    expect((await serveAppRequest(root, { url: 'app://roost/', method: 'POST' })).status).toBe(405);
  });

  it('lets the renderer reach any hub over TLS, plain HTTP only on loopback, and show fetched pictures', () => {
    const directive = (name: string) =>
      DESKTOP_CSP.split('; ')
        .find((d) => d.startsWith(`${name} `))
        ?.split(' ')
        .slice(1);
    // The hub's files: its origin is not app://roost (appendix F.2); a LAN hub is reached only over https.
    expect(directive('connect-src')).toEqual([
      "'self'",
      'ws:',
      'wss:',
      'https:',
      'http://127.0.0.1:*',
      'http://localhost:*',
    ]);
    expect(directive('img-src')).toContain('blob:');
    expect(directive('default-src')).toEqual(["'self'"]);
  });

  it('says how to fix a missing build', async () => {
    const res = await serveAppRequest(path.join(temp.dir, 'nothing'), { url: 'app://roost/' });
    expect(res.status).toBe(404);
    expect(String(res.body)).toMatch(/build:web/);
  });
});
