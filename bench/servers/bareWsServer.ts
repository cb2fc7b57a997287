import type { IncomingMessage } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { SecureContextOptions } from 'node:tls';
import { WebSocketServer, type WebSocket } from 'ws';
import { HOST, SENDER_PATH, type RunningServer } from './RunningServer';

export type Broadcast = (receivers: ReadonlySet<WebSocket>, data: Buffer, isBinary: boolean) => void;

/** The usual way: ws encodes and writes the frame once per receiver. */
export const sendLoop: Broadcast = (receivers, data, isBinary) => {
  for (const ws of receivers) ws.send(data, { binary: isBinary });
};

/**
 * A plain ws server with no persistence and no protocol: whatever the sender
 * sends goes to every other connection. `broadcast` is the one thing the
 * two bare variants differ in. Given `tls`, it listens on an HTTPS server
 * (wss://) instead, with ws on top as before.
 */
export function startBareWsServer(broadcast: Broadcast, tls?: SecureContextOptions): Promise<RunningServer> {
  const options = { perMessageDeflate: false, maxPayload: 64 * 1024 };
  const https = tls ? createHttpsServer(tls) : undefined;
  const wss = https
    ? new WebSocketServer({ ...options, server: https })
    : new WebSocketServer({ ...options, host: HOST, port: 0 });
  const receivers = new Set<WebSocket>();
  wss.on('connection', (ws: WebSocket, req: IncomingMessage) => {
    ws.on('error', () => {});
    if (req.url === SENDER_PATH) {
      ws.on('message', (data, isBinary) => broadcast(receivers, data as Buffer, isBinary));
      return;
    }
    receivers.add(ws);
    ws.on('close', () => receivers.delete(ws));
  });
  const stop = () =>
    new Promise<void>((done) => {
      for (const ws of wss.clients) ws.terminate();
      wss.close(() => (https ? https.close(() => done()) : done()));
    });
  return new Promise((resolve, reject) => {
    if (https) {
      https.once('error', reject);
      https.listen(0, HOST, () => resolve({ port: (https.address() as AddressInfo).port, stop }));
      return;
    }
    wss.once('error', reject);
    wss.once('listening', () => {
      const address = wss.address();
      if (!address || typeof address === 'string') throw new Error('expected a TCP address');
      resolve({ port: address.port, stop });
    });
  });
}
