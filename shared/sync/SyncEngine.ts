import type { ClientFrameInputOf, MessageWire, ServerFrameOf } from '../protocol';
import {
  clearTyping,
  mergeTimeline,
  noteSeq,
  setFlag,
  updateConversation,
  type ConversationState,
  type RoostState,
  type TimelineMerge,
} from './clientState';
import {
  acceptBufferedGap,
  applyBackwardPage,
  applyForwardPage,
  applyLive,
  oldestSeq,
  truncateAfter,
  type Timeline,
  type TimelineChange,
} from './conversationTimeline';
import { isDeletion } from './deletions';
import { WarningCode, isConnectionGone, type RoostWarning } from './errors';

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

export type FetchFrame = ClientFrameInputOf<'fetchMessages'>;
export type Page = Pick<ServerFrameOf<'messages'>, 'messages' | 'hasMore'>;

/** One page a catch-up asks for: the newest messages of a never-loaded conversation, or forward from the cursor. */
export type CatchUpRequest = {
  readonly kind: 'window' | 'forward';
  readonly frame: FetchFrame;
  /** The connection it was asked on (see SyncEngine.isCurrent). */
  readonly generation: number;
};

/** One page of scrollback: the newest `limit` messages before `before`. */
export type OlderRequest = { readonly before: number; readonly limit: number; readonly frame: FetchFrame };

/**
 * A new state and what ClientCore does after putting it in place: report
 * the warnings, and for each timeline change store what joined, settle own
 * messages among it and note the new delivered mark.
 */
export type SyncStep = {
  readonly state: RoostState;
  readonly merges: readonly TimelineMerge[];
  readonly warnings: readonly RoostWarning[];
};

type Run = { stalls: number; triedWindow: boolean };

/**
 * How each conversation's timeline follows the hub (docs/PROTOCOL.md
 * section 8): live pushes, forward pages from the cursor until the hub has
 * no more (again whenever a live message leaves a gap), scrollback, and a
 * hub restored from an older copy. Pure functions of (state, input) to a
 * SyncStep; ClientCore sends the requests and puts the steps into effect.
 * Remembered here is only what the state does not show: which catch-ups run
 * and how they are going. One catch-up per conversation at a time; each
 * decision looks at the conversation as it is after the page, live messages
 * that arrived meanwhile included.
 */
export class SyncEngine {
  private readonly running = new Map<string, Run>();
  /** Bumped when the connection is lost: answers to an old connection's requests are ignored. */
  private generation = 0;

  constructor(private readonly options: SyncOptions) {}

  /** A message pushed live, or (`own`) one of this device's that the hub acknowledged. */
  live(state: RoostState, message: MessageWire, own: boolean): SyncStep {
    const id = message.conversationId;
    if (!state.conversations[id]) {
      const warning: RoostWarning = {
        code: WarningCode.UNKNOWN_CONVERSATION,
        message: `a message arrived for unknown conversation "${id}"; it is fetched with the conversation`,
      };
      return { state, merges: [], warnings: [warning] };
    }
    // A live message raises lastSeq even while it waits in the buffer; and its sender has stopped typing (deleting
    // one of their messages says nothing of that).
    const seen = noteSeq(state, id, message.seq);
    const shown = own || isDeletion(message) ? seen : clearTyping(seen, id, message.senderUserId);
    const merged = mergeTimeline(shown, id, (t) => applyLive(t, message));
    return step(merged.state, [merged.merge]);
  }

  /** A hub restored from an older copy hands out seqs again that this client holds (docs/PROTOCOL.md 8.4). */
  restored(state: RoostState, ready: ServerFrameOf<'ready'>): SyncStep {
    if (state.self && state.self.userId !== ready.self.userId) return step(state);
    let next = state;
    const merges: (TimelineMerge | undefined)[] = [];
    const warnings: RoostWarning[] = [];
    for (const wire of ready.conversations) {
      const c = next.conversations[wire.id];
      if (!c || (wire.lastSeq >= c.timeline.cursor && c.timeline.buffered.length === 0)) continue;
      const had = c.timeline.cursor;
      if (wire.lastSeq < had) {
        const message = `conversation "${wire.id}": the hub is back at seq ${wire.lastSeq}, this device had ${had}`;
        warnings.push({ code: WarningCode.HUB_RESTORED, message });
      }
      const merged = mergeTimeline(next, wire.id, (t) => truncateAfter(t, wire.lastSeq));
      next = updateConversation(merged.state, wire.id, (x) => ({ ...x, lastSeq: wire.lastSeq }));
      merges.push(merged.merge);
    }
    return step(next, merges, warnings);
  }

  /**
   * Starts catching up a conversation that is behind: `syncing`, and the first page to ask for.
   * `always`: also one that looks current, when pushes were withheld (a user was just unblocked).
   */
  start(state: RoostState, id: string, always = false): { state: RoostState; request: CatchUpRequest } | undefined {
    const c = state.conversations[id];
    if (!c || this.running.has(id) || !(always || isBehind(c))) return undefined;
    const run: Run = { stalls: 0, triedWindow: false };
    this.running.set(id, run);
    return { state: setFlag(state, id, 'syncing', true), request: this.plan(c, run) };
  }

  /** False for a request of a connection that is gone: its answer is ignored. */
  isCurrent(request: CatchUpRequest): boolean {
    return request.generation === this.generation;
  }

