import { mkdir, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import {
  ConversationLog,
  type AppendResult,
  type ConversationConfig,
  type Deletion,
  type DeletionDraft,
  type MessageDraft,
  type Page,
} from './ConversationLog';
import { ConversationRefusedError, LogError, LogErrorCode, errorMessage } from './errors';
import { checkOrWriteFormat } from './format';
import { loadConversation } from './loadConversation';
import { nodeLogFs, type LogFs } from './logFs';
import { missingHistoryMessage, refusalMessage, type Refusal } from './refusals';
import { SegmentHandles } from './SegmentHandles';
import { encodeLine } from './storedMessage';
import { UsageLedger } from './UsageLedger';
import { USAGE_FILE, readUsageFile, writeUsageFile, type UsageCheckpoint } from './usageFile';

const USAGE_FILE_PATH = (dir: string) => join(dir, USAGE_FILE);

export { StorageError, LogError, LogCorruptError, LogErrorCode, QuotaError, ConversationRefusedError } from './errors';
export type { StoredAttachment, StoredMessage } from './storedMessage';
export type { MessageDraft, AppendResult, Page, Deletion, DeletionDraft } from './ConversationLog';
export type { LogFs } from './logFs';

export type MessageLogOptions = {
  /** e.g. <dataDir>/messages; created if missing. */
  dir: string;
  /** Roll to a new segment file once the active one reaches this size. Default 8 MiB. */
  segmentBytes?: number;
  /** One sparse index entry every this many messages. Default 128. */
  indexInterval?: number;
  /** A resend is recognised among this many newest messages of its conversation. Default 10_000. */
  dedupWindow?: number;
  /** Clock for sentAt. Default Date.now. */
  now?: () => number;
  /** Told about repairs (a torn tail dropped, an index rebuilt). Default console.warn. */
  warn?: (message: string) => void;
  /** Replaces some file operations, for tests: check writes are durable, fail a write with ENOSPC. */
  fs?: Partial<LogFs>;
  /**
   * Segment files open for appending at once, across all conversations; the least recently
   * used idle one is closed to make room. Default 64.
   */
  maxOpenSegments?: number;
  /**
   * Bytes of the log one user's messages may take (their stored lines), across all conversations;
   * an append beyond it rejects with QuotaError (a deletion record counts, but is never refused). Default 256 MiB.
   */
  maxBytesPerUser?: number;
  /**
   * Asked before every message write; while it says no, appends reject with StorageError. The hub
   * says no while the disk space it keeps for the registry is not whole (StorageReserve).
   */
  admitWrites?: () => boolean;
};

export const MESSAGE_LOG_DEFAULTS = {
  segmentBytes: 8 * 1024 * 1024,
  indexInterval: 128,
  dedupWindow: 10_000,
  maxOpenSegments: 64,
  maxBytesPerUser: 256 * 1024 * 1024,
} as const;
const DEFAULTS = MESSAGE_LOG_DEFAULTS;
/** How often the per-user usage counts are checkpointed (usage.json) when they changed. */
const USAGE_CHECKPOINT_MS = 30_000;
/** Messages read at a time when counting usage from the log. */
const COUNT_PAGE = 1000;
/** Newest messages kept in memory per conversation for live catch-up. */
const CACHE_MESSAGES = 256;
/** Conversations loaded at once on open: enough to overlap I/O, few enough to stay far from the fd limit. */
const OPEN_CONCURRENCY = 8;
const CONVERSATION_ID = /^[A-Za-z0-9_-]{1,64}$/;

/**
 * The hub's durable, append-only message log: one directory per
 * conversation, segment files of JSON lines, sparse indexes beside them.
 * An append resolves only once its line is on stable storage (LogFs.writeDurable);
 * appends that arrive meanwhile share the next durable write.
 */
export class MessageLog {
  private closing: Promise<void> | null = null;
  /** Counting usage from the log (after a crash or an upgrade), in the background; null once done. */
  private counting: Promise<void> | null = null;
  private readonly checkpointTimer: NodeJS.Timeout;
  private savingUsage: Promise<void> = Promise.resolve();
  /** Told once, not every 30 s while the disk stays full. */
  private usageWriteFailing = false;

  private constructor(
    private readonly dir: string,
    private readonly config: ConversationConfig,
    private readonly conversations: Map<string, ConversationLog>,
    private readonly refused: Map<string, Refusal>,
  ) {
    this.checkpointTimer = setInterval(() => void this.saveUsage(), USAGE_CHECKPOINT_MS);
    this.checkpointTimer.unref();
  }

  static async open(opts: MessageLogOptions): Promise<MessageLog> {
    const fs: LogFs = { ...nodeLogFs, ...opts.fs };
    const config: ConversationConfig = {
      segmentBytes: positiveInt('segmentBytes', opts.segmentBytes ?? DEFAULTS.segmentBytes),
      indexInterval: positiveInt('indexInterval', opts.indexInterval ?? DEFAULTS.indexInterval),
      dedupWindow: nonNegativeInt('dedupWindow', opts.dedupWindow ?? DEFAULTS.dedupWindow),
      cacheMessages: CACHE_MESSAGES,
      now: opts.now ?? Date.now,
      warn: opts.warn ?? ((message) => console.warn(message)),
      fs,
      handles: new SegmentHandles(
        positiveInt('maxOpenSegments', opts.maxOpenSegments ?? DEFAULTS.maxOpenSegments),
        (path, create) => fs.openSegment(path, create),
      ),
      usage: new UsageLedger(),
      maxBytesPerUser: positiveInt('maxBytesPerUser', opts.maxBytesPerUser ?? DEFAULTS.maxBytesPerUser),
      admitWrites: opts.admitWrites ?? (() => true),
    };
    await mkdir(opts.dir, { recursive: true, mode: 0o700 });
    await checkOrWriteFormat(opts.dir, config.fs);
    const ids: string[] = [];
    for (const entry of await readdir(opts.dir, { withFileTypes: true })) {
      if (!entry.isDirectory()) continue;
      if (CONVERSATION_ID.test(entry.name)) ids.push(entry.name);
      else config.warn(`message log: ignoring ${join(opts.dir, entry.name)}: not a conversation id`);
    }
    const checkpoint = await readUsageFile(opts.dir, config.warn);
    const conversations = new Map<string, ConversationLog>();
    const refused = new Map<string, Refusal>();
    await forEachLimited(ids, OPEN_CONCURRENCY, async (id) => {
      const dir = join(opts.dir, id);
      try {
        const loaded = await loadConversation(dir, { ...config, tailMessages: CACHE_MESSAGES });
        conversations.set(id, new ConversationLog(id, dir, loaded.segments, loaded.lastSeq, loaded.tail, config));
      } catch (err) {
        // One damaged conversation must not keep the hub from serving the others.
        refused.set(id, { message: refusalMessage(id, dir, err), knownSeq: checkpoint?.[id]?.seq ?? 0 });
      }
    });
    // The checkpoint counted messages of a conversation whose folder is gone: its history was lost, not empty.
    for (const [id, counted] of Object.entries(checkpoint ?? {})) {
      if (counted.seq === 0 || conversations.has(id) || refused.has(id) || !CONVERSATION_ID.test(id)) continue;
      refused.set(id, {
        message: missingHistoryMessage(
          id,
          join(opts.dir, id),
          counted.seq,
          `${USAGE_FILE_PATH(opts.dir)} counted them`,
        ),
        knownSeq: counted.seq,
      });
    }
    const log = new MessageLog(opts.dir, config, conversations, refused);
    log.startCounting(checkpoint);
    for (const conversation of conversations.values())
      conversation
        .repairDeletions()
        .catch((err: unknown) =>
          config.warn(
            `message log: could not finish erasing deleted messages of ${conversation.id}: ${errorMessage(err)}`,
          ),
        );
    return log;
  }

  /**
   * Conversations the log refuses because their files are damaged or missing, each with a message
   * for the operator naming the file and what to do. Appends and reads of them reject with
   * ConversationRefusedError; the other conversations are served.
   */
  refusals(): Array<{ conversationId: string; message: string }> {
    return [...this.refused].map(([conversationId, r]) => ({ conversationId, message: r.message }));
  }

  /**
   * Told by the caller that the conversation had messages up to `seq` (`evidence` says how it
   * knows: e.g. the registry's receipts). If the log holds no file of it at all, its history
   * was lost rather than empty: the conversation is refused instead of starting again at seq 1,
   * and the operator's message is returned. Otherwise returns null.
   */
  requireHistory(conversationId: string, seq: number, evidence: string): string | null {
    assertConversationId(conversationId);
    const refusal = this.refused.get(conversationId);
    if (refusal) {
      refusal.knownSeq = Math.max(refusal.knownSeq, seq);
      return null;
    }
    const conversation = this.conversations.get(conversationId);
    if (seq === 0 || (conversation && !conversation.holdsNoFiles())) return null;
    const message = missingHistoryMessage(conversationId, join(this.dir, conversationId), seq, evidence);
    this.conversations.delete(conversationId);
    this.refused.set(conversationId, { message, knownSeq: seq });
    return message;
  }

  /**
   * The newest durable seq; 0 if the conversation has no messages. For a refused conversation,
   * the newest seq known to have existed, so that devices keep what they hold of it.
   */
  lastSeq(conversationId: string): number {
    assertConversationId(conversationId);
    const refusal = this.refused.get(conversationId);
    if (refusal) return refusal.knownSeq;
    return this.conversations.get(conversationId)?.lastSeq() ?? 0;
  }

  /** Bytes of the log the user's messages take, or are about to (see maxBytesPerUser). */
  bytesStoredBy(userId: string): number {
    return this.config.usage.bytesOf(userId);
  }

  /** Resolves once the usage counts include every message the log held at open (see startCounting). */
  async usageCounted(): Promise<void> {
    await this.counting;
  }

  /**
   * Stores a message; resolves once it is durable. A resend (same sender and
   * clientMsgId among the newest dedupWindow messages) resolves with the
   * original and `duplicate: true`, storing nothing. Rejects with
   * StorageError if the disk refused it; nothing of it is then stored.
   */
  append(conversationId: string, draft: MessageDraft): Promise<AppendResult> {
    try {
      this.assertOpen();
      assertConversationId(conversationId);
      this.assertNotRefused(conversationId);
    } catch (err) {
      return Promise.reject(err);
    }
    return this.conversation(conversationId).append(draft);
  }

  /**
   * Deletes a message for everyone (README, "Deletions"): a deletion record, sent by `by`, is appended
   * and durable when this resolves; reads return the message with text "" from the call on, and
   * `erased` settles once its text is overwritten on disk. LogError LOG_NOT_FOUND if there is no such
   * message (or `seq` is a deletion); StorageError if the record could not be written.
   */
  delete(conversationId: string, seq: number, by: DeletionDraft): Promise<Deletion> {
    try {
      this.assertOpen();
      assertConversationId(conversationId);
      this.assertNotRefused(conversationId);
    } catch (err) {
      return Promise.reject(err);
    }
    const conversation = this.conversations.get(conversationId);
    if (!conversation)
      return Promise.reject(new LogError(LogErrorCode.notFound, `conversation ${conversationId} has no messages`));
    return conversation.delete(seq, by);
  }

  /** Messages with seq > afterSeq, oldest first, at most `limit`; hasMore if newer ones remain. */
  async readForward(conversationId: string, afterSeq: number, limit: number): Promise<Page> {
    this.assertOpen();
    assertConversationId(conversationId);
    assertCount('afterSeq', afterSeq);
    assertCount('limit', limit);
    this.assertNotRefused(conversationId);
    return (
      (await this.conversations.get(conversationId)?.readForward(afterSeq, limit)) ?? { messages: [], hasMore: false }
    );
  }

  /** The newest `limit` messages with seq < beforeSeq, oldest first; hasMore if older ones exist. */
  async readBackward(conversationId: string, beforeSeq: number, limit: number): Promise<Page> {
    this.assertOpen();
    assertConversationId(conversationId);
    assertCount('beforeSeq', beforeSeq);
    assertCount('limit', limit);
    this.assertNotRefused(conversationId);
    return (
      (await this.conversations.get(conversationId)?.readBackward(beforeSeq, limit)) ?? { messages: [], hasMore: false }
    );
  }

  /** Resolves once every append made so far has settled: durable, or rejected and rolled back. */
  async flush(): Promise<void> {
    this.assertOpen();
    await Promise.all([...this.conversations.values()].map((c) => c.settled()));
  }

  /**
   * Flushes and closes every file, and checkpoints the usage counts. Other calls reject
   * afterwards; calling close again is harmless.
   */
  close(): Promise<void> {
    this.closing ??= (async () => {
      clearInterval(this.checkpointTimer);
      await this.counting;
      await Promise.all([...this.conversations.values()].map((c) => c.close()));
      await this.config.handles.closeAll();
      await this.saveUsage();
    })();
    return this.closing;
  }

  /**
   * Loads the usage counts from the checkpoint and counts, in the background, what the log holds
   * beyond it: nothing after a clean stop, the last moments after a crash, everything once when
   * there is no checkpoint (the first start of this version). Until that is done a user's count
   * may be short by what remains to count. Start-up itself never reads the history for it.
   */
  private startCounting(checkpoint: UsageCheckpoint | null): void {
    const { usage } = this.config;
    const todo: Array<{ conversation: ConversationLog; from: number; to: number }> = [];
    for (const [id, counted] of Object.entries(checkpoint ?? {})) {
      if (this.refused.has(id)) usage.restore(id, counted.seq, counted.bytes, true);
    }
    for (const [id, conversation] of this.conversations) {
      const counted = checkpoint?.[id];
      const last = conversation.lastSeq();
      // A checkpoint past the log's end: the folder was restored from an older copy, so count it anew.
      const usable = counted && counted.seq <= last ? counted : { seq: 0, bytes: {} };
      usage.restore(id, usable.seq, usable.bytes, usable.seq === last);
      if (usable.seq < last) todo.push({ conversation, from: usable.seq, to: last });
    }
    if (todo.length === 0) return;
    this.counting = (async () => {
      for (const { conversation, from, to } of todo) {
        if (this.closing) return;
        try {
          for (let after = from; after < to && !this.closing;) {
            const page = await conversation.readForward(after, Math.min(COUNT_PAGE, to - after));
            for (const m of page.messages)
              usage.recounted(conversation.id, m.seq, m.senderUserId, encodeLine(m).length);
            const last = page.messages[page.messages.length - 1];
            if (!last) break;
            after = last.seq;
          }
          if (!this.closing) usage.completed(conversation.id);
        } catch (err) {
          this.config.warn(
            `message log: could not count the storage used in conversation ${conversation.id} ` +
              `(${errorMessage(err)}); its count stays short until it is readable`,
          );
        }
      }
    })().finally(() => {
      this.counting = null;
    });
  }

  private saveUsage(): Promise<void> {
    this.savingUsage = this.savingUsage.then(async () => {
      const checkpoint = this.config.usage.checkpoint();
      if (!checkpoint) return;
      try {
        await writeUsageFile(this.dir, checkpoint);
        this.config.usage.markSaved();
        this.usageWriteFailing = false;
      } catch (err) {
        if (!this.usageWriteFailing)
          this.config.warn(`message log: could not write ${USAGE_FILE_PATH(this.dir)}: ${errorMessage(err)}`);
        this.usageWriteFailing = true;
      }
    });
    return this.savingUsage;
  }

  private assertNotRefused(conversationId: string): void {
    const refusal = this.refused.get(conversationId);
    if (refusal) throw new ConversationRefusedError(conversationId, refusal.message);
  }

  private conversation(id: string): ConversationLog {
    let conversation = this.conversations.get(id);
    if (!conversation) {
      conversation = new ConversationLog(id, join(this.dir, id), [], 0, [], this.config);
      this.conversations.set(id, conversation);
    }
    return conversation;
  }

  private assertOpen(): void {
    if (this.closing) throw new LogError(LogErrorCode.closed, `message log ${this.dir} is closed`);
  }
}

/** Guards the one place a caller's string becomes a path. */
function assertConversationId(id: string): void {
  if (typeof id === 'string' && CONVERSATION_ID.test(id)) return;
  throw new LogError(LogErrorCode.badArgument, `conversation id ${JSON.stringify(id)} must be 1-64 of A-Z a-z 0-9 _ -`);
}

function assertCount(name: string, value: number): void {
  if (Number.isSafeInteger(value) && value >= 0) return;
  throw new LogError(LogErrorCode.badArgument, `${name} must be a non-negative integer, got ${String(value)}`);
}

function positiveInt(name: string, value: number): number {
  if (Number.isSafeInteger(value) && value > 0) return value;
  throw new LogError(LogErrorCode.badArgument, `option ${name} must be a positive integer, got ${String(value)}`);
}

function nonNegativeInt(name: string, value: number): number {
  assertCount(`option ${name}`, value);
  return value;
}

async function forEachLimited<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) await fn(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}
