import {
  CloseCode,
  IdentityRefusal,
  ErrorCode,
  type Attachment,
  type ClientFrameInput,
  type MessageWire,
  type PairCredential,
  type ServerFrame,
  type ServerFrameOf,
} from '../protocol';
import { loadCache, stateFromCache } from './cache';
import { CacheWriter } from './CacheWriter';
import type { DeviceDescription, ResolvedOptions } from './clientOptions';
import * as S from './clientState';
import { ClientErrorCode, RoostError, WarningCode, hasErrorCode } from './errors';
import { HubLink } from './HubLink';
import { OutboxPump, type OutboxStep } from './OutboxPump';
import { ReceiptMarks } from './ReceiptMarks';
import { Requests, expectAnswer } from './Requests';
import { StatePublisher } from './StatePublisher';
import { DeviceAuth, keyedCredentials, knownIdentity } from './DeviceAuth';
import type { Welcomed } from './deviceProofs';
import type { StoredCredentials } from './storage';
import { SyncEngine, type CatchUpRequest, type OlderRequest, type Page, type SyncStep } from './SyncEngine';
import { Timer } from './Timer';
import { TypingTracker } from './TypingTracker';

/**
 * The sync client's internals, and the one owner of its state. Every change
 * is made here, by the handler of one event (a frame, a link event, a timer,
 * an answered request, a call from the app), inside update(), which
 * publishes the state once when the handler is done.
 *
 * The collaborators never change the state and never call back in:
 * SyncEngine, OutboxPump, ReceiptMarks and TypingTracker take the state and
 * return what should happen (a new state, frames to send, storage writes),
 * and this class does it. HubLink (the socket), Requests (rid matching),
 * DeviceAuth (the device key's pairing and auth exchanges) and CacheWriter
 * (storage) do I/O; HubLink reports to the `link*` methods and
 * the timers to the `*Due` methods. RoostClient is the public face.
 */
export class ClientCore {
  /** The state as changed so far; update() publishes it. */
  private current: S.RoostState = S.INITIAL_STATE;
  private depth = 0;
  private credentials: StoredCredentials | undefined;
  /** Authenticated on the current connection (`ready` received). */
  private authenticated = false;
  /** The current connection's hub identity and challenge, from its `welcome`: pairing and auth sign them. */
  private welcomed: Welcomed | undefined;
  private loaded: Promise<void> | undefined;
  private readonly olderLoads = new Map<string, Promise<number>>();
  private readonly publisher: StatePublisher;
  private readonly cache: CacheWriter;
  private readonly link: HubLink;
  private readonly requests: Requests;
  private readonly auth: DeviceAuth;
  private readonly sync: SyncEngine;
  private readonly outbox: OutboxPump;
  private readonly marks = new ReceiptMarks();
  private readonly typing: TypingTracker;
  private readonly sendRetryTimer: Timer;
  private readonly marksTimer: Timer;
  private readonly typingTimer: Timer;

  constructor(private readonly options: ResolvedOptions) {
    const { clock, onWarning } = options;
    this.publisher = new StatePublisher(this.current, onWarning);
    this.cache = new CacheWriter(options.storage, this, onWarning);
    this.link = new HubLink(options, this);
    this.requests = new Requests(clock, options.requestTimeoutMs, this.link);
    this.auth = new DeviceAuth(options.deviceKeys, this.requests, onWarning);
    this.sync = new SyncEngine(options.sync);
    this.outbox = new OutboxPump(this.requests, options);
    this.typing = new TypingTracker(options.typingTimeoutMs, options.typingThrottleMs);
    this.sendRetryTimer = new Timer(clock, () => this.sendRetryDue());
    this.marksTimer = new Timer(clock, () => this.marksDue());
    this.typingTimer = new Timer(clock, () => this.typingExpiryDue());
  }

  // ---- for RoostClient ----

  /** The last published state: stable between changes, as useSyncExternalStore needs. */
  get state(): S.RoostState {
    return this.publisher.snapshot;
  }

  subscribe(listener: () => void): () => void {
    return this.publisher.subscribe(listener);
  }

  /** Shows the cached state (once), then connects. */
  async start(): Promise<void> {
    this.loaded ??= this.loadFromStorage();
    await this.loaded;
    this.link.start();
  }

