import { ErrorCode, type ClientFrameOf } from '../../../shared/protocol';
import type { Connection } from '../Connection';
import { FileClaimError } from '../files/FileStore';
import type { HubContext } from '../HubContext';
import { HubError } from '../HubError';
import type { StoredAttachment, StoredMessage } from '../log/MessageLog';

/**
 * Which message holds a reference to its files: the sender's own clientMsgId, known before the message
 * has a seq, so the reference is durable before the message is (a crash between keeps a file, never loses one).
 */
export function fileRefKey(conversationId: string, senderUserId: string, clientMsgId: string): string {
  return `${conversationId}/${senderUserId}/${clientMsgId}`;
}

/** Answers `openFileSession` with a one-time ticket for POST /api/files/session (appendix F.2). */
export function handleOpenFileSession(
  ctx: HubContext,
  conn: Connection,
  frame: ClientFrameOf<'openFileSession'>,
): void {
  const { ticket, expiresAt } = ctx.fileTickets.issue(conn.deviceId, conn.userId);
  conn.send({ type: 'fileTicket', rid: frame.rid, ticket, expiresAt });
}

/**
 * Checks, at once, that every file of a `send` is this user's own finished upload with the declared hash, and
 * references it from the message; the promise settles when the reference is durable. Knowing a file's hash
 * is never enough: only the user's own upload of those bytes counts.
 */
export function claimAttachments(
  ctx: HubContext,
  conn: Connection,
  frame: ClientFrameOf<'send'>,
): Promise<StoredAttachment[] | undefined> {
  const { attachments } = frame;
  if (!attachments) return Promise.resolve(undefined);
  const key = fileRefKey(frame.conversationId, conn.userId, frame.clientMsgId);
  try {
    return ctx.files.claim(conn.userId, key, attachments.flatMap(withThumbnail)).then(() => attachments);
  } catch (err) {
    throw claimRefusal(err);
  }
}

/**
 * A resend of a message the hub already had: the stored message names its own files, so any other upload the
 * resend claimed is given back, and every one if the message was deleted since (nothing would release them).
 */
export function unclaimResent(
  ctx: HubContext,
  conn: Connection,
  frame: ClientFrameOf<'send'>,
  stored: StoredMessage,
): void {
  if (!frame.attachments) return;
  const kept = new Set(stored.deleted ? [] : uploadIdsOf(stored.attachments ?? []));
  const extra = uploadIdsOf(frame.attachments).filter((id) => !kept.has(id));
  if (extra.length === 0) return;
  const key = fileRefKey(frame.conversationId, conn.userId, frame.clientMsgId);
  ctx.files
    .release(key, extra)
    .catch((err: unknown) => ctx.logger.error('could not release the files of a resend', err));
}

/** A `send` whose message was not stored gives back the references its files took. */
export function unclaimAttachments(ctx: HubContext, conn: Connection, frame: ClientFrameOf<'send'>): void {
  if (!frame.attachments) return;
  const key = fileRefKey(frame.conversationId, conn.userId, frame.clientMsgId);
  ctx.files
    .release(key, uploadIdsOf(frame.attachments))
    .catch((err: unknown) => ctx.logger.error('could not release the files of a message not stored', err));
}

/** A deleted message's files lose its reference; one no message references is freed after the grace period. */
export async function releaseAttachments(
  ctx: HubContext,
  conversationId: string,
  target: StoredMessage,
  attachments: readonly StoredAttachment[],
): Promise<void> {
  if (attachments.length === 0) return;
  const key = fileRefKey(conversationId, target.senderUserId, target.clientMsgId);
  try {
    await ctx.files.release(key, uploadIdsOf(attachments));
  } catch (err) {
    // The deletion stands; the file is kept until a later sweep (a leak, never a loss).
    ctx.logger.error(`could not release the files of message ${target.seq} of ${conversationId}`, err);
  }
}

type Uploaded = { uploadId: string; sha256: string; size: number; name: string };

/** A file and its thumbnail, each an upload of its own that the message references. */
function withThumbnail(a: Uploaded & { thumbnail?: { uploadId: string; sha256: string; size: number } }): Uploaded[] {
  if (!a.thumbnail) return [a];
  return [a, { ...a.thumbnail, name: `${a.name} (thumbnail)` }];
}

function uploadIdsOf(attachments: readonly StoredAttachment[]): string[] {
  return attachments.flatMap((a) => (a.thumbnail ? [a.uploadId, a.thumbnail.uploadId] : [a.uploadId]));
}

function claimRefusal(err: unknown): unknown {
  if (!(err instanceof FileClaimError)) return err;
  if (err.code === 'FILE_HASH_MISMATCH')
    return new HubError(
      ErrorCode.FILE_HASH_MISMATCH,
      `The file "${err.fileName}" that reached the hub is not the one this message names (its SHA-256 differs). ` +
        'Upload it again.',
    );
  return new HubError(
    ErrorCode.FILE_NOT_UPLOADED,
    `The file "${err.fileName}" is not an upload of yours that finished (or it expired). Upload it again.`,
  );
}
