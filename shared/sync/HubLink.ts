import {
  CloseCode,
  ErrorCode,
  IdentityRefusal,
  PROTOCOL_VERSION,
  parseServerFrame,
  type ClientFrameInput,
  type ServerFrameOf,
} from '../protocol';
import { backoffDelay, type BackoffOptions } from './backoff';
import type { ClientCore } from './ClientCore';
import { WarningCode, type RoostWarning } from './errors';
import type { Clock, TimerHandle, Transport, TransportSocket } from './transport';

/**
 * Who hears what happens on the connection: ClientCore, typed by its own
 * methods so that go-to-definition on a call below lands on the handler.
 */
export type LinkListener = Pick<
  ClientCore,
  'linkStatus' | 'linkWelcomed' | 'linkFrame' | 'linkClosed' | 'linkIncompatible' | 'linkIdentityRefused'
>;

export type LinkOptions = {
  transport: Transport;
  clock: Clock;
  random: () => number;
  backoff: BackoffOptions;
  /** Sent in hello as `client`. */
  clientName?: string;
  /** Time from starting an attempt to `welcome` before it is given up. */
  connectTimeoutMs: number;
  /**
   * After this long without a frame from the hub, send an app-level `ping`;
   * after twice as long, treat the connection as dead and reconnect
   * (docs/PROTOCOL.md 10.3: browsers cannot see WebSocket pings).
   */
  pingIntervalMs: number;
  /** Frames that were ignored, handlers that threw. */
  onWarning?: (warning: RoostWarning) => void;
};

/**
 * One WebSocket at a time to the hub: opens it, says hello, reconnects with
 * backoff when it drops, and validates every frame before passing it on.
 * Events of an abandoned socket are ignored, and nothing thrown by a handler
 * escapes into the transport.
 */
export class HubLink {
  private socket: TransportSocket | undefined;
  private attemptId = 0;
  private welcomed = false;
  /** The identity the current connection proved in TLS, when its transport checks proofs. */
  private provenIdentity: string | undefined;
  private everWelcomed = false;
  private failures = 0;
  private retryTimer: TimerHandle | undefined;
  private connectTimer: TimerHandle | undefined;
  private pingTimer: TimerHandle | undefined;
  private lastHeard = 0;
  private running = false;

  constructor(
    private readonly options: LinkOptions,
    private readonly listener: LinkListener,
  ) {}

  /** Welcomed and not closed: frames can be sent. */
  get isOpen(): boolean {
    return this.socket !== undefined && this.welcomed;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.connect();
  }

  /** Closes the connection and stops reconnecting. */
  stop(): void {
    this.running = false;
    this.abandon(1000, 'client stopped');
    this.options.clock.clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    this.listener.linkStatus('offline');
  }

  /** Skips the rest of a backoff wait (e.g. when the browser reports it is online again). */
  retryNow(): void {
    if (!this.running || this.socket) return;
    this.options.clock.clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    this.connect();
  }

  /** The session is established: the next loss retries from the shortest delay again. */
  markHealthy(): void {
    this.failures = 0;
  }

  /** Drops the current connection and reconnects (after a failure the session cannot recover from in place). */
  reconnect(reason: string): void {
    const hadSocket = this.socket !== undefined;
    const wasWelcomed = this.welcomed;
    this.abandon(4000, reason);
    if (hadSocket && this.running) this.afterClose(wasWelcomed, 4000, reason);
  }

  /** Sends a frame if the connection is open; false otherwise. */
  send(frame: ClientFrameInput): boolean {
    if (!this.isOpen) return false;
    this.socket!.send(JSON.stringify(frame));
    return true;
  }

  private connect(): void {
    const id = ++this.attemptId;
    this.welcomed = false;
    this.listener.linkStatus(this.everWelcomed || this.failures > 0 ? 'reconnecting' : 'connecting');
    const current = () => id === this.attemptId && this.running;
    this.connectTimer = this.options.clock.setTimeout(() => {
      if (current() && !this.welcomed) this.reconnect('connect timeout');
    }, this.options.connectTimeoutMs);
    this.provenIdentity = undefined;
    this.socket = this.options.transport.connect({
      open: (provenIdentity) => {
        if (!current()) return;
        this.provenIdentity = provenIdentity;
        this.lastHeard = this.options.clock.now();
        this.schedulePing(id);
        this.socket?.send(
          JSON.stringify({ type: 'hello', protocol: PROTOCOL_VERSION, client: this.options.clientName }),
        );
      },
      message: (text) => {
        if (!current()) return;
        this.lastHeard = this.options.clock.now();
        this.receive(text);
      },
      close: (code, reason) => {
        if (!current()) return;
        const wasWelcomed = this.welcomed;
        this.socket = undefined;
        this.welcomed = false;
        this.options.clock.clearTimeout(this.connectTimer);
        this.options.clock.clearTimeout(this.pingTimer);
        this.afterClose(wasWelcomed, code, reason);
      },
    });
  }