  /** Disconnects and stops reconnecting; resolves when pending storage writes are done. */
  async stop(): Promise<void> {
    this.update(() => {
      this.link.stop();
      this.connectionGone(ClientErrorCode.STOPPED, 'The client was stopped.');
      this.forgetSendsAndTyping();
    });
    await this.cache.idle();
  }

  retryNow(): void {
    this.link.retryNow();
  }

  /**
   * After `identityRefused`: forgets this hub's account, key and cache, and connects again so that the device can
   * pair anew. Only the person may decide it, having checked the hub's new identity with its owner (appendix C.4).
   */
  async pairAgain(): Promise<void> {
    this.update(() => this.unpair('notPaired'));
    await this.cache.idle();
    this.link.start();
  }

  networkLost(): void {
    this.link.reconnect('network offline');
  }

  /** Pairs this device with a new key (DeviceAuth.pair); resolves once its credentials are stored. */
  async pair(credential: PairCredential, device: DeviceDescription = this.options.device): Promise<void> {
    if (this.current.session.phase === 'paired')
      throw new RoostError(ClientErrorCode.ALREADY_PAIRED, 'This device is already paired.', 'pair');
    const welcomed = this.welcomed;
    if (!welcomed) throw new RoostError(ClientErrorCode.NOT_CONNECTED, 'Not connected to the hub.', 'pair');
    await this.auth.pair(welcomed, credential, device);
    await this.cache.idle();
  }

  /** Trades a join link's token for a fresh one (PROTOCOL.md 6.3), before pairing with it. */
  async claimJoinLink(token: string): Promise<{ token: string; expiresAt: number }> {
    if (this.current.session.phase === 'paired')
      throw new RoostError(ClientErrorCode.ALREADY_PAIRED, 'This device is already paired.', 'claimJoinLink');
    const claimed = expectAnswer(await this.requests.request({ type: 'claimJoinLink', token }), 'joinLinkClaimed');
    return { token: claimed.token, expiresAt: claimed.expiresAt };
  }

  /** A request that needs an authenticated connection. */
  request(frame: ClientFrameInput): Promise<ServerFrame> {
    return this.requests.request(frame, this.authenticated);
  }

  /** Pending at once; sent once stored. Resolves with the clientMsgId. */
  async send(
    conversationId: string,
    text: string,
    attachments?: readonly Attachment[],
    clientMsgId?: string,
  ): Promise<string> {
    const now = this.options.clock.now();
    const { outbox, entry } = this.outbox.compose(this.current, conversationId, text, now, attachments, clientMsgId);
    this.update(() => this.setOutbox(outbox));
    // Stored before the first attempt, so a crash right after sending cannot lose it. A failed
    // write has been reported; the message still goes out from memory.
    await this.cache.saveOutboxEntry(entry);
    this.update(() => this.pumpOutbox());
    return entry.clientMsgId;
  }

  retrySend(clientMsgId: string): void {
    this.update(() => this.applyOutboxStep(this.outbox.retry(this.current.outbox, clientMsgId)));
  }

  discardPending(clientMsgId: string): boolean {
    return this.update(() => this.applyOutboxStep(this.outbox.discard(this.current.outbox, clientMsgId)));
  }

  /** Read up to the timeline's cursor: here at once, on the hub with the next marks. */
  markRead(conversationId: string): void {
    this.update(() => {
      const read = S.readToCursor(this.current, conversationId);
      if (read === this.current) return;
      this.current = read;
      this.noteMarks(conversationId);
      this.cache.saveSnapshotSoon();
    });
  }

  notifyTyping(conversationId: string): void {
    if (this.authenticated && this.typing.shouldSend(conversationId, this.options.clock.now()))
      this.link.send({ type: 'typing', conversationId });
  }

  /** One page of scrollback, from storage if it has it, else from the hub; resolves with how many were added. */
  loadOlder(conversationId: string): Promise<number> {
    const running = this.olderLoads.get(conversationId);
    if (running) return running;
    const task = this.fetchOlder(conversationId).finally(() => this.olderLoads.delete(conversationId));
    this.olderLoads.set(conversationId, task);
    return task;
  }

  // ---- for HubLink: what happens on the connection ----

