import { request, type IncomingHttpHeaders } from 'node:http';
import { createServer, connect, type AddressInfo, type Server, type Socket } from 'node:net';
import type { Cleanups } from '../testing/cleanups';
import { ConnectionQuota } from '../ConnectionQuota';
import { FrameBudgets } from '../FrameBudgets';
import { createHttpServer, type HttpTimeouts } from '../httpServer';
import type { FileMessage } from './downloads';
import { FileSessions, FileTickets } from './fileSessions';
import type { FileStoreOptions } from './FileStore';
import { openTestStore } from './fileTestSupport';

/**
 * The hub's real HTTP server (httpServer.ts) with the file routes, on 127.0.0.1 port 0, over a real
 * FileStore in a temp dir; the registry and the message log are small maps the test changes.
 */
export async function startFileServer(
  dataDir: string,
  cleanups: Cleanups,
  options: { timeouts?: Partial<HttpTimeouts>; store?: Partial<FileStoreOptions>; loopbackIsLan?: boolean } = {},
) {
  const opened = await openTestStore(dataDir, options.store);
  const { store, clock } = opened;
  cleanups.push(() => store.close());
  const now = () => clock.now;
  const tickets = new FileTickets({ now });
  const sessions = new FileSessions({ now });
  const devices = new Map([
    ['dev-alice', 'alice'],
    ['dev-alice-2', 'alice'],
    ['dev-bob', 'bob'],
    ['dev-carol', 'carol'],
  ]);
  const members = new Map([['conv-1', new Set(['alice', 'bob'])]]);
  const messages = new Map<string, FileMessage>();
  const servers = createHttpServer({
    info: () => ({ id: 'hub', identity: 'x', name: 'Test', protocolVersion: 3, appVersion: '0' }),
    policy: {},
    upgrade: (_req, socket) => socket.destroy(),
    quota: new ConnectionQuota({ maxPerAddress: 1000, maxPerNetwork: 1000, maxConnections: 1000 }),
    budgets: new FrameBudgets({
      perAddress: { perSecond: 1000, burst: 10_000 },
      perHub: { perSecond: 1000, burst: 10_000 },
      perUser: { perSecond: 1000, burst: 10_000 },
      bytesPerToken: 4096,
      answerBytesPerToken: 32 * 1024,
    }),
    timeouts: {
      headersTimeoutMs: 5000,
      keepAliveTimeoutMs: 5000,
      checkIntervalMs: 1000,
      bodyIdleMs: 30_000,
      ...options.timeouts,
    },
    tls: {
      context: () => ({}),
      prove: () => '',
      identity: { identity: 'x', fingerprint: 'y' },
      allowPlainHttp: false,
      loopbackIsLan: options.loopbackIsLan,
    },
    files: {
      store,
      tickets,
      sessions,
      userOfDevice: (deviceId) => devices.get(deviceId),
      isMember: (conversationId, userId) => members.get(conversationId)?.has(userId) ?? false,
      readMessage: (conversationId, seq) => Promise.resolve(messages.get(`${conversationId}/${seq}`)),
      logger: opened.logger,
    },
  });
  const port = await listen(servers.listener);
  cleanups.push(async () => {
    servers.closeAll();
    await new Promise<void>((resolve) => servers.listener.close(() => resolve()));
  });

  /** A session for `deviceId`, as a native client gets it (Roost-Session: header). */
  async function sessionOf(deviceId: string): Promise<string> {
    const { ticket } = tickets.issue(deviceId, devices.get(deviceId) ?? '');
    const answer = await send(port, {
      method: 'POST',
      path: '/api/files/session',
      headers: { 'Roost-Ticket': ticket, 'Roost-Session': 'header' },
    });
    if (answer.status !== 200) throw new Error(`no session: ${answer.status} ${answer.text}`);
    return (JSON.parse(answer.text) as { session: string }).session;
  }

  /** Removes a device as the hub does: the registry forgets it, its sessions and requests end. */
  function removeDevice(deviceId: string): void {
    devices.delete(deviceId);
    sessions.dropDevice(deviceId);
  }

  return { ...opened, port, tickets, sessions, messages, members, sessionOf, removeDevice };
}

function listen(server: Server, port = 0): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve((server.address() as AddressInfo).port));
  });
}

export type Answer = { status: number; headers: IncomingHttpHeaders; body: Buffer; text: string };

export type Sent = { method: string; path: string; headers?: Record<string, string | number>; body?: Buffer };

/** One request on its own connection; rejects if the connection closes without an answer. */
export function send(port: number, sent: Sent): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port, method: sent.method, path: sent.path, headers: sent.headers, agent: false },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const body = Buffer.concat(chunks);
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body, text: body.toString('utf8') });
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(sent.body);
  });
}

export function tusHeaders(session: string, extra: Record<string, string | number> = {}) {
  return { 'Tus-Resumable': '1.0.0', Authorization: `Roost-Session ${session}`, ...extra };
}

/** Creates an upload over HTTP; returns its id. */
export async function createUpload(port: number, session: string, length: number): Promise<string> {
  const answer = await send(port, {
    method: 'POST',
    path: '/api/files/uploads',
    headers: tusHeaders(session, { 'Upload-Length': length }),
  });
  if (answer.status !== 201) throw new Error(`not created: ${answer.status} ${answer.text}`);
  return String(answer.headers.location).split('/').pop() ?? '';
}

/**
 * A TCP relay to `port` that cuts the first connection once `cutAfter` bytes went from client to server:
 * a network that drops mid-upload. Later connections pass untouched.
 */
export async function cuttingRelay(
  port: number,
  cutAfter: number,
  cleanups: Cleanups,
): Promise<{ port: number; cut: Promise<void> }> {
  let first = true;
  let onCut = () => {};
  const cut = new Promise<void>((resolve) => (onCut = resolve));
  const sockets = new Set<Socket>();
  const relay = createServer((client) => {
    const upstream = connect(port, '127.0.0.1');
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('error', () => {});
      s.on('close', () => {
        client.destroy();
        upstream.destroy();
      });
    }
    const cutting = first;
    first = false;
    let forwarded = 0;
    client.on('data', (data: Buffer) => {
      if (cutting && forwarded + data.length >= cutAfter) {
        upstream.write(data.subarray(0, cutAfter - forwarded));
        forwarded = cutAfter;
        // Ended after what was sent is flushed, so the hub has received exactly that much.
        upstream.end(() => {
          client.destroy();
          upstream.destroy();
          onCut();
        });
        client.pause();
        return;
      }
      forwarded += data.length;
      upstream.write(data);
    });
    upstream.pipe(client);
  });
  const relayPort = await listen(relay);
  cleanups.push(async () => {
    for (const s of sockets) s.destroy();
    await new Promise<void>((resolve) => relay.close(() => resolve()));
  });
  return { port: relayPort, cut };
}