  /** Liveness: ping when the hub has been quiet for an interval, give up after two. */
  private schedulePing(id: number): void {
    const { clock, pingIntervalMs } = this.options;
    this.pingTimer = clock.setTimeout(() => {
      if (id !== this.attemptId || !this.socket) return;
      const silent = clock.now() - this.lastHeard;
      if (silent >= 2 * pingIntervalMs) {
        this.reconnect('the hub stopped answering');
        return;
      }
      if (silent >= pingIntervalMs) this.socket.send(JSON.stringify({ type: 'ping' }));
      this.schedulePing(id);
    }, pingIntervalMs / 2);
  }

  private receive(text: string): void {
    try {
      const parsed = parseServerFrame(text);
      if (!parsed.ok) {
        // A newer hub's frame type is skipped (docs/PROTOCOL.md 4.4); a known type with bad fields is a broken frame.
        const code = parsed.code === ErrorCode.UNKNOWN_TYPE ? WarningCode.UNKNOWN_FRAME : WarningCode.INVALID_FRAME;
        this.options.onWarning?.({
          code,
          message: `ignored a frame from the hub: ${parsed.message}`,
          detail: text.slice(0, 200),
        });
        return;
      }
      const frame = parsed.frame;
      // Liveness answers; a hub that predates `ping` answers UNKNOWN_TYPE, which shows it is alive just as well.
      if (frame.type === 'pong' || (frame.type === 'error' && frame.frameType === 'ping')) return;
      if (frame.type === 'incompatible') {
        this.terminate(frame);
        return;
      }
      if (frame.type === 'welcome' && !this.welcomed) {
        if (this.provenIdentity !== undefined && frame.hub.identity !== this.provenIdentity) {
          // A hub claiming an identity other than the one it proved: a relay in the middle, never the hub itself.
          this.refuseIdentity(IdentityRefusal.HUB_IDENTITY_UNPROVEN);
          return;
        }
        this.welcomed = true;
        this.everWelcomed = true;
        this.options.clock.clearTimeout(this.connectTimer);
        this.listener.linkWelcomed(frame);
        return;
      }
      this.listener.linkFrame(frame);
    } catch (err) {
      this.options.onWarning?.({
        code: WarningCode.HANDLER_FAILED,
        message: `handling a frame failed: ${String(err)}`,
        detail: err,
      });
    }
  }

  /** Retrying cannot help: the same hub proves the same identity, and a re-pin must be the person's choice. */
  private refuseIdentity(reason: IdentityRefusal): void {
    this.running = false;
    this.abandon(1000, 'identity refused');
    this.listener.linkIdentityRefused(reason);
  }

  /** A connection ended while the link runs: one report, and the next attempt after a backoff delay. */
  private afterClose(wasWelcomed: boolean, code: number, reason: string): void {
    if (code === CloseCode.INCOMPATIBLE_PROTOCOL) {
      this.terminate(undefined);
      return;
    }
    if (code === CloseCode.HUB_IDENTITY_REFUSED) {
      this.refuseIdentity(isIdentityRefusal(reason) ? reason : IdentityRefusal.HUB_IDENTITY_UNPROVEN);
      return;
    }
    // Not the hub failing: it removed this device, which reconnects from the shortest delay to pair again.
    if (wasWelcomed && code === CloseCode.DEVICE_REVOKED) this.markHealthy();
    const attempt = this.failures++;
    const delay = Math.max(
      backoffDelay(attempt, this.options.backoff, this.options.random),
      code === CloseCode.RATE_LIMITED ? budgetWaitMs(reason) : 0,
    );
    this.retryTimer = this.options.clock.setTimeout(() => {
      this.retryTimer = undefined;
      if (this.running && !this.socket) this.connect();
    }, delay);
    this.listener.linkClosed(code, wasWelcomed, {
      attempt: attempt + 1,
      nextAttemptAt: this.options.clock.now() + delay,
    });
  }

  private terminate(frame: ServerFrameOf<'incompatible'> | undefined): void {
    const wasWelcomed = this.welcomed;
    this.running = false;
    this.abandon(1000, 'incompatible');
    this.listener.linkIncompatible(frame, wasWelcomed);
  }

  private abandon(code: number, reason: string): void {
    const socket = this.socket;
    this.socket = undefined;
    this.welcomed = false;
    this.attemptId++;
    this.options.clock.clearTimeout(this.connectTimer);
    this.options.clock.clearTimeout(this.pingTimer);
    socket?.close(code, reason);
  }
}

function isIdentityRefusal(reason: string): reason is IdentityRefusal {
  return Object.values<string>(IdentityRefusal).includes(reason);
}

/**
 * A 4008 closed for an overdrawn budget says how long it lasts: its reason ends with `wait N s` (PROTOCOL.md
 * 14.2). Reconnecting sooner would only be refused again; anything else in the reason is not a wait.
 */
function budgetWaitMs(reason: string): number {
  const seconds = /wait (\d{1,5}) s$/.exec(reason)?.[1];
  return seconds === undefined ? 0 : Number(seconds) * 1000;
}
