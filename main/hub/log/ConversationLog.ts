import { LogError, LogErrorCode, QuotaError, SPACE_RESERVED, StorageError, errorMessage } from './errors';
import { eraseText } from './eraseText';
import { GroupCommit } from './GroupCommit';
import { RecentCache } from './RecentCache';
import { RecentIds } from './RecentIds';
import { locateLine, readSegments } from './readRange';
import type { Segment } from './segment';
import { SegmentWriter, type WriterConfig } from './SegmentWriter';
import { encodeLine, messageProblem, type StoredAttachment, type StoredMessage } from './storedMessage';
import type { UsageLedger } from './UsageLedger';

export type MessageDraft = Omit<StoredMessage, 'seq' | 'sentAt' | 'deleted'>;
export type AppendResult = { message: StoredMessage; duplicate: boolean };
/** Who deletes a message: the deletion record is stored as sent by them. */
export type DeletionDraft = Pick<StoredMessage, 'clientMsgId' | 'senderUserId' | 'senderDeviceId'>;
export type Deletion = {
  /** The deletion record, durable; undefined if the message was deleted before (its record exists). */
  readonly record: StoredMessage | undefined;
  /** The deleted message as reads return it from now on: text "", `deleted`, no files. */
  readonly target: StoredMessage;
  /** The files it had: empty if it had none, or was deleted before (they were released then). */
  readonly attachments: readonly StoredAttachment[];
  /** Settles once the text is overwritten in the segment; rejects with StorageError if it could not be. */
  readonly erased: Promise<void>;
};
export type Page = { messages: StoredMessage[]; hasMore: boolean };

export type ConversationConfig = WriterConfig & {
  dedupWindow: number;
  cacheMessages: number;
  now: () => number;
  usage: UsageLedger;
  maxBytesPerUser: number;
};

type Pending = {
  readonly seq: number;
  readonly message: StoredMessage;
  /** Resend key, and the key it pushed out of the window: both needed to roll the window back. */
  readonly key: string;
  readonly displaced: string | undefined;
  readonly line: Buffer;
  /** Resolves once the line is durable; rejects with a StorageError if it was rolled back. */
  readonly settled: Promise<void>;
  resolve(): void;
  reject(err: StorageError): void;
};

type Waiter = { draft: MessageDraft; resolve: (result: AppendResult) => void; reject: (err: unknown) => void };

/**
 * One conversation: assigns seqs, recognises resends, commits in groups and
 * answers reads. Two seqs are tracked: `lastAssigned` runs ahead while
 * commits are in flight, `durable` is what readers and lastSeq() see.
 */
export class ConversationLog {
  private lastAssigned: number;
  private durable: number;
  private readonly unsettled = new Map<number, Pending>();
  private readonly commits = new GroupCommit<Pending>((batch) => this.commit(batch));
  private readonly writer: SegmentWriter;
  private readonly cache: RecentCache;
  /** Null until the first append after open loads it from the log's tail. */
  private recentIds: RecentIds | null = null;
  /**
   * False until recentIds is loaded, and while a failed write is being cut off;
   * appends then wait in `waiters`, in order.
   */
  private ready = false;
  private preparing: Promise<void> | null = null;
  private waiters: Waiter[] = [];
  private readonly outstanding = new Set<Promise<void>>();
  /**
   * Messages deleted whose deletion this run knows of (made now, or a record in the tail at open): reads
   * return them deleted whatever their line says, so a text is never served while it is being erased.
   */
  private readonly deletedSeqs = new Set<number>();

  constructor(
    readonly id: string,
    conversationDir: string,
    private readonly segments: Segment[],
    lastSeq: number,
    tail: readonly StoredMessage[],
    private readonly config: ConversationConfig,
  ) {
    this.lastAssigned = lastSeq;
    this.durable = lastSeq;
    this.writer = new SegmentWriter(conversationDir, segments, config);
    this.cache = new RecentCache(config.cacheMessages);
    for (const message of tail) {
      this.cache.push(message);
      if (message.deletes !== undefined) this.deletedSeqs.add(message.deletes);
    }
  }

