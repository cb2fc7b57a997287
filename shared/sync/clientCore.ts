import { CloseCode, ErrorCode, type ClientFrameInput, type ServerFrame, type ServerFrameOf } from '../protocol';
import { DEFAULT_BACKOFF } from './backoff';
import { loadCache, stateFromCache } from './cache';
import { CacheWriter } from './cacheWriter';
import type { RoostClientOptions } from './clientOptions';
import * as S from './clientState';
import { applyLive, truncateAfter, type Timeline, type TimelineChange } from './conversationTimeline';
import { ClientErrorCode, RoostError, WarningCode, type RoostWarning } from './errors';
import { HubLink } from './hubLink';
import { OutboxPump } from './outboxPump';
import { ReceiptMarks } from './receiptMarks';
import { Requests } from './requests';
import type { StoredCredentials } from './storage';
import { SyncEngine } from './syncEngine';
import { TypingTracker } from './typingTracker';

/**
 * The sync client's internals: state, connection, session, frame handling.
 * RoostClient is its public face; the parts it drives live in their own
 * files (HubLink, SyncEngine, OutboxPump, TypingTracker, Requests).
 */
export class ClientCore {
  private current: S.RoostState = S.INITIAL_STATE;
  private readonly listeners = new Set<() => void>();
  private credentials: StoredCredentials | undefined;
  /** Authenticated on the current connection. */
  ready = false;
  private loaded: Promise<void> | undefined;
  readonly cache: CacheWriter;
  readonly link: HubLink;
  readonly requests: Requests;
  readonly sync: SyncEngine;
  readonly outbox: OutboxPump;
  readonly typing: TypingTracker;
  readonly marks: ReceiptMarks;

  constructor(readonly options: RoostClientOptions) {
    const { clock, storage } = options;
    const random = options.random ?? Math.random;
    const backoff = { ...DEFAULT_BACKOFF, ...options.backoff };
    const syncOptions = { pageSize: 200, olderPageSize: 50, initialHistory: 200, markDelayMs: 500, ...options.sync };
    this.cache = new CacheWriter(
      storage,
      () => this.current,
      (what, err) => this.warn(WarningCode.STORAGE_FAILED, `writing ${what} failed: ${String(err)}`, err),
    );
    this.requests = new Requests(clock, options.requestTimeoutMs ?? 15_000);
    this.link = new HubLink(
      {
        transport: options.transport,
        clock,
        random,
        backoff,
        clientName: options.clientName,
        connectTimeoutMs: options.connectTimeoutMs ?? 10_000,
        pingIntervalMs: options.pingIntervalMs ?? 15_000,
      },
      {
        status: (status, reconnect) => this.set({ ...this.current, status, reconnect }),
        welcome: (frame) => this.onWelcome(frame),
        frame: (frame) => this.onFrame(frame),
        lost: (code) => this.onLost(code),
        incompatible: (frame) =>
          this.set({
            ...this.current,
            session: {
              phase: 'incompatible',
              reason: frame?.reason ?? 'UNKNOWN',
              hubProtocol: frame?.hubProtocol,
              minProtocol: frame?.minProtocol,
            },
          }),
        warn: (w) => this.options.onWarning?.(w),
      },
    );
    this.sync = new SyncEngine(
      {
        isReady: () => this.ready,
        request: (frame) => this.request(frame),
        conversation: (id) => this.current.conversations[id],
        applyTimeline: (id, change, fromStorage) => this.applyTimeline(id, change, fromStorage),
        lowerLastSeq: (id, lastSeq) =>
          this.set(S.updateConversation(this.current, id, (c) => (lastSeq < c.lastSeq ? { ...c, lastSeq } : c))),
        setFlags: (id, flags) => {
          this.set(S.updateConversation(this.current, id, (c) => ({ ...c, ...flags })));
          // The outbox holds a conversation's messages while it catches up (outboxPump.ts).
          if (flags.syncing === false) this.outbox.pump();
        },
        loadStored: (id, beforeSeq, limit) => this.cache.loadOlder(id, beforeSeq, limit),
        warn: (w) => this.options.onWarning?.(w),
      },
      syncOptions,
    );
    this.marks = new ReceiptMarks(
      {
        clock,
        isReady: () => this.ready,
        send: (frame) => this.ready && this.link.send(frame),
        conversation: (id) => this.current.conversations[id],
      },
      syncOptions.markDelayMs,
    );
    this.outbox = new OutboxPump(
      {
        clock,
        storage,
        state: () => this.current,
        setOutbox: (outbox) => this.set(S.withOutbox(this.current, outbox)),
        isReady: () => this.ready,
        sendFrame: (frame) => this.ready && this.link.send(frame),
        newRid: () => this.requests.newRid('s'),
        persist: (what, task) => this.cache.write(what, task),
        deliverOwn: (message) => this.onMessage(message, true),
      },
      { randomId: options.randomId, maxInFlight: options.maxInFlight ?? 50, retryBackoff: backoff, random },
    );
    this.typing = new TypingTracker(
      clock,
      options.typingTimeoutMs ?? 5_000,
      () => this.current,
      (next) => this.set(next),
    );
  }

