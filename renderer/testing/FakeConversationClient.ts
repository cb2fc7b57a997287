import type { Attachment, MessageWire } from '../../shared/protocol';
import type { ConversationState, OutboxEntry, RoostClient, RoostState } from '../../shared/sync';
import { CONVERSATION_ID, PEER, SELF } from './conversationFixtures';

/** What the conversation screen (ConversationView, MessageList, Composer) uses of the sync client. */
export type ConversationClient = Pick<
  RoostClient,
  | 'getState'
  | 'subscribe'
  | 'loadOlder'
  | 'markRead'
  | 'retrySend'
  | 'discardPending'
  | 'send'
  | 'notifyTyping'
  | 'deleteMessage'
>;

export type FakeHistory = {
  /** The loaded messages, ascending and without gaps. */
  messages: readonly MessageWire[];
  /** The own read mark. */
  readSeq: number;
  /** Whether the first message is the conversation's first (nothing older to load). */
  reachedStart: boolean;
};

/**
 * A stand-in for RoostClient holding one conversation, for component tests: its state has the real
 * RoostState shape, its methods the real signatures, and the test drives what a hub would
 * (a message arriving, a page of older history coming back). Derived fields (unreadCount, hasOlder)
 * follow RoostState's documented meaning, computed simply for one conversation.
 */
export class FakeConversationClient implements ConversationClient {
  private state: RoostState;
  private readonly listeners = new Set<() => void>();
  private olderPage: ((added: number) => void) | undefined;
  private sent = 0;
  /** The conversation id of every loadOlder() call, in order. */
  readonly loadOlderCalls: string[] = [];
  /** The seq of every deleteMessage() call, in order. */
  readonly deleteCalls: number[] = [];
  /** What the hub answers the next deleteMessage() with, instead of deleting (then cleared). */
  refuseNextDelete: Error | undefined;

  constructor(history: FakeHistory) {
    const { messages, readSeq, reachedStart } = history;
    const cursor = messages.at(-1)?.seq ?? 0;
    const conversation: ConversationState = {
      id: CONVERSATION_ID,
      kind: 'default',
      name: 'General',
      memberUserIds: [SELF.userId, PEER.userId],
      createdAt: (messages[0]?.sentAt ?? 0) - 60_000,
      lastSeq: cursor,
      receipts: {
        [SELF.userId]: { userId: SELF.userId, deliveredSeq: cursor, readSeq },
        [PEER.userId]: { userId: PEER.userId, deliveredSeq: cursor, readSeq: cursor },
      },
      timeline: { messages, cursor, reachedStart, buffered: [] },
      pending: [],
      readSeq,
      unreadCount: 0,
      hasOlder: false,
      typing: [],
      syncing: false,
      loadingOlder: false,
    };
    this.state = {
      status: 'connected',
      session: { phase: 'paired' },
      reconnect: undefined,
      hub: { id: 'hub', identity: 'A'.repeat(52), name: 'Test hub', protocolVersion: 1, appVersion: '0.1.0' },
      self: SELF,
      users: {
        [SELF.userId]: { id: SELF.userId, displayName: 'Ann', online: true },
        [PEER.userId]: { id: PEER.userId, displayName: 'Bob', online: true },
      },
      devices: [],
      conversations: { [CONVERSATION_ID]: derive(conversation) },
      blockedUserIds: [],
      outbox: [],
      pendingCount: 0,
    };
  }

  /** For ClientContext, which holds a whole RoostClient: the screen uses no more than ConversationClient. */
  asRoostClient(): RoostClient {
    return this as unknown as RoostClient;
  }

  /** A loadOlder() is waiting for `answerOlder`. */
  get olderPending(): boolean {
    return this.olderPage !== undefined;
  }

  get conversation(): ConversationState {
    return this.state.conversations[CONVERSATION_ID]!;
  }

  readonly getState = (): RoostState => this.state;

  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  /** Like the real client: the flag goes up at once, and the page arrives when the test calls `answerOlder`. */
  loadOlder(conversationId: string): Promise<number> {
    this.loadOlderCalls.push(conversationId);
    this.update({ loadingOlder: true });
    return new Promise((resolve) => {
      this.olderPage = resolve;
    });
  }

