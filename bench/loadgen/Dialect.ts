import { WebSocket } from 'ws';

/** What the load generator needs from a server's client side; one implementation per kind of server. */
export type Dialect = {
  /** Connects the sender and does whatever set-up its server needs before receivers join. */
  connectSender(): Promise<Sender>;
  /** Connects receiver `index`; resolves once it will be sent messages. */
  connectReceiver(index: number, onFrame: (frame: Buffer) => void): Promise<Closable>;
};

export type Closable = { close(): void };
export type Sender = Closable & { send(text: string): void };

/** A raw ws client. Every receiver is one, whatever the server, so that receiving costs the same everywhere. */
export function openWs(url: string, onMessage?: (frame: Buffer, ws: WebSocket) => void): Promise<WebSocket> {
  const ws = new WebSocket(url, { perMessageDeflate: false });
  // Attached before 'open': a server may send its first frame in the same packet as the handshake.
  if (onMessage) ws.on('message', (data) => onMessage(data as Buffer, ws));
  return new Promise((resolve, reject) => {
    ws.once('open', () => {
      ws.off('error', reject);
      ws.on('error', () => {});
      resolve(ws);
    });
    ws.once('error', reject);
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
