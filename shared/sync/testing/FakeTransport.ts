import { parseClientFrame, type ClientFrame, type ServerFrame } from '../../protocol';
import type { Transport, TransportEvents, TransportSocket } from '../transport';

/** One connection attempt made through FakeTransport, driven by the test. */
export class FakeSocket implements TransportSocket {
  readonly sent: ClientFrame[] = [];
  /** Every frame as the client wrote it, before parsing drops fields the protocol does not know. */
  readonly sentText: string[] = [];
  closedByClient: { code?: number; reason?: string } | undefined;
  /** Answer app-level pings with pong at once, like a hub (set false to play a hub that went silent). */
  answerPings = true;
  private ended = false;

  constructor(private readonly events: TransportEvents) {}

  send(text: string): void {
    this.sentText.push(text);
    const parsed = parseClientFrame(text);
    if (!parsed.ok) throw new Error(`client sent a frame that breaks the protocol: ${parsed.message}: ${text}`);
    this.sent.push(parsed.frame);
    if (parsed.frame.type === 'ping' && this.answerPings)
      this.deliver({ type: 'pong', rid: parsed.frame.rid, serverTime: 1 });
  }

  close(code?: number, reason?: string): void {
    this.closedByClient = { code, reason };
  }

  /** `provenIdentity`: as a transport that checked the hub's identity proof in TLS reports it. */
  open(provenIdentity?: string): void {
    this.events.open(provenIdentity);
  }

  /** Delivers a frame from the "hub" (validated by the client like any other). */
  deliver(frame: ServerFrame | Record<string, unknown>): void {
    this.events.message(JSON.stringify(frame));
  }

  deliverText(text: string): void {
    this.events.message(text);
  }

  /** Ends the connection from the "hub" side. */
  end(code = 1006, reason = ''): void {
    if (this.ended) return;
    this.ended = true;
    this.events.close(code, reason);
  }

  /** Sent frames of one type. */
  sentOf<T extends ClientFrame['type']>(type: T): Extract<ClientFrame, { type: T }>[] {
    return this.sent.filter((f) => f.type === type) as Extract<ClientFrame, { type: T }>[];
  }

  /** The last sent frame of a type, or an error naming what was sent instead. */
  last<T extends ClientFrame['type']>(type: T): Extract<ClientFrame, { type: T }> {
    const found = this.sentOf(type).at(-1);
    if (!found) throw new Error(`no "${type}" sent; sent: ${this.sent.map((f) => f.type).join(', ') || 'nothing'}`);
    return found;
  }
}

/** A Transport whose connections are FakeSockets the test opens, feeds and ends. */
export class FakeTransport implements Transport {
  readonly sockets: FakeSocket[] = [];

  connect(events: TransportEvents): TransportSocket {
    const socket = new FakeSocket(events);
    this.sockets.push(socket);
    return socket;
  }

  get current(): FakeSocket {
    const socket = this.sockets.at(-1);
    if (!socket) throw new Error('no connection attempt yet');
    return socket;
  }
}