  /** An attempt starts (`connecting`, `reconnecting`), or the link was stopped (`offline`). */
  linkStatus(status: Exclude<S.ConnectionStatus, 'connected'>): void {
    this.update(() => {
      this.current = { ...this.current, status, reconnect: undefined };
    });
  }

  /** The hub answered hello: authenticate if this device is paired with this very hub. */
  linkWelcomed(welcome: ServerFrameOf<'welcome'>): void {
    this.update(() => {
      const credentials = this.credentials;
      const known = credentials && knownIdentity(credentials, this.current.hub);
      this.current = { ...this.current, hub: welcome.hub };
      this.welcomed = { identity: welcome.hub.identity, challenge: welcome.challenge };
      if (credentials?.hubId === welcome.hub.id) {
        if (known !== undefined && known !== welcome.hub.identity) {
          // This hub's id under another identity: a rotated key, or someone else. Never sign for it (6.6).
          this.link.stop();
          this.linkIdentityRefused(IdentityRefusal.HUB_IDENTITY_CHANGED);
          return;
        }
        this.authenticate(credentials, this.welcomed);
        return;
      }
      // Another hub at this address (say, after an IP change) never gets this device's token.
      // The account is kept: the right hub may answer again, or pairing here replaces it.
      const session: S.Session = credentials ? { phase: 'unpaired', reason: 'hubChanged' } : this.current.session;
      this.link.markHealthy();
      this.current = { ...this.current, session, status: 'connected', reconnect: undefined };
    });
  }

  /** A frame from the hub after welcome. */
  linkFrame(frame: ServerFrame): void {
    this.update(() => this.receive(frame));
  }

  /** The connection ended (`welcomed`: a session may have ended with it); the next attempt is `retry`. */
  linkClosed(code: number, welcomed: boolean, retry: { attempt: number; nextAttemptAt: number }): void {
    this.update(() => {
      this.welcomed = undefined;
      if (welcomed) this.connectionLost(code);
      this.current = { ...this.current, status: 'reconnecting', reconnect: retry };
    });
  }

  /** The hub does not speak this protocol version: the link has stopped for good. */
  linkIncompatible(frame: ServerFrameOf<'incompatible'> | undefined, welcomed: boolean): void {
    this.update(() => {
      if (welcomed) this.connectionLost(CloseCode.INCOMPATIBLE_PROTOCOL);
      const { reason = 'UNKNOWN', hubProtocol, minProtocol } = frame ?? {};
      const session: S.Session = { phase: 'incompatible', reason, hubProtocol, minProtocol };
      this.current = { ...this.current, status: 'offline', reconnect: undefined, session };
    });
  }

  /** The pinning transport refused the hub (CloseCode.HUB_IDENTITY_REFUSED): terminal, credentials kept. */
  linkIdentityRefused(reason: IdentityRefusal): void {
    this.update(() => {
      if (this.authenticated) this.connectionLost(CloseCode.HUB_IDENTITY_REFUSED);
      const session: S.Session = { phase: 'identityRefused', reason };
      this.current = { ...this.current, status: 'offline', reconnect: undefined, session };
    });
  }

  // ---- internals ----

  /** Runs one event's handling, then publishes the state once if it changed. Nested calls join the outer one. */
  private update<T>(handle: () => T): T {
    this.depth++;
    try {
      return handle();
    } finally {
      this.depth--;
      if (this.depth === 0) this.publisher.publish(this.current);
    }
  }

  private async loadFromStorage(): Promise<void> {
    const { storage, cachedMessagesPerConversation } = this.options;
    const cache = await loadCache(storage, cachedMessagesPerConversation, (w) => this.options.onWarning?.(w));
    this.credentials = cache.credentials;
    this.cache.loaded(cache.storedReachedStart);
    this.update(() => {
      this.current = { ...stateFromCache(cache), status: this.current.status };
    });
  }

