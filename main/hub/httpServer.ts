import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { INFO_PATH, SCHEMA_PATH, WS_PATH, type HubInfo } from '../../shared/protocol';
import { protocolJsonSchema } from '../../shared/protocol/jsonSchema';
import { admitConnections, type ConnectionRefusal } from './connectionAdmission';
import type { ConnectionQuota } from './ConnectionQuota';
import type { BudgetRefusal, FrameBudgets } from './FrameBudgets';
import { checkHost, checkOrigin, type AccessPolicy } from './requestGuard';
import { SECURITY_HEADERS } from './securityHeaders';

export type HttpHandlers = {
  info(): HubInfo;
  policy: AccessPolicy;
  /** Serves the web client; absent until one is built into the hub. */
  serveStatic?: (req: IncomingMessage, res: ServerResponse) => void;
  /** Called for an upgrade that passed every check. */
  upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void;
  /** Every TCP connection takes a slot here when accepted (connectionAdmission.ts). */
  quota: ConnectionQuota;
  /** Each request, an upgrade too, is charged to its address like a frame before `ready`. */
  budgets: FrameBudgets;
  timeouts: HttpTimeouts;
};

export type HttpTimeouts = {
  /**
   * Time for a request's headers, from the connection's start or the previous
   * response: a request half sent, or none, is answered 408 and closed. The
   * hub takes only GETs, so this bounds the whole request.
   */
  headersTimeoutMs: number;
  /** An idle keep-alive connection is closed after this (Node adds a second of grace). */
  keepAliveTimeoutMs: number;
  /** How often Node looks for requests past headersTimeoutMs: the timeout is late by up to this. */
  checkIntervalMs: number;
};

/** Made on first request: the same bytes every time, and no cost for a hub nobody asks. */
let schemaText: string | undefined;

type Refusals = (socket: Socket) => ConnectionRefusal | undefined;

/** The hub's one HTTP port: /api/info, the protocol's JSON Schema, the web client, and the WebSocket upgrade. */
export function createHttpServer(handlers: HttpHandlers): Server {
  const { headersTimeoutMs, keepAliveTimeoutMs, checkIntervalMs } = handlers.timeouts;
  // A LAN client has no reason to dawdle; one that does holds a descriptor.
  const server = createServer({
    headersTimeout: headersTimeoutMs,
    requestTimeout: headersTimeoutMs,
    keepAliveTimeout: keepAliveTimeoutMs,
    connectionsCheckingInterval: checkIntervalMs,
  });
  const refusalOf = admitConnections(server, handlers.quota);
  server.on('request', (req: IncomingMessage, res: ServerResponse) => handleRequest(handlers, refusalOf, req, res));
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) =>
    handleUpgrade(handlers, refusalOf, req, socket, head),
  );
  return server;
}

function handleRequest(handlers: HttpHandlers, refusalOf: Refusals, req: IncomingMessage, res: ServerResponse): void {
  const overQuota = refusalOf(req.socket);
  if (overQuota) {
    res.setHeader('Connection', 'close');
    return sendJson(res, overQuota.status, { error: { code: overQuota.code, message: overQuota.message } });
  }
  const overBudget = handlers.budgets.chargeAddress(req.socket.remoteAddress ?? 'unknown', 0);
  if (overBudget) {
    const failure = budgetFailure(overBudget);
    res.setHeader('Retry-After', String(failure.retryAfterSeconds));
    return sendJson(res, failure.status, { error: { code: failure.code, message: failure.message } });
  }
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

function handleUpgrade(
  handlers: HttpHandlers,
  refusalOf: Refusals,
  req: IncomingMessage,
  socket: Duplex,
  head: Buffer,
): void {
  socket.on('error', () => socket.destroy());
  const overQuota = refusalOf(req.socket);
  if (overQuota) return refuseUpgrade(socket, overQuota);
  const overBudget = handlers.budgets.chargeAddress(req.socket.remoteAddress ?? 'unknown', 0);
  if (overBudget) return refuseUpgrade(socket, budgetFailure(overBudget));
  const path = (req.url ?? '/').split('?')[0];
  if (path !== WS_PATH)
    return refuseUpgrade(socket, { status: 404, code: 'NOT_FOUND', message: `WebSocket endpoint is ${WS_PATH}.` });
  const refused =
    checkHost(req.headers.host, handlers.policy) ?? checkOrigin(req.headers.origin, req.headers.host, handlers.policy);
  if (refused) return refuseUpgrade(socket, refused);
  handlers.upgrade(req, socket, head);
}

type HttpFailure = { status: number; code: string; message: string; retryAfterSeconds?: number };

function budgetFailure({ over, waitSeconds }: BudgetRefusal): Required<HttpFailure> {
  const wait = `Try again in ${waitSeconds} s.`;
  if (over === 'hub') {
    const message = `The hub is busy with devices connecting. ${wait}`;
    return { status: 503, code: 'HUB_BUSY', message, retryAfterSeconds: waitSeconds };
  }
  const message = `Too many requests from this address. ${wait}`;
  return { status: 429, code: 'TOO_MANY_REQUESTS', message, retryAfterSeconds: waitSeconds };
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
  503: 'Service Unavailable',
};

/** Answers an upgrade with an HTTP error and a JSON body instead of a WebSocket, then closes the TCP connection. */
export function refuseUpgrade(socket: Duplex, failure: HttpFailure): void {
  const body = JSON.stringify({ error: { code: failure.code, message: failure.message } });
  const retryAfter = failure.retryAfterSeconds === undefined ? '' : `Retry-After: ${failure.retryAfterSeconds}\r\n`;
  socket.end(
    `HTTP/1.1 ${failure.status} ${REASONS[failure.status] ?? 'Error'}\r\n` +
      'Content-Type: application/json; charset=utf-8\r\n' +
      retryAfter +
      `Content-Length: ${Buffer.byteLength(body)}\r\n` +
      'Connection: close\r\n\r\n' +
      body,
  );
}
