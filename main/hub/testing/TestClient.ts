import { WebSocket } from 'ws';
import {
  PROTOCOL_VERSION,
  WS_PATH,
  parseServerFrame,
  type ClientFrameInput,
  type ServerFrame,
  type ServerFrameOf,
  type ServerFrameType,
} from '../../../shared/protocol';
import { openPinnedWebSocket } from '../identity/pinnedWebSocket';
import { rawDataText } from '../rawData';

import type { DeviceKey } from '../../../shared/sync/deviceKeys';
import type { Welcomed } from '../../../shared/sync/deviceProofs';

/** A paired device: its ids and its key (protocol 2 has no token). */
export type Credentials = { deviceId: string; userId: string; key: DeviceKey };

/**
 * A real WebSocket client for integration tests. Every frame from the hub is
 * validated against the protocol schemas, so these tests also check that the
 * hub keeps its side of the contract.
 */
export class TestClient {
  readonly frames: ServerFrame[] = [];
  private readonly taken = new Set<number>();
  private waiters: Array<() => void> = [];
  closed: { code: number; reason: string } | undefined;
  private readonly closedPromise: Promise<{ code: number; reason: string }>;
  private nextRid = 1;
  credentials: Credentials | undefined;
  /** The hub's answer to hello(): its identity and this connection's challenge. */
  welcome: ServerFrameOf<'welcome'> | undefined;

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data) => {
      const text = rawDataText(data);
      const parsed = parseServerFrame(text);
      if (!parsed.ok)
        throw new Error(`hub sent a frame that breaks the protocol: ${parsed.message}: ${text.slice(0, 300)}`);
      this.frames.push(parsed.frame);
      this.wake();
    });
    this.closedPromise = new Promise((resolve) => {
      ws.on('close', (code, reason) => {
        this.closed = { code, reason: reason.toString() };
        this.wake();
        resolve(this.closed);
      });
    });
    ws.on('error', () => {});
  }

  /**
   * `localAddress`: connect from another loopback address (any of 127.0.0.0/8), as another device would.
   * `tls`: over WSS, checking the hub's identity proof (and the pin, given one) as a native client does;
   * a refused hub rejects with the refusal's code.
   */
  static connect(
    port: number,
    options: {
      headers?: Record<string, string>;
      autoPong?: boolean;
      localAddress?: string;
      tls?: { pin?: string };
      /** Default 127.0.0.1 (tests in network namespaces reach hubs by their address there). */
      host?: string;
    } = {},
  ): Promise<TestClient> {
    const wsOptions = {
      headers: options.headers,
      autoPong: options.autoPong ?? true,
      localAddress: options.localAddress,
    };
    const url = `${options.tls ? 'wss' : 'ws'}://${options.host ?? '127.0.0.1'}:${port}${WS_PATH}`;
    const pinned = openPinnedWebSocket(url, {
      ...wsOptions,
      pin: options.tls?.pin,
    });
    const { ws } = pinned;
    return new Promise((resolve, reject) => {
      ws.once('open', () => {
        const client = new TestClient(ws);
        client.identity = pinned.identity();
        resolve(client);
      });
      ws.once('error', (err) => {
        const refusal = pinned.refusal();
        reject(refusal ? Object.assign(new Error(refusal.message), { code: refusal.code }) : err);
      });
      ws.once('unexpected-response', (_req, res) => reject(new Error(`upgrade refused with HTTP ${res.statusCode}`)));
    });
  }

  /** The identity the hub proved, when connected with `tls`. */
  identity: string | undefined;

  sendFrame(frame: ClientFrameInput | Record<string, unknown>): void {
    this.ws.send(JSON.stringify(frame));
  }

  sendText(text: string): void {
    this.ws.send(text);
  }

  /** Sends a request with a fresh rid and resolves with the frame that answers it (any type, error included). */
  async request(frame: ClientFrameInput): Promise<ServerFrame> {
    const rid = `r${this.nextRid++}`;
    this.sendFrame({ ...frame, rid });
    return this.next((f) => f.rid === rid, `answer to ${frame.type} (${rid})`);
  }

  /** Like request, but fails unless the answer has the expected type. */
  async expect<T extends ServerFrameType>(frame: ClientFrameInput, type: T): Promise<ServerFrameOf<T>> {
    const answer = await this.request(frame);
    if (answer.type !== type) throw new Error(`expected ${type} for ${frame.type}, got ${JSON.stringify(answer)}`);
    return answer as ServerFrameOf<T>;
  }

  /** The first not-yet-taken frame of this type (and matching `where`), waiting for it if needed. */
  nextOf<T extends ServerFrameType>(
    type: T,
    where: (f: ServerFrameOf<T>) => boolean = () => true,
  ): Promise<ServerFrameOf<T>> {
    return this.next((f) => f.type === type && where(f as ServerFrameOf<T>), type) as Promise<ServerFrameOf<T>>;
  }

  async next(match: (f: ServerFrame) => boolean, what: string, deadlineMs = 10_000): Promise<ServerFrame> {
    const deadline = Date.now() + deadlineMs;
    for (;;) {
      const index = this.frames.findIndex((f, i) => !this.taken.has(i) && match(f));
      if (index !== -1) {
        this.taken.add(index);
        return this.frames[index]!;
      }
      if (this.closed)
        throw new Error(`connection closed (${this.closed.code} ${this.closed.reason}) while waiting for ${what}`);
      const remaining = deadline - Date.now();
      if (remaining <= 0)
        throw new Error(`no ${what} within ${deadlineMs} ms; last frames: ${JSON.stringify(this.frames.slice(-3))}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, remaining);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  /** Frames of a type received so far, taken or not. */
  all<T extends ServerFrameType>(type: T): ServerFrameOf<T>[] {
    return this.frames.filter((f) => f.type === type) as ServerFrameOf<T>[];
  }

  waitClosed(): Promise<{ code: number; reason: string }> {
    return this.closedPromise;
  }

  /** The hub's identity and this connection's challenge, which pairing and auth sign (after hello()). */
  get welcomed(): Welcomed {
    if (!this.welcome) throw new Error('call hello() first: pairing and auth sign the challenge of its welcome');
    return { identity: this.welcome.hub.identity, challenge: this.welcome.challenge };
  }

  async hello(): Promise<ServerFrameOf<'welcome'>> {
    this.welcome = await this.expect({ type: 'hello', protocol: PROTOCOL_VERSION }, 'welcome');
    return this.welcome;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.ws.close();
    await this.closedPromise;
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w();
  }
}
