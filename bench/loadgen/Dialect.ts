import { WebSocket } from 'ws';
import { openPinnedWebSocket } from '../../main/hub/identity/pinnedWebSocket';
import { HOST } from '../servers/RunningServer';

/** What the load generator needs from a server's client side; one implementation per kind of server. */
export type Dialect = {
  /** Connects the sender and does whatever set-up its server needs before receivers join. */
  connectSender(): Promise<Sender>;
  /** Connects receiver `index`; resolves once it will be sent messages. */
  connectReceiver(index: number, onFrame: (frame: Buffer) => void): Promise<Closable>;
};

export type Closable = { close(): void };
export type Sender = Closable & { send(text: string): void };

/**
 * Where a server under test listens and how to reach it: plain (ws://), or
 * over TLS (wss://) with `tls`. With `tls.pin`, the connection checks the
 * Roost hub's identity proof against it before it opens, as a native client
 * does (once per connection: set-up, not what is measured); without, the
 * certificate goes unchecked (the bare server proves nothing).
 */
export type Endpoint = { port: number; tls?: { pin?: string } };

export function wsUrl(endpoint: Endpoint, path: string): string {
  return `${endpoint.tls ? 'wss' : 'ws'}://${HOST}:${endpoint.port}${path}`;
}

/** A raw ws client. Every receiver is one, whatever the server, so that receiving costs the same everywhere. */
export function openWs(
  endpoint: Endpoint,
  path: string,
  onMessage?: (frame: Buffer, ws: WebSocket) => void,
): Promise<WebSocket> {
  const url = wsUrl(endpoint, path);
  const pinned =
    endpoint.tls?.pin === undefined
      ? undefined
      : openPinnedWebSocket(url, { perMessageDeflate: false, pin: endpoint.tls.pin });
  const ws =
    pinned?.ws ??
    new WebSocket(url, { perMessageDeflate: false, ...(endpoint.tls ? { rejectUnauthorized: false } : {}) });
  // Attached before 'open': a server may send its first frame in the same packet as the handshake.
  if (onMessage) ws.on('message', (data) => onMessage(data as Buffer, ws));
  return new Promise((resolve, reject) => {
    const fail = (err: Error) => {
      const refusal = pinned?.refusal();
      reject(refusal ? new Error(`${url}: ${refusal.code}: ${refusal.message}`) : err);
    };
    ws.once('open', () => {
      ws.off('error', fail);
      ws.on('error', () => {});
      resolve(ws);
    });
    ws.once('error', fail);
  });
}

/** Opens `count` connections, `parallel` at a time, in index order. */
export async function connectMany<T>(
  count: number,
  parallel: number,
  open: (index: number) => Promise<T>,
): Promise<T[]> {
  // Filled by index as the connections open; every index is set once Promise.all resolves.
  const out: T[] = [];
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const i = next++;
      out[i] = await open(i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(parallel, count) }, worker));
  return out;
}
