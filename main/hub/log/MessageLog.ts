import { mkdir, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import {
  ConversationLog,
  type AppendResult,
  type ConversationConfig,
  type MessageDraft,
  type Page,
} from './ConversationLog';
import { LogError, LogErrorCode } from './errors';
import { checkOrWriteFormat } from './format';
import { loadConversation } from './loadConversation';
import { nodeLogFs, type LogFs } from './logFs';

export { StorageError, LogError, LogCorruptError, LogErrorCode } from './errors';
export type { StoredMessage } from './storedMessage';
export type { MessageDraft, AppendResult, Page } from './ConversationLog';
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
};

const DEFAULTS = { segmentBytes: 8 * 1024 * 1024, indexInterval: 128, dedupWindow: 10_000 } as const;
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

  private constructor(
    private readonly dir: string,
    private readonly config: ConversationConfig,
    private readonly conversations: Map<string, ConversationLog>,
  ) {}

  static async open(opts: MessageLogOptions): Promise<MessageLog> {
    const config: ConversationConfig = {
      segmentBytes: positiveInt('segmentBytes', opts.segmentBytes ?? DEFAULTS.segmentBytes),
      indexInterval: positiveInt('indexInterval', opts.indexInterval ?? DEFAULTS.indexInterval),
      dedupWindow: nonNegativeInt('dedupWindow', opts.dedupWindow ?? DEFAULTS.dedupWindow),
      cacheMessages: CACHE_MESSAGES,
      now: opts.now ?? Date.now,
      warn: opts.warn ?? ((message) => console.warn(message)),
      fs: { ...nodeLogFs, ...opts.fs },
    };
    await mkdir(opts.dir, { recursive: true, mode: 0o700 });
    await checkOrWriteFormat(opts.dir, config.fs);
    const ids: string[] = [];
    for (const entry of await readdir(opts.dir, { withFileTypes: true })) {
      if (!entry.isDirectory()) continue;
      if (CONVERSATION_ID.test(entry.name)) ids.push(entry.name);
      else config.warn(`message log: ignoring ${join(opts.dir, entry.name)}: not a conversation id`);
    }
    const conversations = new Map<string, ConversationLog>();
    await forEachLimited(ids, OPEN_CONCURRENCY, async (id) => {
      const dir = join(opts.dir, id);
      const loaded = await loadConversation(dir, { ...config, tailMessages: CACHE_MESSAGES });
      conversations.set(id, new ConversationLog(id, dir, loaded.segments, loaded.lastSeq, loaded.tail, config));
    });
    return new MessageLog(opts.dir, config, conversations);
  }

  /** The newest durable seq; 0 if the conversation has no messages. */
  lastSeq(conversationId: string): number {
    assertConversationId(conversationId);
    return this.conversations.get(conversationId)?.lastSeq() ?? 0;
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
    } catch (err) {
      return Promise.reject(err);
    }
    return this.conversation(conversationId).append(draft);
  }

  /** Messages with seq > afterSeq, oldest first, at most `limit`; hasMore if newer ones remain. */
  async readForward(conversationId: string, afterSeq: number, limit: number): Promise<Page> {
    this.assertOpen();
    assertConversationId(conversationId);
    assertCount('afterSeq', afterSeq);
    assertCount('limit', limit);
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
    return (
      (await this.conversations.get(conversationId)?.readBackward(beforeSeq, limit)) ?? { messages: [], hasMore: false }
    );
  }

  /** Resolves once every append made so far has settled: durable, or rejected and rolled back. */
  async flush(): Promise<void> {
    this.assertOpen();
    await Promise.all([...this.conversations.values()].map((c) => c.settled()));
  }

  /** Flushes and closes every file. Other calls reject afterwards; calling close again is harmless. */
  close(): Promise<void> {
    this.closing ??= Promise.all([...this.conversations.values()].map((c) => c.close())).then(() => undefined);
    return this.closing;
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
