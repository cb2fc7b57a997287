/**
 * How the client reaches the hub. The browser adapter wraps the global
 * WebSocket (renderer/sync/browserTransport.ts); integration tests use `ws`
 * (main/hub/testing/wsTransport.ts); unit tests use an in-memory fake
 * (shared/sync/testing/FakeTransport.ts).
 */

/** What a transport reports about one connection attempt. */
export interface TransportEvents {
  /**
   * The socket is open: frames may be sent. `provenIdentity`: the hub identity this connection proved inside TLS
   * (appendix C.3), from a transport that checks the proof; the client then uses no other (a browser cannot know it).
   */
  open(provenIdentity?: string): void;
  /** One text frame from the hub. Binary frames are dropped by the adapter (the hub never sends any). */
  message(text: string): void;
  /**
   * The attempt ended, whether it never opened (code 1006) or was closed by
   * either side. Called at most once. After the client calls `close()` the
   * adapter may still call it or not: the client ignores abandoned sockets.
   */
  close(code: number, reason: string): void;
}

/** One connection attempt, as returned by `Transport.connect`. */
export interface TransportSocket {
  /** Sends one text frame. Only called between `open` and `close`. Must not throw. */
  send(text: string): void;
  /** Closes (or abandons, if still connecting) this attempt. Must not throw. */
  close(code?: number, reason?: string): void;
}

export interface Transport {
  /** Starts a new connection attempt to the hub's WebSocket endpoint. Must not throw. */
  connect(events: TransportEvents): TransportSocket;
}

/** Opaque handle returned by `Clock.setTimeout`; never undefined, so `undefined` can stand for "no timer". */
export type TimerHandle = NonNullable<unknown>;

/**
 * Time as the client sees it. Injected so that tests control it (see
 * shared/sync/testing/FakeClock.ts) and so shared/ needs no timer globals.
 */
export interface Clock {
  /** Milliseconds since the Unix epoch. */
  now(): number;
  setTimeout(callback: () => void, delayMs: number): TimerHandle;
  /** Like the global: a handle that already ran, or none, is ignored. */
  clearTimeout(handle: TimerHandle | undefined): void;
}
