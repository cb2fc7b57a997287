import type { ClientFrameInput, MessageWire, ServerFrame } from '../protocol';
import type { ConversationState } from './clientState';
import {
  acceptBufferedGap,
  applyBackwardPage,
  applyForwardPage,
  oldestSeq,
  type Timeline,
  type TimelineChange,
} from './conversationTimeline';
import { ClientErrorCode, RoostError, WarningCode, type RoostWarning } from './errors';
import { expectAnswer } from './requests';

export type SyncOptions = {
  /** Messages per forward catch-up page. */
  pageSize: number;
  /** Messages per loadOlder() page. */
  olderPageSize: number;
  /**
   * A conversation this device has never loaded starts from its newest
   * `initialHistory` messages instead of its very first one (older ones come
   * with loadOlder). 0 loads everything forward from seq 1.
   */
  initialHistory: number;
  /** markDelivered and markRead go out at most this long after the change, one of each per conversation. */
  markDelayMs: number;
};

/** What the engine needs from the client. */
export interface SyncHost {
  isReady(): boolean;
  request(frame: ClientFrameInput): Promise<ServerFrame>;
  conversation(id: string): ConversationState | undefined;
  /**
   * Applies a timeline change to the state; unless it came from storage, also
   * persists what it added, settles own messages in the outbox and schedules
   * markDelivered. Returns what was added.
   */
  applyTimeline(id: string, change: (t: Timeline) => TimelineChange, fromStorage?: boolean): readonly MessageWire[];
  /**
   * A forward fetch found nothing newer than `lastSeq` on disk:
   * seqs the hub announced beyond it are still being written.
   */
  lowerLastSeq(id: string, lastSeq: number): void;
  setFlags(id: string, flags: { syncing?: boolean; loadingOlder?: boolean }): void;
  /**
   * The newest `limit` stored messages older than beforeSeq, and whether older ones may exist (stored or on the hub).
   */
  loadStored(id: string, beforeSeq: number, limit: number): Promise<{ messages: MessageWire[]; hasMore: boolean }>;
  warn(warning: RoostWarning): void;
}

/**
 * Keeps each conversation's timeline caught up with the hub (docs/PROTOCOL.md
 * section 8): forward pages from the cursor until the hub has no more, again
 * whenever a live message leaves a gap, and scrollback with loadOlder(). One
 * forward loop per conversation at a time; each loop re-reads the state after
 * every page, so live messages that arrive meanwhile are part of what it
 * checks next.
 */
export class SyncEngine {
  private readonly forward = new Set<string>();
  private readonly older = new Map<string, Promise<number>>();
  /** Bumped when the connection is lost: loops of an old connection stop. */
  private generation = 0;
  constructor(
    private readonly host: SyncHost,
    private readonly options: SyncOptions,
  ) {}

  /** After `ready`: catch up every conversation that is behind. */
  catchUpAll(ids: Iterable<string>): void {
    for (const id of ids) this.ensureCaughtUp(id);
  }

  /** Starts a forward loop for the conversation unless one is running or nothing is missing. */
  ensureCaughtUp(id: string): void {
    if (!this.host.isReady() || this.forward.has(id)) return;
    if (!this.isBehind(id)) return;
    void this.runForward(id);
  }

  /** The connection is gone: loops stop at their next step. */
  reset(): void {
    this.generation++;
  }

  /**
   * Loads one page of older messages, from storage if it has them, else from the hub.
   * Resolves with how many were added.
   */
  loadOlder(id: string): Promise<number> {
    const running = this.older.get(id);
    if (running) return running;
    const task = this.runOlder(id).finally(() => {
      this.older.delete(id);
      this.host.setFlags(id, { loadingOlder: false });
    });
    this.older.set(id, task);
    return task;
  }

  private isBehind(id: string): boolean {
    const c = this.host.conversation(id);
    return c !== undefined && (c.lastSeq > c.timeline.cursor || c.timeline.buffered.length > 0);
  }

