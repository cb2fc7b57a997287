import type { IncomingMessage, ServerResponse } from 'node:http';
import { DESKTOP_ORIGIN } from '../../../shared/protocol';
import { SECURITY_HEADERS } from '../securityHeaders';

/**
 * CORS for /api/files, for exactly one origin: the desktop app's renderer (`app://roost`), which is never the
 * hub's origin, so its cookie cannot reach the hub and it sends `Authorization: Roost-Session` instead
 * (appendix F.2). No web page can send that origin. Credentials are never allowed: no cookie crosses origins,
 * and any other origin (`null` included) gets no CORS header at all, so a browser keeps its answers from it.
 */

const ALLOW_METHODS = 'GET, HEAD, POST, PATCH, DELETE';
const ALLOW_HEADERS = [
  'Authorization',
  'Tus-Resumable',
  'Upload-Length',
  'Upload-Offset',
  'Upload-Metadata',
  'Content-Type',
  'Roost-Ticket',
  'Roost-Session',
  'Range',
].join(', ');
/** What tus-js-client and a download read of an answer; without this list a cross-origin page sees none of them. */
const EXPOSE_HEADERS = [
  'Location',
  'Upload-Offset',
  'Upload-Length',
  'Tus-Resumable',
  'Tus-Version',
  'Tus-Max-Size',
  'Tus-Extension',
  'Content-Range',
  'Content-Disposition',
  'Content-Length',
  'ETag',
].join(', ');
/** Seconds a browser may reuse a preflight; Chromium caps it at 7200 anyway. */
const PREFLIGHT_MAX_AGE = 600;

/** A browser's CORS preflight, as opposed to tus's own `OPTIONS` (which has no Access-Control-Request-Method). */
export function isPreflight(req: IncomingMessage): boolean {
  return (
    req.method === 'OPTIONS' &&
    req.headers.origin !== undefined &&
    req.headers['access-control-request-method'] !== undefined
  );
}

/** Answers a preflight: allowed for the desktop renderer, refused (no CORS header) for anyone else. */
export function answerPreflight(req: IncomingMessage, res: ServerResponse): void {
  if (req.headers.origin !== DESKTOP_ORIGIN) {
    const body = JSON.stringify({
      error: { code: 'ORIGIN_NOT_ALLOWED', message: 'Only the Roost desktop app may use the files from elsewhere.' },
    });
    res.writeHead(403, {
      ...SECURITY_HEADERS,
      Vary: 'Origin',
      'Content-Type': 'application/json; charset=utf-8',
      'Content-Length': Buffer.byteLength(body),
      'Cache-Control': 'no-store',
    });
    return void res.end(body);
  }
  res.writeHead(204, {
    ...SECURITY_HEADERS,
    Vary: 'Origin',
    'Access-Control-Allow-Origin': DESKTOP_ORIGIN,
    'Access-Control-Allow-Methods': ALLOW_METHODS,
    'Access-Control-Allow-Headers': ALLOW_HEADERS,
    'Access-Control-Max-Age': String(PREFLIGHT_MAX_AGE),
    'Cache-Control': 'no-store',
  });
  res.end();
}

/**
 * Set before any other answer of /api/files: the CORS headers for the desktop renderer (writeHead keeps
 * what setHeader set), and `Vary: Origin` for everyone, since the answer depends on it.
 */
export function addCorsHeaders(req: IncomingMessage, res: ServerResponse): void {
  res.setHeader('Vary', 'Origin');
  if (req.headers.origin !== DESKTOP_ORIGIN) return;
  res.setHeader('Access-Control-Allow-Origin', DESKTOP_ORIGIN);
  res.setHeader('Access-Control-Expose-Headers', EXPOSE_HEADERS);
}