  lastSeq(): number {
    return this.durable;
  }

  /** No segment file was found or made: a conversation never written to, or one whose folder is gone. */
  holdsNoFiles(): boolean {
    return this.segments.length === 0;
  }

  /** Seq is assigned before this returns whenever the conversation is ready, so seqs follow call order. */
  append(draft: MessageDraft): Promise<AppendResult> {
    const result = this.ready ? this.appendNow(draft) : this.appendWhenReady(draft);
    this.track(result);
    return result;
  }

  /** close() waits for it. */
  private track(work: Promise<unknown>): void {
    const done = work.then(
      () => undefined,
      () => undefined,
    );
    this.outstanding.add(done);
    void done.then(() => this.outstanding.delete(done));
  }

  async readForward(afterSeq: number, limit: number): Promise<Page> {
    const durable = this.durable;
    const from = afterSeq + 1;
    if (limit === 0 || from > durable) return { messages: [], hasMore: from <= durable };
    const to = Math.min(durable, from + limit - 1);
    return { messages: await this.readRange(from, to), hasMore: to < durable };
  }

  async readBackward(beforeSeq: number, limit: number): Promise<Page> {
    const to = Math.min(beforeSeq - 1, this.durable);
    if (to < 1) return { messages: [], hasMore: false };
    if (limit === 0) return { messages: [], hasMore: true };
    const from = Math.max(1, to - limit + 1);
    return { messages: await this.readRange(from, to), hasMore: from > 1 };
  }

  /**
   * Deletes message `seq` (durable, not itself a deletion; else LogError LOG_NOT_FOUND): from this call
   * on, reads return it with text "" and `deleted`. Its deletion record is appended like a message and is
   * durable when this resolves; then its text is overwritten in its segment (`erased`). A message deleted
   * before gets no second record, but its text is erased again (a crash may have cut that short).
   */
  async delete(seq: number, by: DeletionDraft): Promise<Deletion> {
    if (!Number.isSafeInteger(seq) || seq < 1 || seq > this.durable)
      throw new LogError(LogErrorCode.notFound, `conversation ${this.id} has no message ${seq}`);
    const located = await locateLine(this.segments, seq, this.config);
    if (located.message.deletes !== undefined)
      throw new LogError(LogErrorCode.notFound, `seq ${seq} of conversation ${this.id} is a deletion, not a message`);
    // Checked and marked in one step (no await between), so two deletions of one message record it once.
    const known = located.message.deleted === true || this.deletedSeqs.has(seq);
    this.deletedSeqs.add(seq);
    let record: StoredMessage | undefined;
    if (!known) {
      try {
        ({ message: record } = await this.append({ ...by, text: '', deletes: seq }));
      } catch (err) {
        this.deletedSeqs.delete(seq);
        throw err;
      }
    }
    const sealed = located.segment !== this.segments[this.segments.length - 1];
    const erased = eraseText(located, sealed, this.config).then(
      () => undefined,
      (err: unknown) => {
        if (err instanceof LogError) throw err;
        throw new StorageError(`could not erase message ${seq} of ${this.id} from disk: ${errorMessage(err)}`, {
          cause: err,
        });
      },
    );
    this.track(erased);
    // The caller hears of a failure through `erased`; this keeps it from counting as unhandled meanwhile.
    erased.catch(() => undefined);
    const attachments = known ? [] : (located.message.attachments ?? []);
    return { record, target: asDeleted(located.message), attachments, erased };
  }

  /**
   * Finishes the erasing of deletions found in the tail at open: a crash between a deletion's record and
   * the overwrite of its text leaves the text on disk. Reads hide it meanwhile (deletedSeqs).
   */
  repairDeletions(): Promise<void> {
    const repaired = (async () => {
      for (const seq of this.deletedSeqs) {
        const located = await locateLine(this.segments, seq, this.config);
        const sealed = located.segment !== this.segments[this.segments.length - 1];
        if (await eraseText(located, sealed, this.config))
          this.config.warn(`message log: finished erasing deleted message ${seq} of ${this.id}`);
      }
    })();
    this.track(repaired);
    return repaired;
  }