  /** Answers the pending loadOlder() with `older` (ascending, just below the oldest loaded message). */
  answerOlder(older: readonly MessageWire[], reachedStart: boolean): void {
    const resolve = this.olderPage;
    if (!resolve) throw new Error('answerOlder() without a pending loadOlder()');
    this.olderPage = undefined;
    const { timeline } = this.conversation;
    this.update({
      timeline: { ...timeline, messages: [...older, ...timeline.messages], reachedStart },
      loadingOlder: false,
    });
    resolve(older.length);
  }

  /** A message pushed by the hub (the next seq). */
  receive(message: MessageWire): void {
    const { timeline } = this.conversation;
    this.update({
      timeline: { ...timeline, messages: [...timeline.messages, message], cursor: message.seq },
      lastSeq: message.seq,
    });
  }

  markRead(conversationId: string): void {
    const c = this.state.conversations[conversationId];
    if (!c || c.timeline.cursor <= c.readSeq) return;
    const seq = c.timeline.cursor;
    const own = { userId: SELF.userId, deliveredSeq: seq, readSeq: seq };
    this.update({ receipts: { ...c.receipts, [SELF.userId]: own } });
  }

  /** Shows the message as pending at once, as the real outbox does; the hub never acknowledges it here. */
  send(conversationId: string, text: string, attachments?: readonly Attachment[]): Promise<string> {
    this.sent++;
    const entry: OutboxEntry = {
      clientMsgId: `pending-message-${this.sent}`,
      conversationId,
      text,
      ...(attachments && { attachments }),
      createdAt: Date.now(),
      order: this.sent,
      status: 'queued',
      lastError: undefined,
      attempts: 0,
    };
    const outbox = [...this.state.outbox, entry];
    this.state = { ...this.state, outbox, pendingCount: outbox.length };
    this.update({ pending: [...this.conversation.pending, entry] });
    return Promise.resolve(entry.clientMsgId);
  }

  notifyTyping(): void {}

  /** Like a hub: the deletion is pushed (the message emptied, the deletion after the newest) before the answer. */
  deleteMessage(conversationId: string, seq: number): Promise<void> {
    this.deleteCalls.push(seq);
    const refusal = this.refuseNextDelete;
    this.refuseNextDelete = undefined;
    if (refusal) return Promise.reject(refusal);
    const { timeline } = this.state.conversations[conversationId]!;
    const target = timeline.messages.find((m) => m.seq === seq)!;
    const deletion: MessageWire = { ...target, seq: timeline.cursor + 1, text: '', deletes: seq };
    const emptied = timeline.messages.map((m) => (m.seq === seq ? { ...m, text: '', deleted: true as const } : m));
    this.update({ timeline: { ...timeline, messages: [...emptied, deletion], cursor: deletion.seq } });
    return Promise.resolve();
  }

  retrySend(): void {}

  discardPending(): boolean {
    return false;
  }

  private update(change: Partial<ConversationState>): void {
    const next = derive({ ...this.conversation, ...change });
    this.state = { ...this.state, conversations: { ...this.state.conversations, [CONVERSATION_ID]: next } };
    for (const listener of this.listeners) listener();
  }
}

/** The fields RoostState derives from the others (readSeq, lastSeq, unreadCount, hasOlder). */
function derive(c: ConversationState): ConversationState {
  const readSeq = c.receipts[SELF.userId]?.readSeq ?? 0;
  const { messages, cursor, reachedStart } = c.timeline;
  const oldest = messages[0]?.seq ?? cursor + 1;
  // Seqs above the read mark that are not loaded count as unread, as in the real client.
  const notLoaded = Math.max(0, Math.min(oldest - 1, c.lastSeq) - readSeq);
  const unreadLoaded = messages.filter((m) => m.seq > readSeq && m.senderUserId !== SELF.userId).length;
  return {
    ...c,
    readSeq,
    lastSeq: Math.max(c.lastSeq, cursor),
    unreadCount: notLoaded + unreadLoaded,
    hasOlder: !reachedStart && oldest > 1,
  };
}
