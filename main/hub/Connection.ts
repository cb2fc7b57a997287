import { randomBytes } from 'node:crypto';
import type { Socket } from 'node:net';
import type { WebSocket } from 'ws';
import { CloseCode, PROTOCOL_VERSION, type ServerFrame } from '../../shared/protocol';
import { FILES_PROTOCOL, forProtocol2 } from './olderProtocol';
import { SerialQueue } from '../../shared/util/SerialQueue';
import { TokenBucket } from './TokenBucket';
import type { SharedFrame } from './sharedFrame';
import { corkUntilTickEnd } from './writeCoalescing';
import { writeFramed } from './wsInternals';

export type ConnectionLimits = {
  /** Frames per second a connection may send on average. */
  framesPerSecond: number;
  /** Frames a connection may send in one burst. */
  frameBurst: number;
  /** Bytes queued towards a device that has stopped reading before it is cut off. */
  maxBufferedBytes: number;
  /**
   * `send`s of one connection waiting to be stored before the hub stops
   * reading from it (see Connection.storingSend).
   */
  maxSendsInFlight: number;
};

/** Clients are asked to send `typing` at most every 3 s; a little less leaves room for jitter. */
export const TYPING_RELAY_MS = 2_000;

/**
 * connected → (hello) greeted → (pair) authenticating → ready, or greeted → (auth) ready;
 * a refused pair goes back to greeted; closed at any time (PROTOCOL.md 5).
 */
export type ConnectionState = 'connected' | 'greeted' | 'authenticating' | 'ready' | 'closed';

/** Who a ready connection belongs to. */
export type ConnectionIdentity = { readonly userId: string; readonly deviceId: string };

const NOBODY: ConnectionIdentity = { userId: '', deviceId: '' };

/**
 * One WebSocket and what the hub knows about it. Its state changes only
 * through the transition methods below, each of which refuses (throws) a move
 * the state machine does not allow: that would be a hub bug, never a client's
 * doing, since dispatch checks every frame's state first. Sending never throws
 * and never queues without bound: a device that stops reading is cut off and
 * catches up from its cursors when it returns.
 */
export class Connection {
  private current: ConnectionState = 'connected';
  private identity: ConnectionIdentity = NOBODY;
  /** The protocol `hello` named; frames are shaped for it (olderProtocol.ts). */
  private protocol = PROTOCOL_VERSION;
  /** Cleared at each heartbeat, set by any pong or frame. */
  private heardFrom = true;
  private readonly bucket: TokenBucket;
  /** Bounded by the conversations the user is a member of. */
  private readonly typingRelayedAt = new Map<string, number>();
  private readonly reads = new SerialQueue();
  private sendsInFlight = 0;
  /** Fresh for this connection: what `pair`, `pakeFinish` and `auth` sign (PROTOCOL.md 6). */
  readonly challenge = randomBytes(32).toString('base64url');

  constructor(
    readonly ws: WebSocket,
    readonly address: string,
    private readonly limits: ConnectionLimits,
    /**
     * The WebSocket's TCP socket, to coalesce writes (writeCoalescing.ts); without it every frame is written at once.
     */
    private readonly socket?: Socket,
  ) {
    this.bucket = new TokenBucket(limits.framesPerSecond, limits.frameBurst);
  }

  get state(): ConnectionState {
    return this.current;
  }

  /** Empty until the connection is ready. */
  get userId(): string {
    return this.identity.userId;
  }

  /** Empty until the connection is ready. */
  get deviceId(): string {
    return this.identity.deviceId;
  }

  /** Whether a pong or frame came since the last heartbeat. */
  get alive(): boolean {
    return this.heardFrom;
  }

  /** `hello` was accepted: connected → greeted. */
  greet(protocol = PROTOCOL_VERSION): void {
    this.move('greeted', 'connected');
    this.protocol = protocol;
  }

  /** A `pair` is being checked and stored: greeted → authenticating. */
  startPairing(): void {
    this.move('authenticating', 'greeted');
  }

  /** The `pair` was refused: authenticating → greeted. Ignored once closed (it died while pairing). */
  refusePairing(): void {
    if (this.current === 'closed') return;
    this.move('greeted', 'authenticating');
  }

  /** Paired or authenticated as a device: greeted (auth) or authenticating (pair) → ready. */
  authenticate(identity: ConnectionIdentity): void {
    this.move('ready', 'greeted', 'authenticating');
    this.identity = { userId: identity.userId, deviceId: identity.deviceId };
  }

  /** A pong or any frame arrived. */
  markAlive(): void {
    this.heardFrom = true;
  }

  /**
   * One heartbeat: drops the connection if it has not been heard from since
   * the last one, else pings it. One paused by storingSend is not dropped:
   * its pongs are simply unread.
   */
  heartbeat(): void {
    if (!this.heardFrom && !this.waitingForStorage) {
      this.ws.terminate();
      return;
    }
    this.heardFrom = false;
    this.ws.ping();
  }

