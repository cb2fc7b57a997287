/**
 * What `app://roost/...` answers: the built web client, read from disk, with
 * a strict Content-Security-Policy. Plain Node (a fetch-style Request in,
 * status + headers + body out), so main/electron's protocol handler is one line
 * and the rules here are tested without Electron.
 */
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { DESKTOP_HOST, DESKTOP_SCHEME } from '../../shared/desktop';
import { CONTENT_TYPES } from '../hub/contentTypes';

/**
 * The desktop renderer's policy: like the hub's (main/hub/staticFiles.ts),
 * except that it connects to whichever hub it was set up with, so any ws:/wss:
 * host is allowed. Its origin is app://roost, not the hub's, so files (appendix F)
 * are fetched from the hub's origin too: https: like wss: (a joined hub is
 * reached over TLS, held to its pin), and plain http: only on loopback, where the
 * app's own hub is served over ws:. No plain http to the LAN. Pictures fetched so
 * are shown from blob: URLs.
 */
export const DESKTOP_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "font-src 'self'",
  "connect-src 'self' ws: wss: https: http://127.0.0.1:* http://localhost:*",
  "manifest-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

export type AppResponse = { status: number; headers: Record<string, string>; body: Buffer | string };

const SECURITY_HEADERS = {
  'Content-Security-Policy': DESKTOP_CSP,
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
};

/**
 * Answers one request for `app://roost/<path>` from `root` (dist/renderer).
 * Unknown paths get index.html (client-side routes); anything that resolves
 * outside `root`, another host, or a method other than GET/HEAD is refused.
 */
export async function serveAppRequest(root: string, request: { url: string; method?: string }): Promise<AppResponse> {
  const method = (request.method ?? 'GET').toUpperCase();
  if (method !== 'GET' && method !== 'HEAD') return refuse(405, 'Only GET and HEAD.');
  let url: URL;
  try {
    url = new URL(request.url);
  } catch {
    return refuse(400, 'Not a URL.');
  }
  if (url.protocol !== `${DESKTOP_SCHEME}:` || url.host !== DESKTOP_HOST) return refuse(404, 'Unknown host.');
  const relative = decodePath(url.pathname);
  if (relative === undefined || relative.includes('\0')) return refuse(400, 'Bad path.');
  const base = path.resolve(root);
  const wanted = path.resolve(base, `.${relative}`);
  // Never serve outside the build folder, whatever the path (or an encoded ../) says.
  if (wanted !== base && !wanted.startsWith(base + path.sep)) return refuse(404, 'Not found.');
  const file = (await isFile(wanted)) ? wanted : path.join(base, 'index.html');
  if (!(await isFile(file))) return refuse(404, 'The web client is not built (npm run build:web).');
  const body = method === 'HEAD' ? '' : await readFile(file);
  return {
    status: 200,
    headers: {
      ...SECURITY_HEADERS,
      'Content-Type': CONTENT_TYPES[path.extname(file)] ?? 'application/octet-stream',
      'Cache-Control': 'no-cache',
    },
    body,
  };
}

function refuse(status: number, message: string): AppResponse {
  return { status, headers: { ...SECURITY_HEADERS, 'Content-Type': 'text/plain; charset=utf-8' }, body: message };
}

function decodePath(pathname: string): string | undefined {
  try {
    return decodeURIComponent(pathname);
  } catch {
    return undefined;
  }
}

async function isFile(p: string): Promise<boolean> {
  try {
    return (await stat(p)).isFile();
  } catch {
    return false;
  }
}