  /** Every change one frame causes; then the answer goes to the request waiting for it, if any. */
  private receive(frame: ServerFrame): void {
    switch (frame.type) {
      case 'paired':
        this.paired(frame);
        break;
      case 'ready':
        this.sessionReady(frame);
        break;
      case 'ack':
        this.applyOutboxStep(this.outbox.acked(this.current, frame));
        break;
      case 'message':
        this.mergeLive(frame.message, false);
        break;
      case 'receipt':
        if (frame.receipt.userId === this.current.self?.userId) this.marks.confirm(frame.conversationId, frame.receipt);
        this.current = S.applyReceipt(this.current, frame.conversationId, frame.receipt);
        this.cache.saveSnapshotSoon();
        break;
      case 'conversation':
        this.current = S.upsertConversation(this.current, frame.conversation);
        this.catchUp(frame.conversation.id);
        this.cache.saveSnapshotSoon();
        break;
      case 'user':
        this.current = S.upsertUser(this.current, frame.user);
        this.cache.saveSnapshotSoon();
        break;
      case 'hubInfo':
        // The owner renamed the hub; the id never changes.
        if (frame.hub.id === this.current.hub?.id) this.current = { ...this.current, hub: frame.hub };
        this.cache.saveSnapshotSoon();
        break;
      case 'presence':
        this.current = S.setPresence(this.current, frame.userId, frame.online);
        break;
      case 'devices':
        this.current = { ...this.current, devices: frame.devices };
        this.cache.saveSnapshotSoon();
        break;
      case 'conversationLeft':
        this.conversationLeft(frame.conversationId);
        break;
      case 'blocks':
        this.blocksChanged(frame.userIds);
        break;
      case 'typing':
        this.current = this.typing.shown(this.current, frame, this.options.clock.now());
        this.scheduleTypingExpiry();
        break;
      case 'error':
        if (this.applyOutboxStep(this.outbox.refused(this.current.outbox, frame)) || this.requests.settle(frame))
          return;
        this.options.onWarning?.({
          code: WarningCode.HUB_ERROR,
          message: `the hub reported ${frame.code} for "${frame.frameType ?? '?'}": ${frame.message}`,
          detail: frame,
        });
        return;
      default:
        break;
    }
    this.requests.settle(frame);
  }

  /** The own user left the room, here or on another device: it goes from the state and from storage. */
  private conversationLeft(id: string): void {
    if (!this.current.conversations[id]) return;
    const unsent = this.current.outbox.filter((e) => e.conversationId === id).map((e) => e.clientMsgId);
    this.current = S.dropConversation(this.current, id);
    for (const clientMsgId of unsent) this.cache.deleteOutboxEntry(clientMsgId);
    this.cache.forgetConversation(id);
    this.cache.saveSnapshotSoon();
  }

  /**
   * The own block list changed. The hub withheld the pushes of a blocked user's messages, so the
   * conversations shared with someone just unblocked may hold more than this device knows of.
   */
  private blocksChanged(userIds: readonly string[]): void {
    const unblocked = this.current.blockedUserIds.filter((id) => !userIds.includes(id));
    this.current = S.applyBlocks(this.current, userIds);
    this.cache.saveSnapshotSoon();
    for (const c of Object.values(this.current.conversations))
      if (unblocked.some((id) => c.kind === 'default' || c.memberUserIds.includes(id))) this.catchUp(c.id, true);
  }

  // ---- session ----

  private authenticate(credentials: StoredCredentials, welcomed: Welcomed): void {
    // Success is the `ready` frame, which receive() handles.
    this.auth.authenticate(welcomed, credentials).catch((err: unknown) => this.update(() => this.authRefused(err)));
  }

  /** A token the hub no longer knows unpairs; any other failure but a lost connection reconnects. */
  private authRefused(err: unknown): void {
    if (hasErrorCode(err, ErrorCode.AUTH_FAILED)) this.unpair('authFailed');
    else if (!hasErrorCode(err, ClientErrorCode.DISCONNECTED, ClientErrorCode.STOPPED))
      this.link.reconnect(`auth failed: ${String(err)}`);
  }

  private paired(frame: ServerFrameOf<'paired'>): void {
    const hubId = this.current.hub?.id;
    if (!hubId) return;
    // Paired anew (here: with a different hub): what was kept of the old account goes.
    if (this.credentials) this.unpair('notPaired', false);
    const hubIdentity = this.welcomed?.identity;
    this.credentials = {
      hubId,
      userId: frame.userId,
      deviceId: frame.deviceId,
      ...(hubIdentity ? { hubIdentity } : {}),
    };
    this.cache.saveCredentials(this.credentials);
    this.current = { ...this.current, session: { phase: 'paired' } };
  }

