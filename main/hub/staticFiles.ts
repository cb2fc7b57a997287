import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import { pipeline } from 'node:stream';
import { CONTENT_TYPES } from './contentTypes';
import { formatHost, parseHostHeader, type ValidHost } from './hostHeader';
import { SECURITY_HEADERS } from './securityHeaders';

/**
 * The web client's policy: scripts and styles only from the hub itself, no
 * inline code, no eval, connections only back to the hub (its WebSocket
 * included: some browsers do not let 'self' cover ws:). The host comes
 * from parseHostHeader, so nothing but a name or address and a port can
 * enter the header.
 */
export function contentSecurityPolicy(validHost: ValidHost): string {
  const host = formatHost(validHost);
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    `connect-src 'self' ws://${host} wss://${host}`,
    "manifest-src 'self'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
    "object-src 'none'",
  ].join('; ');
}

/**
 * Serves the built web client from `root`. Vite puts content hashes in asset
 * names, so those may be cached forever; index.html must be revalidated so a
 * new build reaches devices. Unknown paths get index.html (client routing).
 */
export function createStaticHandler(root: string): (req: IncomingMessage, res: ServerResponse) => void {
  const base = path.resolve(root);
  return (req, res) => {
    void serve(base, req, res).catch(() => {
      if (res.headersSent) return void res.end();
      sendError(res, 500, 'INTERNAL', 'The hub failed to read the web client.');
    });
  };
}

async function serve(base: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const urlPath = decodePath(req.url ?? '/');
  if (urlPath === undefined) return sendError(res, 400, 'BAD_REQUEST', 'The path is not valid percent-encoding.');
  // requestGuard has accepted the host name; the rest of the header (the port, say) is checked only here.
  const host = parseHostHeader(req.headers.host);
  if (!host) return sendError(res, 400, 'BAD_REQUEST', 'The Host header is not a host name or address and a port.');
  const wanted = path.resolve(base, `.${urlPath}`);
  // Never serve outside the build folder, whatever the path says.
  if (wanted !== base && !wanted.startsWith(base + path.sep)) return notFound(res);
  const file = (await isFile(wanted)) ? wanted : path.join(base, 'index.html');
  if (!(await isFile(file))) return notFound(res);
  const isAsset = file.startsWith(path.join(base, 'assets') + path.sep);
  const info = await stat(file);
  res.writeHead(200, {
    'Content-Type': CONTENT_TYPES[path.extname(file)] ?? 'application/octet-stream',
    'Content-Length': info.size,
    'Cache-Control': isAsset ? 'public, max-age=31536000, immutable' : 'no-cache',
    'Content-Security-Policy': contentSecurityPolicy(host),
    ...SECURITY_HEADERS,
    // Not plain same-origin: moving a device from the old http:// origin opens that origin's page as a popup
    // and needs its window (renderer/migration). Still, no other page that opens this one gets a handle on it.
    'Cross-Origin-Opener-Policy': 'same-origin-allow-popups',
  });
  if (req.method === 'HEAD') return void res.end();
  // pipeline closes the file when the client aborts or the read fails; pipe() would leak it.
  pipeline(createReadStream(file), res, () => {});
}

async function isFile(p: string): Promise<boolean> {
  try {
    return (await stat(p)).isFile();
  } catch {
    return false;
  }
}

function decodePath(url: string): string | undefined {
  try {
    return decodeURIComponent(new URL(url, 'http://hub').pathname);
  } catch {
    return undefined;
  }
}

function notFound(res: ServerResponse): void {
  sendError(res, 404, 'NOT_FOUND', 'No such file in the web client.');
}

/** The same JSON error body as every other HTTP refusal (docs/protocol/appendix-discovery-http.md A.6). */
function sendError(res: ServerResponse, status: number, code: string, message: string): void {
  const body = JSON.stringify({ error: { code, message } });
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(body),
    'Cache-Control': 'no-store',
    ...SECURITY_HEADERS,
  });
  res.end(body);
}
