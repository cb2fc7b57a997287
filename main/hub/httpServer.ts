import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { INFO_PATH, SCHEMA_PATH, WS_PATH, type HubInfo } from '../../shared/protocol';
import { protocolJsonSchema } from '../../shared/protocol/jsonSchema';
import { checkHost, checkOrigin, type AccessPolicy } from './requestGuard';
import { SECURITY_HEADERS } from './securityHeaders';

export type HttpHandlers = {
  info(): HubInfo;
  policy: AccessPolicy;
  /** Serves the web client; absent until one is built into the hub. */
  serveStatic?: (req: IncomingMessage, res: ServerResponse) => void;
  /** Called for an upgrade that passed every check. */
  upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void;
};

/** Made on first request: the same bytes every time, and no cost for a hub nobody asks. */
let schemaText: string | undefined;

/** The hub's one HTTP port: /api/info, the protocol's JSON Schema, the web client, and the WebSocket upgrade. */
export function createHttpServer(handlers: HttpHandlers): Server {
  const server = createServer((req, res) => handleRequest(handlers, req, res));
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) =>
    handleUpgrade(handlers, req, socket, head),
  );
  // Headers must arrive promptly; a LAN client has no reason to dawdle.
  server.headersTimeout = 10_000;
  server.requestTimeout = 30_000;
  return server;
}

function handleRequest(handlers: HttpHandlers, req: IncomingMessage, res: ServerResponse): void {
  const refused = checkHost(req.headers.host, handlers.policy);
  if (refused) return sendJson(res, refused.status, { error: { code: refused.code, message: refused.message } });
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.setHeader('Allow', 'GET, HEAD');
    return sendJson(res, 405, { error: { code: 'METHOD_NOT_ALLOWED', message: `${req.method} is not supported.` } });
  }
  const path = (req.url ?? '/').split('?')[0];
  if (path === INFO_PATH) return sendJson(res, 200, handlers.info());
  if (path === SCHEMA_PATH) {
    schemaText ??= JSON.stringify(protocolJsonSchema());
    return sendText(res, 200, schemaText, 'application/schema+json; charset=utf-8');
  }
  if (path === WS_PATH)
    return sendJson(res, 426, { error: { code: 'UPGRADE_REQUIRED', message: `${WS_PATH} is a WebSocket endpoint.` } });
  if (handlers.serveStatic) return handlers.serveStatic(req, res);
  sendJson(res, 404, { error: { code: 'NOT_FOUND', message: 'This hub serves no web client.' } });
}

function handleUpgrade(handlers: HttpHandlers, req: IncomingMessage, socket: Duplex, head: Buffer): void {
  socket.on('error', () => socket.destroy());
  const path = (req.url ?? '/').split('?')[0];
  if (path !== WS_PATH)
    return refuseUpgrade(socket, { status: 404, code: 'NOT_FOUND', message: `WebSocket endpoint is ${WS_PATH}.` });
  const refused =
    checkHost(req.headers.host, handlers.policy) ?? checkOrigin(req.headers.origin, req.headers.host, handlers.policy);
  if (refused) return refuseUpgrade(socket, refused);
  handlers.upgrade(req, socket, head);
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  sendText(res, status, JSON.stringify(body), 'application/json; charset=utf-8');
}

function sendText(res: ServerResponse, status: number, text: string, contentType: string): void {
  res.writeHead(status, {
    ...SECURITY_HEADERS,
    'Content-Type': contentType,
    'Content-Length': Buffer.byteLength(text),
    'Cache-Control': 'no-store',
  });
  res.end(text);
}

const REASONS: Record<number, string> = {
  400: 'Bad Request',
  403: 'Forbidden',
  404: 'Not Found',
  429: 'Too Many Requests',
};

/** Answers an upgrade with an HTTP error and a JSON body instead of a WebSocket, then closes the TCP connection. */
export function refuseUpgrade(socket: Duplex, failure: { status: number; code: string; message: string }): void {
  const body = JSON.stringify({ error: { code: failure.code, message: failure.message } });
  socket.end(
    `HTTP/1.1 ${failure.status} ${REASONS[failure.status] ?? 'Error'}\r\n` +
      'Content-Type: application/json; charset=utf-8\r\n' +
      `Content-Length: ${Buffer.byteLength(body)}\r\n` +
      'Connection: close\r\n\r\n' +
      body,
  );
}