  private move(to: ConnectionState, ...from: ConnectionState[]): void {
    if (!from.includes(this.current)) {
      throw new Error(`A connection cannot go from "${this.current}" to "${to}" (PROTOCOL.md 5).`);
    }
    this.current = to;
  }

  /** Runs `read` after every read queued before it on this connection has finished. */
  oneReadAtATime(read: () => Promise<void>): Promise<void> {
    return this.reads.run(read);
  }

  /**
   * Runs a `send` (synchronously, so seqs keep frame order) and counts it
   * until it settles. At maxSendsInFlight the hub stops reading this socket,
   * and reads again once at most half that many are waiting: TCP then holds
   * a flood in the device's own buffers. The bound is soft: frames of the
   * socket read already taken in are still handled (up to 64 KiB of them).
   * Unbounded, every waiting send's objects outlived the young generation,
   * and under more load than the disk takes the garbage collector ate the
   * hub's throughput (the benchmark's 50k/s offered: 2-30k/s stored without
   * this, 31-53k/s with it).
   */
  storingSend(send: () => Promise<void>): Promise<void> {
    this.sendsInFlight += 1;
    if (this.sendsInFlight === this.limits.maxSendsInFlight) this.ws.pause();
    let sending: Promise<void>;
    try {
      sending = send();
    } catch (err) {
      // A send that throws before it is under way must still be counted out, or the socket could stay paused.
      sending = Promise.reject(err);
    }
    return sending.finally(() => {
      this.sendsInFlight -= 1;
      if (!this.ws.isPaused || this.sendsInFlight > this.limits.maxSendsInFlight / 2) return;
      // The pause said nothing about the device: its pongs went unread, so it starts the next heartbeat as alive.
      this.heardFrom = true;
      this.ws.resume();
    });
  }

  /**
   * Paused by storingSend: its pongs are not read meanwhile (a ws semantic
   * wsInternals.test.ts holds ws to), so the heartbeat must not count their absence.
   */
  get waitingForStorage(): boolean {
    return this.ws.isPaused;
  }

  /** Whether a `typing` for this conversation may be relayed now: at most one per TYPING_RELAY_MS per connection. */
  mayRelayTyping(conversationId: string, now: number): boolean {
    const last = this.typingRelayedAt.get(conversationId);
    if (last !== undefined && now - last < TYPING_RELAY_MS) return false;
    this.typingRelayedAt.set(conversationId, now);
    return true;
  }

  /** Takes a frame from the budget; on overflow closes the connection and returns false. */
  admitFrame(): boolean {
    if (this.bucket.take()) return true;
    this.close(CloseCode.RATE_LIMITED, 'too many frames');
    return false;
  }

  /** A frame for this connection alone, through ws. Returns the bytes it took (0 when not sent). */
  send(frame: ServerFrame): number {
    if (!this.mayWrite()) return 0;
    if (this.socket) corkUntilTickEnd(this.socket);
    const json = JSON.stringify(this.protocol < FILES_PROTOCOL ? forProtocol2(frame) : frame);
    this.ws.send(json);
    return Buffer.byteLength(json);
  }

  /**
   * A frame built once for many connections (sharedFrame.ts): its bytes go
   * straight to the socket, in order with ws's own frames and counted in
   * bufferedAmount (what makes that safe: wsInternals.ts).
   */
  sendShared(shared: SharedFrame): void {
    if (!this.mayWrite()) return;
    const frame = this.protocol < FILES_PROTOCOL && shared.older ? shared.older() : shared;
    if (!this.socket) {
      this.ws.send(frame.payload, { binary: false });
      return;
    }
    corkUntilTickEnd(this.socket);
    writeFramed(this.socket, frame.wire);
  }

  /**
   * Open, and not so far behind that it counts as not reading (then it is
   * cut off). bufferedAmount includes sendShared's bytes and corked ones (wsInternals.ts).
   */
  private mayWrite(): boolean {
    if (this.current === 'closed' || this.ws.readyState !== this.ws.OPEN) return false;
    if (this.ws.bufferedAmount <= this.limits.maxBufferedBytes) return true;
    this.cutOff();
    return false;
  }

  /** Closes the WebSocket with `code`: any state → closed. Once closed, does nothing. */
  close(code: number, reason: string): void {
    if (this.current === 'closed') return;
    this.current = 'closed';
    this.ws.close(code, reason);
    // A peer that does not read will not answer the close handshake either.
    setTimeout(() => this.ws.terminate(), 2000).unref();
  }

  /** The WebSocket has closed (either side, for any reason): any state → closed. */
  socketClosed(): void {
    this.current = 'closed';
  }

  private cutOff(): void {
    this.close(CloseCode.SLOW_CONSUMER, 'not reading fast enough');
  }
}