  private async runForward(id: string): Promise<void> {
    const generation = this.generation;
    this.forward.add(id);
    this.host.setFlags(id, { syncing: true });
    let stalls = 0;
    let triedWindow = false;
    try {
      for (;;) {
        const c = this.host.conversation(id);
        if (generation !== this.generation || !c) return;
        const t = c.timeline;
        if (
          !triedWindow &&
          t.messages.length === 0 &&
          t.cursor === 0 &&
          this.options.initialHistory > 0 &&
          c.lastSeq > this.options.initialHistory
        ) {
          triedWindow = true;
          await this.fetchInitialWindow(id, c.lastSeq, generation);
          continue;
        }
        const cursor = t.cursor;
        const page = expectAnswer(
          await this.host.request({
            type: 'fetchMessages',
            conversationId: id,
            direction: 'forward',
            cursor,
            limit: this.options.pageSize,
          }),
          'messages',
        );
        if (generation !== this.generation) return;
        this.host.applyTimeline(id, (tl) => applyForwardPage(tl, cursor, page.messages));
        const after = this.host.conversation(id)?.timeline;
        if (!after) return;
        // Pages that move nothing: once can be a read that raced a push; twice in a row, the hub lacks those seqs.
        stalls = after.cursor > cursor ? 0 : stalls + 1;
        if (page.hasMore && stalls < 2) continue;
        if (after.buffered.length === 0) {
          // Done. Seqs announced beyond the cursor are still being written and come as pushes (8.2, 8.4).
          if (!page.hasMore) this.host.lowerLastSeq(id, after.cursor);
          return;
        }
        // A live message waits beyond a gap: fetch again, unless the hub has shown it cannot fill it.
        if (stalls >= 2) return this.giveUpOnGap(id);
      }
    } catch (err) {
      if (!(
        err instanceof RoostError &&
        (err.code === ClientErrorCode.DISCONNECTED ||
          err.code === ClientErrorCode.NOT_CONNECTED ||
          err.code === ClientErrorCode.STOPPED)
      )) {
        this.host.warn({
          code: WarningCode.SYNC_FAILED,
          message: `catching up conversation "${id}" failed: ${String(err)}`,
          detail: err,
        });
      }
    } finally {
      this.forward.delete(id);
      this.host.setFlags(id, { syncing: false });
    }
  }

  private async fetchInitialWindow(id: string, lastSeq: number, generation: number): Promise<void> {
    const cursor = lastSeq + 1;
    const page = expectAnswer(
      await this.host.request({
        type: 'fetchMessages',
        conversationId: id,
        direction: 'backward',
        cursor,
        limit: this.options.initialHistory,
      }),
      'messages',
    );
    if (generation !== this.generation) return;
    this.host.applyTimeline(id, (t) => applyBackwardPage(t, cursor, page.messages, page.hasMore));
  }

  private giveUpOnGap(id: string): void {
    const c = this.host.conversation(id);
    if (!c || c.timeline.buffered.length === 0) return;
    const skippedFrom = c.timeline.cursor + 1;
    this.host.applyTimeline(id, acceptBufferedGap);
    this.host.warn({
      code: WarningCode.GAP_SKIPPED,
      message: `conversation "${id}": the hub has no messages from seq ${skippedFrom}; skipped them`,
    });
  }

  private async runOlder(id: string): Promise<number> {
    const c = this.host.conversation(id);
    if (!c || !c.hasOlder) return 0;
    this.host.setFlags(id, { loadingOlder: true });
    const before = oldestSeq(c.timeline);
    const limit = this.options.olderPageSize;
    const stored = await this.host.loadStored(id, before, limit).catch((err: unknown) => {
      this.host.warn({
        code: WarningCode.STORAGE_FAILED,
        message: `reading stored messages failed: ${String(err)}`,
        detail: err,
      });
      return { messages: [], hasMore: true };
    });
    if (stored.messages.length > 0) {
      // Storage holds a run without gaps that ends at the cursor, so its newest older messages connect.
      return this.host.applyTimeline(id, (t) => applyBackwardPage(t, before, stored.messages, stored.hasMore), true)
        .length;
    }
    if (!this.host.isReady())
      throw new RoostError(
        ClientErrorCode.NOT_CONNECTED,
        'Older messages need the hub, which is not reachable right now.',
        'fetchMessages',
      );
    const page = expectAnswer(
      await this.host.request({
        type: 'fetchMessages',
        conversationId: id,
        direction: 'backward',
        cursor: before,
        limit,
      }),
      'messages',
    );
    return this.host.applyTimeline(id, (t) => applyBackwardPage(t, before, page.messages, page.hasMore)).length;
  }
}