  /** Authenticated: take the hub's view, report marks, catch up what is missing, then send the outbox. */
  private sessionReady(ready: ServerFrameOf<'ready'>): void {
    if (!this.credentials) return;
    this.authenticated = true;
    // A bound protocol-1 token no longer works; the identity the key was proven to is the one to sign for.
    const keyed = keyedCredentials(this.credentials, this.welcomed?.identity);
    if (keyed) {
      this.credentials = keyed;
      this.cache.saveCredentials(keyed);
    }
    this.link.markHealthy();
    this.applySync(this.sync.restored(this.current, ready));
    this.current = { ...S.applyReady(this.current, ready), status: 'connected', reconnect: undefined };
    this.cache.saveSnapshotSoon();
    for (const wire of ready.conversations) {
      const own = wire.receipts.find((r) => r.userId === ready.self.userId);
      if (own) this.marks.confirm(wire.id, own);
    }
    const ids = Object.keys(this.current.conversations);
    // Marks made while offline, or messages stored but not yet reported, go to the hub now.
    for (const id of ids) this.noteMarks(id);
    for (const id of ids) this.catchUp(id);
    // After the catch-ups started: a conversation catching up holds its messages back (OutboxPump.take).
    this.pumpOutbox();
  }

  private connectionLost(closeCode: number): void {
    this.connectionGone(ClientErrorCode.DISCONNECTED, 'The connection to the hub was lost.');
    if (closeCode === CloseCode.DEVICE_REVOKED) this.unpair('revoked');
  }

  /** What ends with a connection: the session, open requests, catch-ups, marks and sends in flight. */
  private connectionGone(code: ClientErrorCode, message: string): void {
    this.authenticated = false;
    this.requests.failAll(code, message);
    this.current = this.sync.reset(this.current);
    this.marks.reset();
    this.marksTimer.cancel();
    this.applyOutboxStep(this.outbox.disconnected(this.current.outbox));
  }

  /**
   * Forgets the account here and in storage, so the UI goes back to pairing. `forgetKey` false: pairing anew has
   * just renewed the key, which belongs to the new account.
   */
  private unpair(reason: S.UnpairedReason, forgetKey = true): void {
    this.credentials = undefined;
    if (forgetKey) this.auth.forgetKey();
    this.authenticated = false;
    this.current = this.sync.reset(this.current);
    this.marks.forget();
    this.marksTimer.cancel();
    this.forgetSendsAndTyping();
    this.current = S.forgetAccount(this.current, reason);
    this.cache.clear();
    if (this.link.isOpen) this.current = { ...this.current, status: 'connected', reconnect: undefined };
  }

  /** The outbox's rids and retry wait, and typing throttles and expiry (stopped, or the account is gone). */
  private forgetSendsAndTyping(): void {
    this.outbox.reset();
    this.sendRetryTimer.cancel();
    this.typing.reset();
    this.typingTimer.cancel();
  }

  // ---- timelines (SyncEngine decides) ----

  /** Puts a SyncEngine step into effect; for each timeline change: store it, settle own messages, note marks. */
  private applySync(step: SyncStep): void {
    this.current = step.state;
    for (const warning of step.warnings) this.options.onWarning?.(warning);
    for (const merge of step.merges) {
      this.cache.saveTimeline(merge.conversationId, merge.before, merge.after, merge.added);
      if (merge.added.length === 0) continue;
      this.applyOutboxStep(this.outbox.seen(this.current, merge.added));
      this.noteMarks(merge.conversationId);
    }
  }

  /** A message pushed live, or (`own`) one of this device's that the hub acknowledged. */
  private mergeLive(message: MessageWire, own: boolean): void {
    this.applySync(this.sync.live(this.current, message, own));
    // Beyond a gap (a push this connection never got): fetch what is missing.
    this.catchUp(message.conversationId);
  }

  /** Starts fetching what the conversation misses, unless it has everything (`always`: even so) or is at it. */
  private catchUp(id: string, always = false): void {
    if (!this.authenticated) return;
    const started = this.sync.start(this.current, id, always);
    if (!started) return;
    this.current = started.state;
    void this.fetchCatchUpPages(started.request);
  }

