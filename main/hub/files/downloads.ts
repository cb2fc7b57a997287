import { open, type FileHandle } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { pipeline } from 'node:stream/promises';
import { SECURITY_HEADERS } from '../securityHeaders';
import { parseRange } from './byteRange';
import { attachmentDisposition } from './contentDisposition';
import { FILE_NOT_FOUND, sendFileError } from './fileHttp';
import type { FileStore } from './FileStore';
import { MAGIC_BYTES, servesInline } from './imageMagic';

/** What a download needs of a message: whether it was deleted and its files, in order. */
export type FileMessage = {
  deleted?: boolean;
  attachments?: readonly {
    sha256: string;
    name: string;
    size: number;
    type: string;
    thumbnail?: { sha256: string; type: string };
  }[];
};

export type DownloadContext = {
  store: FileStore;
  userId: string;
  bodyIdleMs: number;
  isMember(conversationId: string, userId: string): boolean;
  readMessage(conversationId: string, seq: number): Promise<FileMessage | undefined>;
};

/** `thumbnail`: the attachment's thumbnail rather than the file (appendix F.4). */
export type DownloadTarget = { conversationId: string; seq: number; index: number; thumbnail?: boolean };

const READ_BYTES = 1024 * 1024;

/** Every file answer: no script or style runs in it even if a browser renders it (appendix F.5). */
const FILE_HEADERS = {
  ...SECURITY_HEADERS,
  'Content-Security-Policy': "default-src 'none'; sandbox",
  'Accept-Ranges': 'bytes',
  'Cache-Control': 'private, max-age=3600',
} as const;

/**
 * GET or HEAD of attachment `index` of message `seq`: only for a member, a message that is there and not
 * deleted, and a file it has; anything else is the same 404, so the answer tells nobody what exists.
 */
export async function serveDownload(
  ctx: DownloadContext,
  req: IncomingMessage,
  res: ServerResponse,
  target: DownloadTarget,
): Promise<void> {
  const file = await findFile(ctx, target);
  if (!file) return sendFileError(res, FILE_NOT_FOUND);
  let handle: FileHandle;
  try {
    handle = await open(file.path, 'r');
  } catch {
    // Swept between the lookup and here, or lost: the same answer as for a file that never was.
    return sendFileError(res, FILE_NOT_FOUND);
  }
  try {
    await answer(ctx, req, res, handle, file.attachment);
  } finally {
    await handle.close().catch(() => {});
  }
}

/** What a download serves: a file, or an image's thumbnail (named after it). */
type Served = { sha256: string; name: string; type: string };

async function findFile(
  ctx: DownloadContext,
  { conversationId, seq, index, thumbnail }: DownloadTarget,
): Promise<{ path: string; attachment: Served } | undefined> {
  if (!ctx.isMember(conversationId, ctx.userId)) return undefined;
  const message = await ctx.readMessage(conversationId, seq);
  const file = message && !message.deleted ? message.attachments?.[index] : undefined;
  const attachment = thumbnail ? file?.thumbnail && { ...file.thumbnail, name: `thumbnail-${file.name}` } : file;
  if (!attachment) return undefined;
  const path = ctx.store.blobPath(attachment.sha256);
  return path ? { path, attachment } : undefined;
}

async function answer(
  ctx: DownloadContext,
  req: IncomingMessage,
  res: ServerResponse,
  handle: FileHandle,
  attachment: Served,
): Promise<void> {
  const { size } = await handle.stat();
  const head = Buffer.alloc(Math.min(MAGIC_BYTES, size));
  if (head.length > 0) await handle.read(head, 0, head.length, 0);
  const etag = `"${attachment.sha256}"`;
  const inline = servesInline(attachment.type, head);
  const headers = {
    ...FILE_HEADERS,
    ETag: etag,
    'Content-Type': inline ? attachment.type : 'application/octet-stream',
    'Content-Disposition': inline ? 'inline' : attachmentDisposition(attachment.name),
  };
  if (req.headers['if-none-match'] === etag) {
    res.writeHead(304, headers);
    return void res.end();
  }
  const range = parseRange(req.headers.range, size);
  if (range === 'unsatisfiable') {
    res.writeHead(416, { ...headers, 'Content-Range': `bytes */${size}`, 'Content-Length': 0 });
    return void res.end();
  }
  const { start, end } = range ?? { start: 0, end: size - 1 };
  const length = end - start + 1;
  res.writeHead(range ? 206 : 200, {
    ...headers,
    'Content-Length': length,
    ...(range ? { 'Content-Range': `bytes ${start}-${end}/${size}` } : {}),
  });
  if (req.method === 'HEAD' || length === 0) return void res.end();
  // A reader that stops reading is cut after the idle time, like an upload that stops sending.
  res.setTimeout(ctx.bodyIdleMs, () => res.destroy());
  try {
    // 1 MiB reads: the default 64 KiB cost a third more CPU per byte served (bench/files).
    await pipeline(handle.createReadStream({ start, end, autoClose: false, highWaterMark: READ_BYTES }), res);
  } catch {
    // The client went away, or was cut: nothing to answer.
  }
}
