import { CloseCode, ErrorCode, LIMITS, textLength, type ClientFrameOf } from '../../../shared/protocol';
import type { Connection } from '../Connection';
import type { HubContext } from '../HubContext';
import { HubError } from '../HubError';
import {
  LogCorruptError,
  LogError,
  LogErrorCode,
  QuotaError,
  StorageError,
  type StoredMessage,
} from '../log/MessageLog';
import { messageToWire, receiptToWire } from '../wireMapping';
import { claimAttachments, unclaimAttachments, unclaimResent } from './files';
import { answerOk, requireMember } from './guards';

/**
 * Stores the message, acknowledges it once it is durable, then pushes it to
 * every other connection of every member, the sender's own devices included.
 */
export async function handleSend(ctx: HubContext, conn: Connection, frame: ClientFrameOf<'send'>): Promise<void> {
  const conversation = requireMember(ctx, conn, frame.conversationId);
  // Checked at once (a refusal throws here); the reference is durable before the ack.
  const claimed = claimAttachments(ctx, conn, frame);
  let result;
  try {
    // No await before this call: seqs follow the order frames arrived in.
    const appended = ctx.log
      .append(conversation.id, {
        clientMsgId: frame.clientMsgId,
        senderUserId: conn.userId,
        senderDeviceId: conn.deviceId,
        text: frame.text,
        ...(frame.attachments ? { attachments: frame.attachments } : {}),
      })
      .catch((err: unknown) => {
        // Not stored: its files are free again (a resend claims them anew).
        unclaimAttachments(ctx, conn, frame);
        throw err;
      });
    [result] = await Promise.all([appended, claimed]);
  } catch (err) {
    if (err instanceof QuotaError) throw quotaExceeded(err);
    if (!(err instanceof StorageError)) throw storageRefusal(ctx, err);
    ctx.logger.error('could not store a message', err);
    throw new HubError(
      ErrorCode.STORAGE_FAILED,
      'The hub could not store the message (disk full or failing). It was not sent; try again later.',
    );
  }
  const { message, duplicate } = result;
  if (duplicate) unclaimResent(ctx, conn, frame, message);
  conn.send({
    type: 'ack',
    rid: frame.rid,
    conversationId: conversation.id,
    clientMsgId: message.clientMsgId,
    seq: message.seq,
    sentAt: message.sentAt,
    duplicate,
  });
  if (duplicate) return;
  ctx.fanout.toMembers(conversation, { type: 'message', message: messageToWire(conversation.id, message) }, conn);
}

export async function handleFetchMessages(
  ctx: HubContext,
  conn: Connection,
  frame: ClientFrameOf<'fetchMessages'>,
): Promise<void> {
  // Queued behind this connection's earlier reads: those may have closed it, or spent its user's budget.
  if (conn.state === 'closed' || !withinAnswerBudget(ctx, conn)) return;
  const conversation = requireMember(ctx, conn, frame.conversationId);
  const limit = frame.limit ?? LIMITS.defaultPageSize;
  let page;
  try {
    page =
      frame.direction === 'forward'
        ? await ctx.log.readForward(conversation.id, frame.cursor, limit)
        : await ctx.log.readBackward(conversation.id, frame.cursor, limit);
  } catch (err) {
    throw storageRefusal(ctx, err);
  }
  const messages = capByText(page.messages, frame.direction);
  const sent = conn.send({
    type: 'messages',
    rid: frame.rid,
    conversationId: conversation.id,
    direction: frame.direction,
    messages: messages.map((m) => messageToWire(conversation.id, m)),
    hasMore: page.hasMore || messages.length < page.messages.length,
  });
  ctx.budgets.chargeUserAnswer(conn.userId, sent);
}

/**
 * A page costs its user by the bytes sent (FrameBudgets.chargeUserAnswer), after it is sent; none is built
 * while they are in debt. The connection is closed as for any frame over the user's budget.
 */
function withinAnswerBudget(ctx: HubContext, conn: Connection): boolean {
  const refused = ctx.budgets.userInDebt(conn.userId);
  if (!refused) return true;
  conn.close(CloseCode.RATE_LIMITED, `too much fetched by this user's devices; wait ${refused.waitSeconds} s`);
  return false;
}