  /** Page after page: each answer is merged in one update, which also yields the next request. */
  private async fetchCatchUpPages(first: CatchUpRequest): Promise<void> {
    let request: CatchUpRequest | undefined = first;
    try {
      while (request) {
        const asked: CatchUpRequest = request;
        const page = expectAnswer(await this.request(asked.frame), 'messages');
        request = this.update(() => this.catchUpPage(asked, page));
      }
    } catch (err) {
      this.update(() => this.catchUpFailed(first, err));
    }
  }

  private catchUpPage(request: CatchUpRequest, page: Page): CatchUpRequest | undefined {
    if (!this.sync.isCurrent(request)) return undefined;
    const step = this.sync.pageArrived(this.current, request, page);
    if (step.next) this.applySync(step);
    else this.catchUpEnded(step);
    return step.next;
  }

  private catchUpFailed(request: CatchUpRequest, err: unknown): void {
    if (this.sync.isCurrent(request)) this.catchUpEnded(this.sync.failed(this.current, request, err));
  }

  /** The catch-up is over (or given up until the next connection): the outbox sends what it held back. */
  private catchUpEnded(step: SyncStep): void {
    this.applySync(step);
    this.pumpOutbox();
  }

  private async fetchOlder(id: string): Promise<number> {
    const started = this.sync.startOlder(this.current, id);
    if (!started) return 0;
    const { request } = started;
    this.update(() => {
      this.current = started.state;
    });
    try {
      const stored = await this.cache.loadOlder(id, request.before, request.limit);
      // Storage holds a run without gaps that ends at the cursor, so its newest older messages connect.
      if (stored.messages.length > 0) return this.update(() => this.olderArrived(request, stored, true));
      if (!this.authenticated)
        throw new RoostError(
          ClientErrorCode.NOT_CONNECTED,
          'Older messages need the hub, which is not reachable right now.',
          'fetchMessages',
        );
      const page = expectAnswer(await this.request(request.frame), 'messages');
      return this.update(() => this.olderArrived(request, page, false));
    } catch (err) {
      this.update(() => {
        this.current = this.sync.olderFailed(this.current, request);
      });
      throw err;
    }
  }

  private olderArrived(request: OlderRequest, page: Page, fromStorage: boolean): number {
    const step = this.sync.olderArrived(this.current, request, page, fromStorage);
    this.applySync(step);
    return step.added;
  }

  // ---- outbox (OutboxPump decides) ----

  /** Does what the outbox asked for, in the order OutboxStep documents. False if there was nothing to do. */
  private applyOutboxStep(step: OutboxStep | undefined): boolean {
    if (!step) return false;
    this.setOutbox(step.outbox);
    if (step.save) void this.cache.saveOutboxEntry(step.save);
    for (const clientMsgId of step.remove ?? []) this.cache.deleteOutboxEntry(clientMsgId);
    if (step.delivered) this.mergeLive(step.delivered, true);
    if (step.retryInMs !== undefined) this.sendRetryTimer.start(step.retryInMs);
    if (step.pump) this.pumpOutbox();
    return true;
  }

  private setOutbox(outbox: S.RoostState['outbox']): void {
    if (outbox !== this.current.outbox) this.current = S.withOutbox(this.current, outbox);
  }

  /** Sends what the outbox may send now, on an authenticated connection. */
  private pumpOutbox(): void {
    if (!this.authenticated) return;
    const { outbox, frames } = this.outbox.take(this.current);
    this.setOutbox(outbox);
    for (const frame of frames) this.link.send(frame);
  }

  // ---- timers ----

  private sendRetryDue(): void {
    this.update(() => {
      this.outbox.retryDue();
      this.pumpOutbox();
    });
  }

  private noteMarks(id: string): void {
    this.marks.note(id);
    this.marksTimer.startUnlessPending(this.options.sync.markDelayMs);
  }

  /** Tells the hub what moved. Nothing goes while disconnected: the next `ready` notes every conversation. */
  private marksDue(): void {
    if (!this.authenticated) return;
    for (const frame of this.marks.flush(this.current.conversations)) this.link.send(frame);
  }

  private scheduleTypingExpiry(): void {
    const delay = this.typing.nextExpiryIn(this.current, this.options.clock.now());
    if (delay === undefined) this.typingTimer.cancel();
    else this.typingTimer.start(delay);
  }

  private typingExpiryDue(): void {
    this.update(() => {
      this.current = this.typing.expired(this.current, this.options.clock.now());
      this.scheduleTypingExpiry();
    });
  }
}