  /** A catch-up page arrived: merged, and either the next page to ask for or the end of the catch-up. */
  pageArrived(state: RoostState, request: CatchUpRequest, page: Page): SyncStep & { next?: CatchUpRequest } {
    const id = request.frame.conversationId;
    const merged = mergeTimeline(state, id, pageChange(request, page));
    const c = merged.state.conversations[id];
    const run = this.running.get(id);
    if (!c || !run) return this.end(merged.state, id, [merged.merge]);
    if (request.kind === 'window') return { ...step(merged.state, [merged.merge]), next: this.plan(c, run) };
    const t = c.timeline;
    // Pages that move nothing: once can be a read that raced a push; twice in a row, the hub lacks those seqs.
    run.stalls = t.cursor > request.frame.cursor ? 0 : run.stalls + 1;
    // More on the hub, or a live message waits beyond a gap: fetch again, unless the hub has shown it cannot.
    if (run.stalls < 2 && (page.hasMore || t.buffered.length > 0))
      return { ...step(merged.state, [merged.merge]), next: this.plan(c, run) };
    if (t.buffered.length > 0) return this.skipGap(merged.state, id, merged.merge);
    // Caught up. Seqs announced beyond the cursor are still being written and come as pushes (8.2, 8.4).
    const lowered = page.hasMore
      ? merged.state
      : updateConversation(merged.state, id, (x) => (t.cursor < x.lastSeq ? { ...x, lastSeq: t.cursor } : x));
    return this.end(lowered, id, [merged.merge]);
  }

  /** A catch-up request failed: the catch-up ends, and is tried again on the next connection. */
  failed(state: RoostState, request: CatchUpRequest, err: unknown): SyncStep {
    const id = request.frame.conversationId;
    if (isConnectionGone(err)) return this.end(state, id, []);
    const message = `catching up conversation "${id}" failed: ${String(err)}`;
    return this.end(state, id, [], [{ code: WarningCode.SYNC_FAILED, message, detail: err }]);
  }

  /** The connection is gone: no conversation is catching up, and answers to its requests are ignored. */
  reset(state: RoostState): RoostState {
    this.generation++;
    this.running.clear();
    let next = state;
    for (const id of Object.keys(state.conversations)) next = setFlag(next, id, 'syncing', false);
    return next;
  }

  /** Starts loading the page of scrollback before the oldest message held; undefined if there is none. */
  startOlder(state: RoostState, id: string): { state: RoostState; request: OlderRequest } | undefined {
    const c = state.conversations[id];
    if (!c?.hasOlder) return undefined;
    const before = oldestSeq(c.timeline);
    const limit = this.options.olderPageSize;
    const frame = fetchFrame(id, 'backward', before, limit);
    return { state: setFlag(state, id, 'loadingOlder', true), request: { before, limit, frame } };
  }

  /**
   * Older messages arrived, with how many joined. Those from storage come
   * without a TimelineMerge: they are stored already, and were reported to
   * the hub when they first came.
   */
  olderArrived(
    state: RoostState,
    request: OlderRequest,
    page: Page,
    fromStorage: boolean,
  ): SyncStep & { added: number } {
    const id = request.frame.conversationId;
    const merged = mergeTimeline(state, id, (t) => applyBackwardPage(t, request.before, page.messages, page.hasMore));
    const loaded = step(setFlag(merged.state, id, 'loadingOlder', false), fromStorage ? [] : [merged.merge]);
    return { ...loaded, added: merged.merge?.added.length ?? 0 };
  }

  olderFailed(state: RoostState, request: OlderRequest): RoostState {
    return setFlag(state, request.frame.conversationId, 'loadingOlder', false);
  }

  /** The hub has shown twice that it cannot fill the gap before the buffered messages: they join without it. */
  private skipGap(state: RoostState, id: string, pageMerge: TimelineMerge | undefined): SyncStep {
    const skippedFrom = (state.conversations[id]?.timeline.cursor ?? 0) + 1;
    const merged = mergeTimeline(state, id, acceptBufferedGap);
    const warning: RoostWarning = {
      code: WarningCode.GAP_SKIPPED,
      message: `conversation "${id}": the hub has no messages from seq ${skippedFrom}; skipped them`,
    };
    return this.end(merged.state, id, [pageMerge, merged.merge], [warning]);
  }

  private end(
    state: RoostState,
    id: string,
    merges: readonly (TimelineMerge | undefined)[],
    warnings: readonly RoostWarning[] = [],
  ): SyncStep {
    this.running.delete(id);
    return step(setFlag(state, id, 'syncing', false), merges, warnings);
  }

  private plan(c: ConversationState, run: Run): CatchUpRequest {
    const t = c.timeline;
    const { initialHistory, pageSize } = this.options;
    const neverLoaded = t.messages.length === 0 && t.cursor === 0;
    if (!run.triedWindow && neverLoaded && initialHistory > 0 && c.lastSeq > initialHistory) {
      run.triedWindow = true;
      const frame = fetchFrame(c.id, 'backward', c.lastSeq + 1, initialHistory);
      return { kind: 'window', frame, generation: this.generation };
    }
    return { kind: 'forward', frame: fetchFrame(c.id, 'forward', t.cursor, pageSize), generation: this.generation };
  }
}

function isBehind(c: ConversationState): boolean {
  return c.lastSeq > c.timeline.cursor || c.timeline.buffered.length > 0;
}

function fetchFrame(
  conversationId: string,
  direction: FetchFrame['direction'],
  cursor: number,
  limit: number,
): FetchFrame {
  return { type: 'fetchMessages', conversationId, direction, cursor, limit };
}

function pageChange(request: CatchUpRequest, page: Page): (t: Timeline) => TimelineChange {
  const { cursor } = request.frame;
  return request.kind === 'window'
    ? (t) => applyBackwardPage(t, cursor, page.messages, page.hasMore)
    : (t) => applyForwardPage(t, cursor, page.messages);
}

function step(
  state: RoostState,
  merges: readonly (TimelineMerge | undefined)[] = [],
  warnings: readonly RoostWarning[] = [],
): SyncStep {
  return { state, merges: merges.filter((m) => m !== undefined), warnings };
}
