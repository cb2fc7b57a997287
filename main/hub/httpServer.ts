import { createServer, type IncomingMessage, type Server as HttpServer, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { Server, Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import type { SecureContextOptions, TLSSocket } from 'node:tls';
import { FILES_PATH, INFO_PATH, SCHEMA_PATH, WS_PATH, type HubInfo } from '../../shared/protocol';
import { protocolJsonSchema } from '../../shared/protocol/jsonSchema';
import { admitConnections, type ConnectionRefusal } from './connectionAdmission';
import type { ConnectionQuota } from './ConnectionQuota';
import type { BudgetRefusal, FrameBudgets } from './FrameBudgets';
import { createFileRoutes, type FileHttpDeps, type FileRoutes } from './files/fileRoutes';
import { isLoopback } from './addressKey';
import { PROOF_HEADER } from './identity/identityProof';
import { createPortServer } from './portServer';
import { sendToHttps, tlsRequired, type PageIdentity } from './plainHttpRedirect';
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
  tls: HubTlsHandlers;
  /** The file endpoints under /api/files (appendix F); absent, they answer 404. */
  files?: FileHttpDeps;
};

export type HubTlsHandlers = {
  /** The key and certificate served now (HubTls.secureContext). */
  context(): SecureContextOptions;
  /** The identity proof for this TLS session (identityProof.ts), sent on /api/info and the WebSocket upgrade. */
  prove(socket: TLSSocket): string;
  /** The identity, as the page that sends plain-HTTP visitors to HTTPS shows it. */
  identity: PageIdentity;
  /**
   * Whether plain HTTP from LAN addresses gets the hub (the owner allowed it) rather than only the page
   * that sends it to HTTPS. Loopback always may, unless `loopbackIsLan` (tests of what a LAN device sees).
   */
  allowPlainHttp: boolean;
  loopbackIsLan?: boolean;
};

/** The port's servers: `listener` owns the port, the others take the connections it hands them. */
export type HubServers = {
  listener: Server;
  plain: HttpServer;
  secure: HttpServer;
  /** Takes the current certificate (after a re-issue). */
  update(): void;
  /** Closes every connection the two servers hold, on stop. */
  closeAll(): void;
};

export type HttpTimeouts = {
  /**
   * Time for a request's headers, from the connection's start or the previous
   * response: a request half sent, or none, is answered 408 and closed. Only
   * an upload's PATCH has a body, so this bounds every other whole request.
   */
  headersTimeoutMs: number;
  /**
   * An upload body or a download that moves no byte for this long is cut (what arrived stays). There is
   * no limit on a whole request: an 8 GiB file over a slow link takes what it takes, as long as it moves.
   */
  bodyIdleMs: number;
  /** An idle keep-alive connection is closed after this (Node adds a second of grace). */
  keepAliveTimeoutMs: number;
  /** How often Node looks for requests past headersTimeoutMs: the timeout is late by up to this. */
  checkIntervalMs: number;
};

/** Made on first request: the same bytes every time, and no cost for a hub nobody asks. */
let schemaText: string | undefined;

type Refusals = (socket: Socket) => ConnectionRefusal | undefined;

/**
 * The hub's one port, HTTPS and plain HTTP (portServer.ts): /api/info, the
 * protocol's JSON Schema, the web client, and the WebSocket upgrade; over
 * plain HTTP from the LAN, only the page that sends people to HTTPS.
 */
export function createHttpServer(handlers: HttpHandlers): HubServers {
  const { headersTimeoutMs, keepAliveTimeoutMs, checkIntervalMs, bodyIdleMs } = handlers.timeouts;
  // A LAN client has no reason to dawdle over headers; one that does holds a descriptor. No whole-request
  // limit (0): a body is bounded by bodyIdleMs instead, and every request but a PATCH is refused a body.
  const timeouts = {
    headersTimeout: headersTimeoutMs,
    requestTimeout: 0,
    keepAliveTimeout: keepAliveTimeoutMs,
    connectionsCheckingInterval: checkIntervalMs,
  };
  const plain = createServer(timeouts);
  const secure = createHttpsServer({ ...timeouts, ...handlers.tls.context(), handshakeTimeout: headersTimeoutMs });
  // Node starts a server's request timeouts (headersTimeout, requestTimeout) and the connection list that
  // closeAllConnections uses on 'listening' (setupConnectionsTracking); these two never listen themselves,
  // the port server hands them connections. hub.httpConnections.test.ts fails if that stops working.
  plain.emit('listening');
  secure.emit('listening');
  // A handshake is charged like a request, before it costs anything: a flood of them from one network is bounded.
  const admitTls = (socket: Socket) => !handlers.budgets.chargeAddress(socket.remoteAddress ?? 'unknown', 0);
  const listener = createPortServer({ plain, secure, firstByteMs: headersTimeoutMs, admitTls });
  const refusalOf = admitConnections(listener, handlers.quota);
  const files = handlers.files && createFileRoutes(handlers.files, { bodyIdleMs });
  for (const server of [plain, secure]) {
    server.on('request', (req: IncomingMessage, res: ServerResponse) =>
      handleRequest(handlers, refusalOf, files, req, res),
    );
    server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) =>
      handleUpgrade(handlers, refusalOf, req, socket, head),
    );
  }
  // A failed handshake (a browser refusing the certificate, a port scanner) is the client's business.
  secure.on('tlsClientError', (_err: Error, socket: Duplex) => socket.destroy());
  return {
    listener,
    plain,
    secure,
    update: () => secure.setSecureContext(handlers.tls.context()),
    closeAll: () => {
      for (const server of [plain, secure]) {
        server.closeAllConnections();
        // Stops the timeout checks started above; "not running" is expected, it never listened.
        server.close(() => {});
      }
    },
  };
}

