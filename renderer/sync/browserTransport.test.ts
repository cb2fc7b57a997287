import { describe, expect, it } from 'vitest';
import type { TransportEvents } from '../../shared/sync/transport';
import { browserTransport, hubUrlFromLocation } from './browserTransport';

/** Just enough of the browser's WebSocket to drive the adapter. */
class StubWebSocket {
  static readonly CONNECTING = 0;
  static readonly OPEN = 1;
  static instances: StubWebSocket[] = [];
  readyState = StubWebSocket.CONNECTING;
  sent: string[] = [];
  closedWith: [number | undefined, string | undefined] | undefined;
  onopen: (() => void) | null = null;
  onmessage: ((e: { data: unknown }) => void) | null = null;
  onclose: ((e: { code: number; reason: string }) => void) | null = null;
  onerror: (() => void) | null = null;
  constructor(readonly url: string) {
    StubWebSocket.instances.push(this);
  }
  send(text: string) {
    this.sent.push(text);
  }
  close(code?: number, reason?: string) {
    this.closedWith = [code, reason];
  }
}

function recorder() {
  const log: string[] = [];
  const events: TransportEvents = {
    open: (provenIdentity) => log.push(provenIdentity ? `open ${provenIdentity}` : 'open'),
    message: (t) => log.push(`message ${t}`),
    close: (code, reason) => log.push(`close ${code} ${reason}`),
  };
  return { log, events };
}

describe('browserTransport', () => {
  it('derives the hub address from the page that the hub served', () => {
    expect(hubUrlFromLocation({ protocol: 'http:', host: '192.168.1.20:7420' })).toBe('ws://192.168.1.20:7420/ws');
    expect(hubUrlFromLocation({ protocol: 'https:', host: 'hub.local' })).toBe('wss://hub.local/ws');
  });

  it("reports the desktop app's pinned identity as the one this connection is held to, and none in a browser", () => {
    const pinned = 'P'.repeat(52);
    const desktop = recorder();
    browserTransport('wss://hub/ws', StubWebSocket as unknown as typeof WebSocket, pinned).connect(desktop.events);
    StubWebSocket.instances.at(-1)!.onopen?.();
    const browser = recorder();
    browserTransport('wss://hub/ws', StubWebSocket as unknown as typeof WebSocket).connect(browser.events);
    StubWebSocket.instances.at(-1)!.onopen?.();
    expect([desktop.log, browser.log]).toEqual([[`open ${pinned}`], ['open']]);
  });

  it('passes text frames on, drops binary ones, sends only when open, and closes once', () => {
    const transport = browserTransport('ws://hub/ws', StubWebSocket as unknown as typeof WebSocket);
    const { log, events } = recorder();
    const socket = transport.connect(events);
    const ws = StubWebSocket.instances.at(-1)!;
    expect(ws.url).toBe('ws://hub/ws');
    socket.send('too early');
    ws.readyState = StubWebSocket.OPEN;
    ws.onopen!();
    socket.send('{"type":"hello"}');
    ws.onmessage!({ data: '{"type":"welcome"}' });
    ws.onmessage!({ data: new ArrayBuffer(4) });
    ws.onerror!();
    ws.onclose!({ code: 1006, reason: '' });
    ws.onclose!({ code: 1006, reason: '' });
    expect(ws.sent).toEqual(['{"type":"hello"}']);
    expect(log).toEqual(['open', 'message {"type":"welcome"}', 'close 1006 ']);
    socket.close(4000, 'bye');
    expect(ws.closedWith).toEqual([4000, 'bye']);
  });

  it('reports a URL the browser refuses as a failed attempt instead of throwing', async () => {
    class Throwing {
      constructor() {
        throw new SyntaxError('bad url');
      }
    }
    const { log, events } = recorder();
    expect(() => browserTransport('nope', Throwing as unknown as typeof WebSocket).connect(events)).not.toThrow();
    await Promise.resolve();
    expect(log).toEqual(['close 1006 SyntaxError: bad url']);
  });
});
