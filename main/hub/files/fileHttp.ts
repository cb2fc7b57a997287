import type { ServerResponse } from 'node:http';
import { SECURITY_HEADERS } from '../securityHeaders';

/** Error codes of the file endpoints (appendix F), in `{"error": {"code", "message"}}` answers. */
export const FileHttpCode = {
  FILE_SESSION_INVALID: 'FILE_SESSION_INVALID',
  FILE_NOT_FOUND: 'FILE_NOT_FOUND',
  FILE_OFFSET_MISMATCH: 'FILE_OFFSET_MISMATCH',
  FILE_UPLOAD_BUSY: 'FILE_UPLOAD_BUSY',
  FILE_TOO_LARGE: 'FILE_TOO_LARGE',
  FILE_QUOTA_EXCEEDED: 'FILE_QUOTA_EXCEEDED',
  HUB_STORAGE_FULL: 'HUB_STORAGE_FULL',
  FILE_UPLOADS_TOO_MANY: 'FILE_UPLOADS_TOO_MANY',
  /** `Tus-Resumable` missing or not 1.0.0. */
  TUS_VERSION_UNSUPPORTED: 'TUS_VERSION_UNSUPPORTED',
  /** A header (`Upload-Length`, `Upload-Offset`, `Content-Type`) missing or malformed, or a body too long. */
  BAD_REQUEST: 'BAD_REQUEST',
  METHOD_NOT_ALLOWED: 'METHOD_NOT_ALLOWED',
  /** The hub could not write the file (not a full disk); the message says what happened. */
  FILE_WRITE_FAILED: 'FILE_WRITE_FAILED',
  /** Anything else that went wrong on the hub's side; its log says what. */
  FILE_REQUEST_FAILED: 'FILE_REQUEST_FAILED',
} as const;
export type FileHttpCode = (typeof FileHttpCode)[keyof typeof FileHttpCode];

export type FileHttpError = { status: number; code: FileHttpCode; message: string };

export const TUS_VERSION = '1.0.0';

/**
 * Answers with a JSON error; `headers` adds to SECURITY_HEADERS (tus routes add Tus-Resumable). A request
 * whose body was not read (a PATCH refused) also closes its connection: Node would otherwise read and drop
 * the rest of the body, for as long as the client cares to send it.
 */
export function sendFileError(res: ServerResponse, error: FileHttpError, headers: Record<string, string> = {}): void {
  const body = JSON.stringify({ error: { code: error.code, message: error.message } });
  if (res.headersSent) return void res.destroy();
  res.writeHead(error.status, {
    ...SECURITY_HEADERS,
    ...(res.req.complete ? {} : { Connection: 'close' }),
    ...headers,
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(body),
    'Cache-Control': 'no-store',
  });
  res.end(res.req.method === 'HEAD' ? undefined : body);
}

export function sendJsonOk(res: ServerResponse, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(200, {
    ...SECURITY_HEADERS,
    ...headers,
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
    'Cache-Control': 'no-store',
  });
  res.end(text);
}

export const SESSION_INVALID: FileHttpError = {
  status: 401,
  code: FileHttpCode.FILE_SESSION_INVALID,
  message: 'No valid file session: ask the hub for a new ticket (openFileSession) and open a session with it.',
};

export const FILE_NOT_FOUND: FileHttpError = {
  status: 404,
  code: FileHttpCode.FILE_NOT_FOUND,
  message: 'No such file.',
};
