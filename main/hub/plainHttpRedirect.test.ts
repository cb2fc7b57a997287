import { createHash } from 'node:crypto';
import { Script } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { cleanupsAfterEach } from './testing/cleanups';
import { httpGet } from './testing/httpGet';
import { startTestHub } from './testing/testHub';

const cleanups = cleanupsAfterEach();

/**
 * The page at the hub's old http:// origin also moves browser devices paired there (plainHttpMigrationScript.ts):
 * its one script must be the one its CSP allows, and it offers the move at the https address of the same host.
 */
describe('the page plain HTTP from the LAN gets', () => {
  it('carries the move script, allowed by its hash alone, and the way to the encrypted address', async () => {
    const started = await startTestHub({ tls: { loopbackIsLan: true } });
    cleanups.push(started.cleanup);
    const page = await httpGet(started.hub.port, '/some/page');
    const scripts = [...page.body.matchAll(/<script>([\s\S]*?)<\/script>/g)].map((m) => m[1]!);
    expect(scripts).toHaveLength(1);
    expect(() => new Script(scripts[0]!)).not.toThrow();
    const hash = `sha256-${createHash('sha256').update(scripts[0]!).digest('base64')}`;
    const csp = String(page.headers['content-security-policy']);
    expect(csp).toContain(`script-src '${hash}';`);
    expect(csp).not.toMatch(/unsafe|script-src[^;]*https?:/);
    expect(page.body).toContain(`data-https="https://127.0.0.1:${started.hub.port}/"`);
    expect(page.body).toContain(`href="https://127.0.0.1:${started.hub.port}/#migrate"`);
    // The data goes only to the https origin of this host, and the database is never created by a visit.
    expect(scripts[0]).toContain('postMessage(message, target)');
    expect(scripts[0]).toContain('req.transaction.abort()');
  });
});