const MIB = 1024 * 1024;

function quotaExceeded(err: QuotaError): HubError {
  const mib = (bytes: number) => `${Math.ceil((bytes / MIB) * 10) / 10} MiB`;
  return new HubError(
    ErrorCode.STORAGE_QUOTA_EXCEEDED,
    `Your messages take ${mib(err.storedBytes)} on this hub, and one person may store ${mib(err.limitBytes)}. ` +
      `This message was not sent; the hub's owner can raise the limit.`,
  );
}

/**
 * A conversation with damaged or missing files: refused with its own code, and the operator told
 * which file and what to do (for a conversation refused at start, the start-up log already says).
 * Anything else goes on as it was.
 */
export function storageRefusal(ctx: HubContext, err: unknown): unknown {
  if (!(err instanceof LogError) || err.code !== LogErrorCode.corrupt) return err;
  if (err instanceof LogCorruptError) ctx.logger.error(`message log: ${err.message}; restore the file from a backup`);
  return new HubError(
    ErrorCode.STORAGE_CORRUPT,
    "This conversation's history on the hub is damaged or missing, so the hub refuses it until its owner " +
      'repairs it; the hub tells its owner how.',
  );
}

/**
 * Keeps the part of a page nearest the cursor within the text budget (in
 * characters, as every length in the protocol); never less than one message.
 */
function capByText(messages: StoredMessage[], direction: 'forward' | 'backward'): StoredMessage[] {
  const ordered = direction === 'forward' ? messages : [...messages].reverse();
  let total = 0;
  let keep = 0;
  for (const m of ordered) {
    total += textLength(m.text);
    if (keep > 0 && total > LIMITS.maxPageTextLength) break;
    keep += 1;
  }
  if (keep === messages.length) return messages;
  return direction === 'forward' ? messages.slice(0, keep) : messages.slice(messages.length - keep);
}

export function handleMarkDelivered(ctx: HubContext, conn: Connection, frame: ClientFrameOf<'markDelivered'>): void {
  advance(ctx, conn, frame.conversationId, { deliveredSeq: frame.seq });
  answerOk(conn, frame.rid);
}

export function handleMarkRead(ctx: HubContext, conn: Connection, frame: ClientFrameOf<'markRead'>): void {
  advance(ctx, conn, frame.conversationId, { readSeq: frame.seq });
  answerOk(conn, frame.rid);
}

/**
 * Receipts go to every member's devices: senders see delivery and reads, and
 * the reader's own other devices clear their unread counts.
 */
function advance(
  ctx: HubContext,
  conn: Connection,
  conversationId: string,
  marks: { deliveredSeq?: number; readSeq?: number },
): void {
  const conversation = requireMember(ctx, conn, conversationId);
  const lastSeq = ctx.log.lastSeq(conversation.id);
  const clamped = {
    deliveredSeq: marks.deliveredSeq === undefined ? undefined : Math.min(marks.deliveredSeq, lastSeq),
    readSeq: marks.readSeq === undefined ? undefined : Math.min(marks.readSeq, lastSeq),
  };
  const receipt = ctx.registry.advanceReceipt(conversation.id, conn.userId, clamped);
  if (!receipt) return;
  ctx.fanout.toMembers(conversation, {
    type: 'receipt',
    conversationId: conversation.id,
    receipt: receiptToWire(receipt),
  });
}

export function handleTyping(ctx: HubContext, conn: Connection, frame: ClientFrameOf<'typing'>): void {
  const conversation = requireMember(ctx, conn, frame.conversationId);
  // Clients send one every 3 s while typing; relaying a flood would cost every member's devices.
  if (conn.mayRelayTyping(conversation.id, ctx.now())) {
    ctx.fanout.toMembers(
      conversation,
      { type: 'typing', conversationId: conversation.id, userId: conn.userId, deviceId: conn.deviceId },
      conn,
    );
  }
  answerOk(conn, frame.rid);
}