  /** Settles once every append made so far has settled and any recovery has finished. */
  async settled(): Promise<void> {
    await Promise.all([...this.outstanding, this.preparing]);
  }

  async close(): Promise<void> {
    await this.settled();
    await this.writer.close();
  }

  private appendNow(draft: MessageDraft): Promise<AppendResult> {
    const key = RecentIds.key(draft.senderUserId, draft.clientMsgId);
    const seen = this.recentIds?.get(key);
    if (seen !== undefined) return this.duplicateOf(seen);
    if (!this.config.admitWrites())
      return Promise.reject(new StorageError(`cannot store a message in ${this.id}: ${SPACE_RESERVED}`));
    const message: StoredMessage = {
      seq: this.lastAssigned + 1,
      clientMsgId: draft.clientMsgId,
      senderUserId: draft.senderUserId,
      senderDeviceId: draft.senderDeviceId,
      sentAt: this.config.now(),
      text: draft.text,
      ...(draft.attachments === undefined ? {} : { attachments: draft.attachments }),
      ...(draft.deletes === undefined ? {} : { deletes: draft.deletes }),
    };
    const problem = messageProblem(message);
    if (problem)
      return Promise.reject(
        new LogError(
          LogErrorCode.badArgument,
          `cannot store message ${JSON.stringify(draft.clientMsgId)} in ${this.id}: ${problem}`,
        ),
      );
    const line = encodeLine(message);
    const { usage, maxBytesPerUser } = this.config;
    const stored = usage.bytesOf(draft.senderUserId);
    // A deletion is counted but never refused: someone whose messages fill the limit must still be able to delete
    // them, and it is bounded anyway (one per message, about a short message's size; users delete only their own).
    if (draft.deletes === undefined && stored + line.length > maxBytesPerUser)
      return Promise.reject(new QuotaError(draft.senderUserId, stored, maxBytesPerUser));
    usage.assigned(draft.senderUserId, line.length);
    this.lastAssigned = message.seq;
    const displaced = this.recentIds?.add(message.seq, key);
    const pending = makePending(message, line, key, displaced);
    this.unsettled.set(message.seq, pending);
    this.commits.push(pending);
    return pending.settled.then(() => ({ message, duplicate: false }));
  }

  private appendWhenReady(draft: MessageDraft): Promise<AppendResult> {
    return new Promise((resolve, reject) => {
      this.waiters.push({ draft, resolve, reject });
      this.prepare();
    });
  }

  /** A resend of a message still being committed waits for that commit, so it is never stored twice. */
  private async duplicateOf(seq: number): Promise<AppendResult> {
    const pending = this.unsettled.get(seq);
    if (pending) {
      await pending.settled;
      return { message: pending.message, duplicate: true };
    }
    const [message] = this.cache.range(seq, seq) ?? (await this.readRange(seq, seq));
    if (!message) throw new StorageError(`message ${seq} of ${this.id} is remembered but could not be read back`);
    // As reads give it: a resend of a deleted message must not bring back its files (handlers/files.ts).
    return { message: this.deletedSeqs.has(seq) && !message.deleted ? asDeleted(message) : message, duplicate: true };
  }

