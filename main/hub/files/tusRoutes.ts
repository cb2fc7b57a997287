import type { IncomingMessage, ServerResponse } from 'node:http';
import { FILE_UPLOADS_PATH } from '../../../shared/protocol';
import type { HubLogger } from '../HubContext';
import { SECURITY_HEADERS } from '../securityHeaders';
import { FILE_NOT_FOUND, FileHttpCode, sendFileError, TUS_VERSION, type FileHttpError } from './fileHttp';
import type { FileGrant } from './fileSessions';
import type { AppendResult, FileStore, UploadRefusalCode } from './FileStore';

/** The tus 1.0.0 server (core, creation, termination) at /api/files/uploads (appendix F.3). */

export type TusContext = { store: FileStore; grant: FileGrant; bodyIdleMs: number; logger: HubLogger };

const TUS_HEADERS = { 'Tus-Resumable': TUS_VERSION } as const;
const DIGITS = /^\d{1,16}$/;

/** OPTIONS: what this server speaks; no session needed. */
export function answerTusOptions(res: ServerResponse, maxFileBytes: number): void {
  res.writeHead(204, {
    ...SECURITY_HEADERS,
    ...TUS_HEADERS,
    'Tus-Version': TUS_VERSION,
    'Tus-Extension': 'creation,termination',
    'Tus-Max-Size': String(maxFileBytes),
    'Cache-Control': 'no-store',
  });
  res.end();
}

/** An upload request with a session; `uploadId` is undefined for the collection (POST). */
export async function handleTus(
  ctx: TusContext,
  req: IncomingMessage,
  res: ServerResponse,
  uploadId: string | undefined,
): Promise<void> {
  if (req.headers['tus-resumable'] !== TUS_VERSION) {
    const message = `This hub speaks tus ${TUS_VERSION}: send Tus-Resumable: ${TUS_VERSION}.`;
    const error = { status: 412, code: FileHttpCode.TUS_VERSION_UNSUPPORTED, message };
    return sendFileError(res, error, { ...TUS_HEADERS, 'Tus-Version': TUS_VERSION });
  }
  if (uploadId === undefined) {
    if (req.method === 'POST') return create(ctx, req, res);
    return refuseMethod(res, 'POST, OPTIONS');
  }
  if (req.method === 'HEAD') return head(ctx, res, uploadId);
  if (req.method === 'PATCH') return patch(ctx, req, res, uploadId);
  if (req.method === 'DELETE') return terminate(ctx, res, uploadId);
  return refuseMethod(res, 'HEAD, PATCH, DELETE');
}

async function create(ctx: TusContext, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const header = req.headers['upload-length'];
  if (typeof header !== 'string' || !DIGITS.test(header) || Number(header) > Number.MAX_SAFE_INTEGER)
    return tusError(res, 400, FileHttpCode.BAD_REQUEST, 'Send Upload-Length: the file size in bytes (no defer).');
  const created = await ctx.store.createUpload(ctx.grant.userId, ctx.grant.deviceId, Number(header));
  if ('code' in created) return tusError(res, REFUSAL_STATUS[created.code], created.code, created.message);
  res.writeHead(201, {
    ...SECURITY_HEADERS,
    ...TUS_HEADERS,
    Location: `${FILE_UPLOADS_PATH}/${created.id}`,
    'Content-Length': 0,
    'Cache-Control': 'no-store',
  });
  res.end();
}

const REFUSAL_STATUS: Record<UploadRefusalCode, number> = {
  FILE_TOO_LARGE: 413,
  FILE_QUOTA_EXCEEDED: 507,
  HUB_STORAGE_FULL: 507,
  FILE_UPLOADS_TOO_MANY: 429,
};

async function head(ctx: TusContext, res: ServerResponse, uploadId: string): Promise<void> {
  const state = await ctx.store.uploadState(uploadId, ctx.grant.userId);
  if (!state) return sendFileError(res, FILE_NOT_FOUND, { ...TUS_HEADERS });
  res.writeHead(200, {
    ...SECURITY_HEADERS,
    ...TUS_HEADERS,
    'Upload-Offset': String(state.offset),
    'Upload-Length': String(state.length),
    'Cache-Control': 'no-store',
  });
  res.end();
}