  get state(): S.RoostState {
    return this.current;
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Shows the cached state (once), then connects. */
  async start(): Promise<void> {
    this.loaded ??= this.loadFromStorage();
    await this.loaded;
    this.link.start();
  }

  /** Disconnects and stops reconnecting; resolves when pending storage writes are done. */
  async stop(): Promise<void> {
    this.link.stop();
    this.ready = false;
    this.requests.failAll(ClientErrorCode.STOPPED, 'The client was stopped.');
    this.sync.reset();
    this.marks.reset();
    this.outbox.onDisconnected();
    this.outbox.reset();
    this.typing.reset();
    await this.cache.idle();
  }

  private async loadFromStorage(): Promise<void> {
    const cache = await loadCache(this.options.storage, this.options.cachedMessagesPerConversation ?? 100, (w) =>
      this.options.onWarning?.(w),
    );
    this.credentials = cache.credentials;
    this.cache.loaded(cache.storedReachedStart);
    this.set({ ...stateFromCache(cache), status: this.current.status });
  }

  /** A request that needs an authenticated connection. */
  request(frame: ClientFrameInput): Promise<ServerFrame> {
    return this.requests.request(frame, (f) => this.ready && this.link.send(f));
  }

  set(next: S.RoostState): void {
    if (next === this.current) return;
    this.current = next;
    // A snapshot: a listener that subscribes or unsubscribes another changes who hears the next change, not this one.
    // The copy is the point: a live Set would call listeners added mid-loop.
    // oxlint-disable-next-line unicorn/no-useless-spread -- the copy is the point (see above)
    for (const listener of [...this.listeners]) {
      try {
        listener();
      } catch (err) {
        this.warn(WarningCode.HANDLER_FAILED, `a state listener threw: ${String(err)}`, err);
      }
    }
  }

  private warn(code: RoostWarning['code'], message: string, detail?: unknown): void {
    this.options.onWarning?.({ code, message, detail });
  }

  private onWelcome(welcome: ServerFrameOf<'welcome'>): void {
    this.set({ ...this.current, hub: welcome.hub });
    const credentials = this.credentials;
    if (!credentials || credentials.hubId !== welcome.hub.id) {
      // Another hub at this address (say, after an IP change) never gets this device's token.
      // The account is kept: the right hub may answer again, or pairing here replaces it.
      const session: S.Session = credentials ? { phase: 'unpaired', reason: 'hubChanged' } : this.current.session;
      this.link.markHealthy();
      this.set({ ...this.current, session, status: 'connected', reconnect: undefined });
      return;
    }
    const { deviceId, token } = credentials;
    this.requests
      .request({ type: 'auth', deviceId, token }, (f) => this.link.send(f))
      .catch((err: unknown) => {
        if (err instanceof RoostError && err.code === ErrorCode.AUTH_FAILED) this.unpair('authFailed');
        else if (!(
          err instanceof RoostError &&
          (err.code === ClientErrorCode.DISCONNECTED || err.code === ClientErrorCode.STOPPED)
        )) {
          this.link.reconnect(`auth failed: ${String(err)}`);
        }
      });
  }

  private onFrame(frame: ServerFrame): void {
    switch (frame.type) {
      case 'paired':
        this.onPaired(frame);
        break;
      case 'ready':
        this.onReady(frame);
        break;
      case 'ack':
        this.outbox.onAck(frame);
        break;
      case 'message':
        this.onMessage(frame.message);
        break;
      case 'receipt':
        if (frame.receipt.userId === this.current.self?.userId) this.marks.confirm(frame.conversationId, frame.receipt);
        this.set(S.applyReceipt(this.current, frame.conversationId, frame.receipt));
        this.saveSnapshotSoon();
        break;
      case 'conversation':
        this.set(S.upsertConversation(this.current, frame.conversation));
        this.sync.ensureCaughtUp(frame.conversation.id);
        this.saveSnapshotSoon();
        break;
      case 'user':
        this.set(S.upsertUser(this.current, frame.user));
        this.saveSnapshotSoon();
        break;
      case 'presence':
        this.set(S.setPresence(this.current, frame.userId, frame.online));
        break;
      case 'devices':
        this.set({ ...this.current, devices: frame.devices });
        this.saveSnapshotSoon();
        break;
      case 'typing':
        if (frame.userId !== this.current.self?.userId)
          this.typing.add(frame.conversationId, frame.userId, frame.deviceId);
        break;
      case 'error':
        if (this.outbox.onError(frame) || this.requests.settle(frame)) return;
        this.warn(
          WarningCode.HUB_ERROR,
          `the hub reported ${frame.code} for "${frame.frameType ?? '?'}": ${frame.message}`,
          frame,
        );
        return;
      default:
        break;
    }
    this.requests.settle(frame);
  }

  private onPaired(frame: ServerFrameOf<'paired'>): void {
    const hubId = this.current.hub?.id;
    if (!hubId) return;
    const credentials: StoredCredentials = {
      hubId,
      userId: frame.userId,
      deviceId: frame.deviceId,
      token: frame.token,
    };
    // Paired anew (here: with a different hub): what was kept of the old account goes.
    if (this.credentials) this.unpair('notPaired');
    this.credentials = credentials;
    this.cache.saveCredentials(credentials);
    this.set({ ...this.current, session: { phase: 'paired' } });
  }

  private onReady(ready: ServerFrameOf<'ready'>): void {
    if (!this.credentials) return;
    this.ready = true;
    this.link.markHealthy();
    this.forgetBeyondRestoredHub(ready);
    this.set({ ...S.applyReady(this.current, ready), status: 'connected', reconnect: undefined });
    this.saveSnapshotSoon();
    const ids = Object.keys(this.current.conversations);
    for (const wire of ready.conversations) {
      const own = wire.receipts.find((r) => r.userId === ready.self.userId);
      if (own) this.marks.confirm(wire.id, own);
    }
    // Marks made while offline, or messages stored but not yet reported, go to the hub now.
    for (const id of ids) this.marks.note(id);
    this.sync.catchUpAll(ids);
    this.outbox.pump();
  }

  /** A hub restored from an older copy hands out seqs again that this client holds (docs/PROTOCOL.md 8.4). */
  private forgetBeyondRestoredHub(ready: ServerFrameOf<'ready'>): void {
    if (this.current.self && this.current.self.userId !== ready.self.userId) return;
    for (const wire of ready.conversations) {
      const c = this.current.conversations[wire.id];
      if (!c || (wire.lastSeq >= c.timeline.cursor && c.timeline.buffered.length === 0)) continue;
      if (wire.lastSeq < c.timeline.cursor)
        this.warn(
          WarningCode.HUB_RESTORED,
          `conversation "${wire.id}": the hub is back at seq ${wire.lastSeq}, this device had ${c.timeline.cursor}`,
        );
      this.applyTimeline(wire.id, (t) => truncateAfter(t, wire.lastSeq));
      this.set(S.updateConversation(this.current, wire.id, (x) => ({ ...x, lastSeq: wire.lastSeq })));
    }
  }

  /** A message pushed live, or (`own`) one of this device's that the hub acknowledged. */
  private onMessage(message: ServerFrameOf<'message'>['message'], own = false): void {
    const id = message.conversationId;
    if (!this.current.conversations[id]) {
      this.warn(
        WarningCode.UNKNOWN_CONVERSATION,
        `a message arrived for unknown conversation "${id}"; it is fetched with the conversation`,
      );
      return;
    }
    const seen = S.noteSeq(this.current, id, message.seq);
    this.set(own ? seen : S.clearTyping(seen, id, message.senderUserId));
    this.applyTimeline(id, (t) => applyLive(t, message));
    // Beyond a gap (a push this connection never got): fetch what is missing.
    this.sync.ensureCaughtUp(id);
  }

  private onLost(code: number): void {
    this.ready = false;
    this.requests.failAll(ClientErrorCode.DISCONNECTED, 'The connection to the hub was lost.');
    this.sync.reset();
    this.marks.reset();
    this.outbox.onDisconnected();
    if (code === CloseCode.DEVICE_REVOKED) {
      this.unpair('revoked');
      this.link.markHealthy();
    }
  }

  /** Forgets the account here and in storage, so the UI goes back to pairing. */
  private unpair(reason: S.UnpairedReason): void {
    this.credentials = undefined;
    this.ready = false;
    this.sync.reset();
    this.marks.forget();
    this.outbox.reset();
    this.typing.reset();
    this.set(S.forgetAccount(this.current, reason));
    this.cache.clear();
    if (this.link.isOpen) this.set({ ...this.current, status: 'connected', reconnect: undefined });
  }

  private applyTimeline(
    id: string,
    change: (t: Timeline) => TimelineChange,
    fromStorage = false,
  ): TimelineChange['added'] {
    const before = this.current.conversations[id]?.timeline;
    if (!before) return [];
    const { timeline, added } = change(before);
    if (timeline === before) return [];
    this.set(S.updateConversation(this.current, id, (c) => ({ ...c, timeline })));
    if (fromStorage) return added;
    this.cache.saveTimeline(id, before, timeline, added);
    if (added.length > 0) {
      this.outbox.settleSeen(added);
      this.marks.note(id);
    }
    return added;
  }

  saveSnapshotSoon(): void {
    this.cache.saveSnapshotSoon();
  }
}