  /**
   * Makes the conversation ready: cuts off a failed write, loads the resend
   * window from the log's tail (done lazily so open() stays cheap), then
   * hands the waiting appends their seqs in arrival order.
   */
  private prepare(): void {
    if (this.preparing) return;
    this.preparing = (async () => {
      let failure: unknown = null;
      try {
        await this.writer.truncateToDurable();
        this.recentIds ??= await this.loadRecentIds();
      } catch (err) {
        failure = err;
      }
      this.preparing = null;
      const waiters = this.waiters;
      this.waiters = [];
      if (failure !== null) {
        // Damaged data in the resend window is the conversation's corruption, not a passing disk failure.
        const error =
          failure instanceof LogError
            ? failure
            : new StorageError(`conversation ${this.id} cannot take messages: ${errorMessage(failure)}`, {
                cause: failure,
              });
        for (const waiter of waiters) waiter.reject(error);
        return;
      }
      this.ready = true;
      for (const waiter of waiters) this.appendNow(waiter.draft).then(waiter.resolve, waiter.reject);
    })();
  }

  private async loadRecentIds(): Promise<RecentIds> {
    const window = this.config.dedupWindow;
    const ids = new RecentIds(window);
    const from = Math.max(1, this.durable - window + 1);
    if (window === 0 || from > this.durable) return ids;
    for (const m of await this.readRange(from, this.durable))
      ids.add(m.seq, RecentIds.key(m.senderUserId, m.clientMsgId));
    return ids;
  }

  /**
   * Resolves with what settles the durable part of the batch: GroupCommit calls it once the next commit is on its way.
   */
  private async commit(batch: Pending[]): Promise<() => void> {
    let durableCount = 0;
    let settledCount = 0;
    const settle = () => {
      for (; settledCount < durableCount; settledCount++) this.settleDurable(batch[settledCount]!);
    };
    try {
      await this.writer.write(batch, (count) => {
        durableCount = count;
      });
    } catch (err) {
      // What was durable before the failure is acknowledged; fail() rolls back to it.
      settle();
      this.fail(batch.slice(settledCount), err);
    }
    return settle;
  }

  private settleDurable(pending: Pending): void {
    this.config.usage.stored(this.id, pending.seq, pending.message.senderUserId, pending.line.length);
    this.durable = pending.seq;
    this.cache.push(pending.message);
    this.unsettled.delete(pending.seq);
    pending.resolve();
  }

  /**
   * Rejects the failed lines and everything queued behind them, and rolls
   * the conversation back to its durable state: seqs are reused, their
   * resend keys forgotten, the file cut back to its durable size.
   */
  private fail(failed: Pending[], cause: unknown): void {
    const rejected = failed.concat(this.commits.takeQueued());
    const first = rejected[0]?.seq;
    const last = rejected[rejected.length - 1]?.seq;
    const error = new StorageError(
      `could not store messages ${first}..${last} of conversation ${this.id}: ${errorMessage(cause)}`,
      { cause },
    );
    this.ready = false;
    this.lastAssigned = this.durable;
    for (let i = rejected.length - 1; i >= 0; i--) {
      const pending = rejected[i]!;
      this.recentIds?.remove(pending.seq, pending.key, pending.displaced);
      this.unsettled.delete(pending.seq);
      this.config.usage.rolledBack(pending.message.senderUserId, pending.line.length);
    }
    for (const pending of rejected) pending.reject(error);
    // Cut the file back now, not on the next append: the hub may stop before another one comes.
    this.prepare();
  }

  private async readRange(from: number, to: number): Promise<StoredMessage[]> {
    const messages = this.cache.range(from, to) ?? (await readSegments(this.segments, from, to, this.config));
    if (this.deletedSeqs.size === 0) return messages;
    return messages.map((m) => (this.deletedSeqs.has(m.seq) && !m.deleted ? asDeleted(m) : m));
  }
}

/** A message as it reads once deleted. */
function asDeleted(m: StoredMessage): StoredMessage {
  const { attachments: _gone, ...rest } = m;
  return { ...rest, text: '', deleted: true };
}

function makePending(message: StoredMessage, line: Buffer, key: string, displaced: string | undefined): Pending {
  let resolve!: () => void;
  let reject!: (err: StorageError) => void;
  const settled = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  // Rejections reach the appender through the promise it was given; this keeps the original from counting as unhandled.
  settled.catch(() => undefined);
  return { seq: message.seq, message, line, key, displaced, settled, resolve, reject };
}
