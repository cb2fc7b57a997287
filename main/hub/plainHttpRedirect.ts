import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { formatIdentity } from '../../shared/protocol';
import { formatHost, parseHostHeader } from './hostHeader';
import { MIGRATION_SCRIPT, MIGRATION_SCRIPT_HASH } from './plainHttpMigrationScript';
import { SECURITY_HEADERS } from './securityHeaders';

/**
 * What plain HTTP from the LAN gets when the owner has not allowed it: a page
 * that sends the person to the HTTPS address, says why the browser will warn,
 * and shows what to compare. The page itself came in clear, so an attacker in
 * the middle could change it; it says so (docs/THREAT-MODEL.md). Served at
 * the hub's old http:// origin, it also moves a browser device paired there
 * to the https one (plainHttpMigrationScript.ts).
 */
export function sendToHttps(req: IncomingMessage, res: ServerResponse, path: string, identity: PageIdentity): void {
  const https = httpsUrl(req);
  if (path.startsWith('/api/') || path === '/ws') {
    const failure = tlsRequired(req);
    const body = JSON.stringify({ error: { code: failure.code, message: failure.message } });
    res.writeHead(failure.status, { ...SECURITY_HEADERS, 'Content-Type': 'application/json; charset=utf-8' });
    return void res.end(body);
  }
  const html = page(https, identity);
  res.writeHead(200, {
    ...SECURITY_HEADERS,
    'Content-Type': 'text/html; charset=utf-8',
    'Content-Length': Buffer.byteLength(html),
    'Cache-Control': 'no-store',
    'Content-Security-Policy':
      `default-src 'none'; style-src '${STYLE_HASH}'; script-src '${MIGRATION_SCRIPT_HASH}'; ` +
      "base-uri 'none'; form-action 'none'",
  });
  res.end(req.method === 'HEAD' ? undefined : html);
}

/** `fingerprint`: publicKeyFingerprint (identityKey.ts). */
export type PageIdentity = { identity: string; fingerprint: string };

/** For an API request or an upgrade over plain HTTP from the LAN. */
export function tlsRequired(req: IncomingMessage): { status: 426; code: 'TLS_REQUIRED'; message: string } {
  const https = httpsUrl(req);
  const where = https ? ` Use ${https}` : ' Use https:// with the same address and port.';
  return { status: 426, code: 'TLS_REQUIRED', message: `This hub takes only encrypted connections.${where}` };
}

/** Built from the validated Host header only (hostHeader.ts): nothing else from the request reaches the page. */
function httpsUrl(req: IncomingMessage): string | undefined {
  const host = parseHostHeader(req.headers.host);
  return host ? `https://${formatHost(host)}/` : undefined;
}

const STYLE = [
  'body{font:16px/1.5 system-ui,sans-serif;max-width:36rem;margin:2rem auto;padding:0 1rem;color:#1a1a1a}',
  '.id{font:600 1rem ui-monospace,monospace;word-break:break-all;background:#f1f1f1;padding:.5rem}',
  'a.go{display:inline-block;background:#1f5fbf;color:#fff;padding:.6rem 1rem;border-radius:.4rem}',
  '.move{border:2px solid #1f5fbf;border-radius:.4rem;padding:0 1rem 1rem}',
  '@media (prefers-color-scheme:dark){body{background:#161616;color:#eee}.id{background:#2a2a2a}',
  'a{color:#8ab4ff}.move{border-color:#8ab4ff}}',
].join('');
const STYLE_HASH = `sha256-${createHash('sha256').update(STYLE).digest('base64')}`;

/** `https` is built from the validated Host header only, so it holds no quote or angle bracket. */
function page(https: string | undefined, { identity, fingerprint }: PageIdentity): string {
  const link = https
    ? `<p><a class="go" href="${https}">Open ${https}</a></p>`
    : '<p>Open this address again with <b>https://</b> in front.</p>';
  return `<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1"><title>Open Roost securely</title>
<style>${STYLE}</style></head><body><main${https ? ` data-https="${https}"` : ''}>
<h1>Open Roost securely</h1>
<p>This hub encrypts everything between your devices and itself, so it answers only at its HTTPS address.</p>
<p id="migrate-status" role="status" hidden></p>
${https ? moveSection(https) : ''}
${link}
<h2>Your browser will warn you first</h2>
<p>The hub made its own certificate: no public authority signed it, so the browser says the connection is not
private. That is expected here. Before you continue past the warning, check that you reached your hub: in the
warning, open the certificate's details and compare its public key's SHA-256 fingerprint with the one shown by
the hub itself (the Roost app's This hub screen, or the window where the hub was started):</p>
<p class="id">${fingerprint}</p>
<p>The hub's identity, as the Roost apps show it: <span class="id">${formatIdentity(identity)}</span></p>
<p>If they differ, stop: someone on this network may be pretending to be your hub. This page came unencrypted,
so trust what the hub's own screen shows, not this page.</p>
<p>The browser remembers your choice for about a week, then warns again.</p>
</main><script>${MIGRATION_SCRIPT}</script></body></html>`;
}

/** Shown by the script when this browser holds a device paired at this unencrypted address. */
function moveSection(https: string): string {
  return `<section class="move" id="move" aria-labelledby="move-title" hidden>
<h2 id="move-title">This browser is a Roost device at this old address</h2>
<p>Browsers keep each address's data apart, so at the encrypted address this device would start over. Move it
instead: you keep your account and what it has not sent yet is sent from there.</p>
<p><a class="go" href="${https}#migrate" data-testid="move-device">Move this device to the encrypted address</a></p>
</section>
<section id="unsent" aria-labelledby="unsent-title" hidden>
<h2 id="unsent-title">Messages this device has not sent yet</h2>
<p>They stay here until the device is moved. If you pair again instead, copy them first.</p>
<ul id="unsent-list"></ul>
</section>`;
}
