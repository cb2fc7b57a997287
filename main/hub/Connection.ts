import type { Socket } from 'node:net';
import type { WebSocket } from 'ws';
import { CloseCode, type ServerFrame } from '../../shared/protocol';
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

/** connected → (hello) greeted → (pair|auth) authenticating → ready; closed at any time. */
export type ConnectionState = 'connected' | 'greeted' | 'authenticating' | 'ready' | 'closed';

/**
 * One WebSocket and what the hub knows about it. Sending never throws and
 * never queues without bound: a device that stops reading is cut off and
 * catches up from its cursors when it returns.
 */
export class Connection {
  state: ConnectionState = 'connected';
  userId = '';
  deviceId = '';
  /** Cleared at each heartbeat, set by any pong or frame. */
  alive = true;
  /** The last presence change this connection's `ready` snapshot showed (PresenceAnnouncer). */
  presenceSeen = 0;
  private readonly bucket: TokenBucket;
  /** Bounded by the conversations the user is a member of. */
  private readonly typingRelayedAt = new Map<string, number>();
  private reads: Promise<void> = Promise.resolve();
  private sendsInFlight = 0;

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

  get isReady(): boolean {
    return this.state === 'ready';
  }

  /** Runs `read` after every read queued before it on this connection has finished. */
  oneReadAtATime(read: () => Promise<void>): Promise<void> {
    const run = this.reads.then(read);
    this.reads = run.catch(() => {});
    return run;
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
      this.alive = true;
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

  /** A frame for this connection alone, through ws. */
  send(frame: ServerFrame): void {
    if (!this.mayWrite()) return;
    if (this.socket) corkUntilTickEnd(this.socket);
    this.ws.send(JSON.stringify(frame));
  }

  /**
   * A frame built once for many connections (sharedFrame.ts): its bytes go
   * straight to the socket, in order with ws's own frames and counted in
   * bufferedAmount (what makes that safe: wsInternals.ts).
   */
  sendShared(frame: SharedFrame): void {
    if (!this.mayWrite()) return;
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
    if (this.state === 'closed' || this.ws.readyState !== this.ws.OPEN) return false;
    if (this.ws.bufferedAmount <= this.limits.maxBufferedBytes) return true;
    this.cutOff();
    return false;
  }

  close(code: number, reason: string): void {
    if (this.state === 'closed') return;
    this.state = 'closed';
    this.ws.close(code, reason);
    // A peer that does not read will not answer the close handshake either.
    setTimeout(() => this.ws.terminate(), 2000).unref();
  }

  private cutOff(): void {
    this.close(CloseCode.SLOW_CONSUMER, 'not reading fast enough');
  }
}