async function patch(ctx: TusContext, req: IncomingMessage, res: ServerResponse, uploadId: string): Promise<void> {
  // Refused before the body is read: sendFileError closes the connection, so the body is never parsed.
  if (req.headers['content-type'] !== 'application/offset+octet-stream')
    return tusError(res, 415, FileHttpCode.BAD_REQUEST, 'Send Content-Type: application/offset+octet-stream.');
  const offsetHeader = req.headers['upload-offset'];
  if (typeof offsetHeader !== 'string' || !DIGITS.test(offsetHeader))
    return tusError(res, 400, FileHttpCode.BAD_REQUEST, 'Send Upload-Offset: the offset HEAD gave.');
  const state = await ctx.store.uploadState(uploadId, ctx.grant.userId);
  if (!state) return sendFileError(res, FILE_NOT_FOUND, { ...TUS_HEADERS });
  const declared = req.headers['content-length'];
  // A chunked body at the end has no length to check: any byte of it is past the end (the store reads none).
  const bodyAtEnd = Number(offsetHeader) === state.length && req.headers['transfer-encoding'] !== undefined;
  if (bodyAtEnd || (declared !== undefined && Number(offsetHeader) + Number(declared) > state.length))
    return tusError(
      res,
      400,
      FileHttpCode.BAD_REQUEST,
      `The upload is ${state.length} bytes: this body goes past its end.`,
    );
  const startReading = () => res.setTimeout(ctx.bodyIdleMs, () => res.destroy());
  const result = await ctx.store.append(uploadId, ctx.grant.userId, Number(offsetHeader), req, startReading);
  answerPatch(ctx, res, uploadId, result);
}

function answerPatch(ctx: TusContext, res: ServerResponse, uploadId: string, result: AppendResult): void {
  if (res.destroyed) return;
  switch (result.kind) {
    case 'written':
      res.writeHead(204, {
        ...SECURITY_HEADERS,
        ...TUS_HEADERS,
        // A body not read to its end would be read and dropped for as long as the client sends it.
        ...(res.req.complete ? {} : { Connection: 'close' }),
        'Upload-Offset': String(result.offset),
        'Cache-Control': 'no-store',
      });
      return void res.end();
    case 'notFound':
      return sendFileError(res, FILE_NOT_FOUND, { ...TUS_HEADERS });
    case 'busy':
      return tusError(res, 409, FileHttpCode.FILE_UPLOAD_BUSY, 'Another PATCH of this upload is in progress.');
    case 'offsetMismatch':
      return tusError(
        res,
        409,
        FileHttpCode.FILE_OFFSET_MISMATCH,
        `The upload is at ${result.offset} bytes: HEAD, then continue from there.`,
      );
    case 'tooLong':
      return tusError(res, 400, FileHttpCode.BAD_REQUEST, 'The body went past Upload-Length; the rest was dropped.');
    case 'full':
      return tusError(res, 507, FileHttpCode.HUB_STORAGE_FULL, 'The hub has no room left for files now.');
    case 'cut':
      return void res.destroy();
    case 'failed':
      ctx.logger.error(`could not write upload ${uploadId}`, result.error);
      return tusError(res, 500, FileHttpCode.FILE_WRITE_FAILED, 'The hub could not write the file.');
  }
}

async function terminate(ctx: TusContext, res: ServerResponse, uploadId: string): Promise<void> {
  if (!(await ctx.store.deleteUpload(uploadId, ctx.grant.userId)))
    return sendFileError(res, FILE_NOT_FOUND, { ...TUS_HEADERS });
  res.writeHead(204, { ...SECURITY_HEADERS, ...TUS_HEADERS, 'Cache-Control': 'no-store' });
  res.end();
}

function refuseMethod(res: ServerResponse, allow: string): void {
  const error = { status: 405, code: FileHttpCode.METHOD_NOT_ALLOWED, message: `Use ${allow}.` };
  sendFileError(res, error, { ...TUS_HEADERS, Allow: allow });
}

function tusError(
  res: ServerResponse,
  status: number,
  code: FileHttpCode,
  message: string,
  headers: Record<string, string> = {},
): void {
  const error: FileHttpError = { status, code, message };
  sendFileError(res, error, { ...TUS_HEADERS, ...headers });
}