/** Whether this request came over plain HTTP from where only the page to HTTPS is served. */
function mustUseTls(handlers: HttpHandlers, req: IncomingMessage): boolean {
  if ('encrypted' in req.socket && req.socket.encrypted) return false;
  if (handlers.tls.allowPlainHttp) return false;
  return handlers.tls.loopbackIsLan === true || !isLoopback(req.socket.remoteAddress ?? '');
}

function proofOf(handlers: HttpHandlers, req: IncomingMessage): string | undefined {
  const socket = req.socket as Partial<TLSSocket>;
  return socket.encrypted ? handlers.tls.prove(socket as TLSSocket) : undefined;
}

function handleRequest(
  handlers: HttpHandlers,
  refusalOf: Refusals,
  files: FileRoutes | undefined,
  req: IncomingMessage,
  res: ServerResponse,
): void {
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
  const path = (req.url ?? '/').split('?')[0] ?? '/';
  const isFiles = path === FILES_PATH || path.startsWith(`${FILES_PATH}/`);
  const refused =
    checkHost(req.headers.host, handlers.policy) ??
    // A page elsewhere must not upload or delete with the user's cookie; downloads are GETs (SameSite=Strict).
    (isFiles && changesState(req) ? checkOrigin(req.headers.origin, req.headers.host, handlers.policy) : undefined);
  if (refused) return sendJson(res, refused.status, { error: { code: refused.code, message: refused.message } });
  const allowed = isFiles ? FILE_METHODS : READ_METHODS;
  if (!allowed.includes(req.method ?? '')) {
    res.setHeader('Allow', allowed.join(', '));
    return sendJson(res, 405, { error: { code: 'METHOD_NOT_ALLOWED', message: `${req.method} is not supported.` } });
  }
  if (hasBody(req) && !(isFiles && req.method === 'PATCH')) {
    // Not read: answered at once, and the connection closed so the body is never taken for a request.
    res.setHeader('Connection', 'close');
    const message = 'Only an upload (PATCH) may have a body.';
    return sendJson(res, 413, { error: { code: 'BODY_NOT_ALLOWED', message } });
  }
  if (mustUseTls(handlers, req)) return sendToHttps(req, res, path, handlers.tls.identity);
  if (isFiles) {
    if (files) return files(req, res, path);
    return sendJson(res, 404, { error: { code: 'NOT_FOUND', message: 'This hub does not take files.' } });
  }
  if (path === INFO_PATH) {
    const proof = proofOf(handlers, req);
    if (proof) res.setHeader(PROOF_HEADER, proof);
    return sendJson(res, 200, handlers.info());
  }
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
  if (mustUseTls(handlers, req)) return refuseUpgrade(socket, tlsRequired(req));
  handlers.upgrade(req, socket, head);
}

const READ_METHODS: readonly string[] = ['GET', 'HEAD'];
const FILE_METHODS: readonly string[] = ['GET', 'HEAD', 'POST', 'PATCH', 'DELETE', 'OPTIONS'];

function changesState(req: IncomingMessage): boolean {
  return req.method !== 'GET' && req.method !== 'HEAD' && req.method !== 'OPTIONS';
}

/** A body is announced by a non-zero Content-Length or by Transfer-Encoding (chunked, even if empty). */
function hasBody(req: IncomingMessage): boolean {
  if (req.headers['transfer-encoding'] !== undefined) return true;
  const length = req.headers['content-length'];
  return length !== undefined && length !== '0';
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
  426: 'Upgrade Required',
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
