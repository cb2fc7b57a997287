import type { IncomingMessage, ServerResponse } from 'node:http';
import { FILE_SESSION_PATH, FILE_UPLOADS_PATH, FILES_PATH, UPLOAD_ID_PATTERN } from '../../../shared/protocol';
import type { HubLogger } from '../HubContext';
import { addCorsHeaders, answerPreflight, isPreflight } from './cors';
import { serveDownload, type DownloadTarget, type FileMessage } from './downloads';
import { FILE_NOT_FOUND, FileHttpCode, sendFileError, sendJsonOk, SESSION_INVALID } from './fileHttp';
import type { FileGrant, FileSessions, FileTickets } from './fileSessions';
import type { FileStore } from './FileStore';
import { answerTusOptions, handleTus } from './tusRoutes';

export type { FileMessage } from './downloads';

/** What the file endpoints need from the hub. */
export type FileHttpDeps = {
  store: FileStore;
  tickets: Pick<FileTickets, 'consume'>;
  sessions: FileSessions;
  /** The user a device belongs to now; undefined once it is removed (checked on every request). */
  userOfDevice(deviceId: string): string | undefined;
  isMember(conversationId: string, userId: string): boolean;
  /** The message `seq` of a conversation, undefined when there is none. */
  readMessage(conversationId: string, seq: number): Promise<FileMessage | undefined>;
  logger: HubLogger;
};

export type FileRouteOptions = {
  /** A body (PATCH) or a download that moves no byte for this long is cut; what arrived stays. */
  bodyIdleMs: number;
};

/** Handles one request whose path (without query) is under /api/files. */
export type FileRoutes = (req: IncomingMessage, res: ServerResponse, path: string) => void;

export const SESSION_COOKIE = 'roost-files';
const SECRET = /^[A-Za-z0-9_-]{43}$/;

/**
 * The file endpoints (appendix F): sessions, tus uploads, downloads. httpServer.ts has already checked the
 * host, the budgets, TLS, the method and that only a PATCH has a body.
 */
export function createFileRoutes(deps: FileHttpDeps, options: FileRouteOptions): FileRoutes {
  return (req, res, path) => {
    // Before the session check: a browser's preflight carries none.
    if (isPreflight(req)) return answerPreflight(req, res);
    addCorsHeaders(req, res);
    route(deps, options, req, res, path).catch((err: unknown) => {
      deps.logger.error(`file request ${req.method} ${path} failed`, err);
      const message = 'The hub could not answer this file request.';
      sendFileError(res, { status: 500, code: FileHttpCode.FILE_REQUEST_FAILED, message });
    });
  };
}

async function route(
  deps: FileHttpDeps,
  options: FileRouteOptions,
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
): Promise<void> {
  if (path === FILE_SESSION_PATH) return openSession(deps, req, res);
  const uploads = path === FILE_UPLOADS_PATH || path.startsWith(`${FILE_UPLOADS_PATH}/`);
  if (uploads && path === FILE_UPLOADS_PATH && req.method === 'OPTIONS')
    return answerTusOptions(res, deps.store.limits.maxFileBytes);
  const grant = authenticate(deps, req);
  if (!grant) return sendFileError(res, SESSION_INVALID, uploads ? { 'Tus-Resumable': '1.0.0' } : {});
  // Cut at once if the device is removed while this runs (FileSessions.dropDevice).
  deps.sessions.track(grant.deviceId, res);
  if (uploads) {
    const id = path === FILE_UPLOADS_PATH ? undefined : path.slice(FILE_UPLOADS_PATH.length + 1);
    if (id !== undefined && !UPLOAD_ID_PATTERN.test(id))
      return sendFileError(res, FILE_NOT_FOUND, { 'Tus-Resumable': '1.0.0' });
    return handleTus({ store: deps.store, grant, bodyIdleMs: options.bodyIdleMs, logger: deps.logger }, req, res, id);
  }
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    const error = { status: 405, code: FileHttpCode.METHOD_NOT_ALLOWED, message: 'Files download with GET.' };
    return sendFileError(res, error, { Allow: 'GET, HEAD' });
  }
  const target = downloadTarget(path);
  if (!target) return sendFileError(res, FILE_NOT_FOUND);
  const ctx = { ...deps, userId: grant.userId, bodyIdleMs: options.bodyIdleMs };
  return serveDownload(ctx, req, res, target);
}

/** POST /api/files/session with a ticket: a session, in a cookie or (Roost-Session: header) in the body. */
function openSession(deps: FileHttpDeps, req: IncomingMessage, res: ServerResponse): void {
  if (req.method !== 'POST') {
    const error = { status: 405, code: FileHttpCode.METHOD_NOT_ALLOWED, message: 'Open a file session with POST.' };
    return sendFileError(res, error, { Allow: 'POST' });
  }
  const ticket = req.headers['roost-ticket'];
  const grant = typeof ticket === 'string' && SECRET.test(ticket) ? deps.tickets.consume(ticket) : undefined;
  if (!grant || deps.userOfDevice(grant.deviceId) !== grant.userId) return sendFileError(res, SESSION_INVALID);
  const { session, expiresAt } = deps.sessions.create(grant.deviceId, grant.userId);
  if (req.headers['roost-session'] === 'header') return sendJsonOk(res, { session, expiresAt });
  const maxAge = Math.floor(deps.sessions.ttlMs / 1000);
  const flags = `Path=${FILES_PATH}; HttpOnly; Secure; SameSite=Strict; Max-Age=${maxAge}`;
  const cookie = `${SESSION_COOKIE}=${session}; ${flags}`;
  sendJsonOk(res, { expiresAt }, { 'Set-Cookie': cookie });
}

/** The session's device and user, if the request carries a live session of a device that is still there. */
function authenticate(deps: FileHttpDeps, req: IncomingMessage): FileGrant | undefined {
  const secret = sessionSecret(req);
  const session = secret === undefined ? undefined : deps.sessions.lookup(secret);
  if (!session || deps.userOfDevice(session.deviceId) !== session.userId) return undefined;
  return { deviceId: session.deviceId, userId: session.userId };
}

function sessionSecret(req: IncomingMessage): string | undefined {
  const auth = /^Roost-Session ([A-Za-z0-9_-]{43})$/.exec(req.headers.authorization ?? '');
  if (auth) return auth[1];
  // Two different session cookies: one was planted (a narrower Path wins the browser's order), so neither counts.
  const values = new Set<string>();
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [name, value] = part.trim().split('=', 2);
    if (name === SESSION_COOKIE && value !== undefined) values.add(value);
  }
  const [only] = values;
  return values.size === 1 && only !== undefined && SECRET.test(only) ? only : undefined;
}

/** /api/files/<conversationId>/<seq>/<index>[/thumbnail], or undefined for any other shape. */
function downloadTarget(path: string): DownloadTarget | undefined {
  const match = /^\/api\/files\/([^/]{1,768})\/([1-9]\d{0,15})\/(\d{1,2})(\/thumbnail)?$/.exec(path);
  if (!match) return undefined;
  let conversationId: string;
  try {
    conversationId = decodeURIComponent(match[1] ?? '');
  } catch {
    return undefined;
  }
  return { conversationId, seq: Number(match[2]), index: Number(match[3]), thumbnail: match[4] !== undefined };
}
