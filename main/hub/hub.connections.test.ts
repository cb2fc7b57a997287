import { describe, expect, it, vi } from 'vitest';
import { WebSocket } from 'ws';
import { CloseCode, INFO_PATH, PROTOCOL_VERSION, WS_PATH } from '../../shared/protocol';
import { Hub } from './Hub';
import { nodeLogFs } from './log/logFs';
import { DEFAULT_CONVERSATION_ID as GENERAL } from './registry/registrySchema';
import { authFrame, expectPaired } from './testing/devicePairing';
import { httpGet } from './testing/httpGet';
import { TestClient } from './testing/TestClient';
import { pairNewUser, quietLogger, startTestHub } from './testing/testHub';
import { cleanupsAfterEach } from './testing/cleanups';

const cleanups = cleanupsAfterEach();

async function hub(options: Parameters<typeof startTestHub>[0] = {}) {
  const started = await startTestHub(options);
  cleanups.push(started.cleanup);
  return started;
}

async function get(
  port: number,
  path: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: unknown }> {
  const { status, body } = await httpGet(port, path, headers);
  return { status, body: JSON.parse(body) };
}

function upgradeStatus(
  port: number,
  headers: Record<string, string>,
  path = WS_PATH,
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}${path}`, { headers });
    ws.on('unexpected-response', (_req, res) => {
      let body = '';
      res.on('data', (d) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    ws.on('open', () => {
      ws.close();
      resolve({ status: 101, body: '' });
    });
    ws.on('error', reject);
  });
}

describe('HTTP surface', () => {
  it('describes the hub at /api/info without secrets', async () => {
    const { hub: h } = await hub({ name: 'Kitchen' });
    const { status, body } = await get(h.port, INFO_PATH);
    expect(status).toBe(200);
    expect(Object.keys(body as object).sort()).toEqual(['appVersion', 'id', 'identity', 'name', 'protocolVersion']);
    expect(body).toMatchObject({ name: 'Kitchen', protocolVersion: PROTOCOL_VERSION });
  });

  it('refuses DNS-rebinding hosts and foreign origins with clear HTTP errors', async () => {
    const { hub: h } = await hub({ allowedOrigins: ['http://localhost:5173'] });
    const info = await get(h.port, INFO_PATH, { Host: 'evil.example' });
    expect(info).toMatchObject({ status: 403, body: { error: { code: 'HOST_NOT_ALLOWED' } } });

    const rebound = await upgradeStatus(h.port, { Host: 'evil.example' });
    expect(rebound.status).toBe(403);
    expect(JSON.parse(rebound.body)).toMatchObject({ error: { code: 'HOST_NOT_ALLOWED' } });
    const foreign = await upgradeStatus(h.port, { Origin: 'http://evil.example' });
    expect(foreign.status).toBe(403);
    expect(JSON.parse(foreign.body)).toMatchObject({ error: { code: 'ORIGIN_NOT_ALLOWED' } });
    expect((await upgradeStatus(h.port, {}, '/other')).status).toBe(404);

    expect((await upgradeStatus(h.port, { Origin: `http://127.0.0.1:${h.port}` })).status).toBe(101);
    expect((await upgradeStatus(h.port, { Origin: 'http://localhost:5173' })).status).toBe(101);
    expect((await upgradeStatus(h.port, {})).status).toBe(101);
  });
});

describe('connection quota', () => {
  it('refuses an address its 3rd socket (429 TOO_MANY_CONNECTIONS) and lets it in again once one closes', async () => {
    const { hub: h } = await hub({ connectionQuota: { maxPerAddress: 2, limitLoopback: true } });
    const open = () =>
      new Promise<WebSocket>((resolve, reject) => {
        const ws = new WebSocket(`ws://127.0.0.1:${h.port}${WS_PATH}`);
        ws.once('open', () => resolve(ws));
        ws.once('error', reject);
      });
    const first = await open();
    const second = await open();
    const refused = await upgradeStatus(h.port, {});
    expect(refused.status).toBe(429);
    expect(JSON.parse(refused.body)).toMatchObject({ error: { code: 'TOO_MANY_CONNECTIONS' } });

    const closed = new Promise((resolve) => first.once('close', resolve));
    first.close();
    await closed;
    // The server frees the slot when its side of the TCP connection closes, which can trail the client's close event.
    let status = 0;
    while (status !== 101) status = (await upgradeStatus(h.port, {})).status;
    second.close();
  });
});

describe('connection health', () => {
  it('drops a device that stops answering pings and tells the others it went offline', async () => {
    const { hub: h } = await hub({ heartbeatMs: 50 });
    const alice = await pairNewUser(h, 'Alice');
    cleanups.push(() => alice.client.close());
    const silent = await TestClient.connect(h.port, { autoPong: false });
    await silent.hello();
    const { ready } = await expectPaired(silent, {
      credential: { kind: 'code', code: h.pairingCode().code, displayName: 'Ghost' },
      device: { name: 'g', platform: 'web' },
    });
    const ghostId = ready.self.userId;
    await alice.client.nextOf('user', (f) => f.user.id === ghostId && f.user.online);
    // Dropped within about two heartbeats, maybe inside the same presence window as its arrival:
    // then only the last state is announced.
    await alice.client.nextOf('presence', (f) => f.userId === ghostId && !f.online);
    await silent.waitClosed();
  });

  it('keeps a reading device connected through a burst bigger than the slow-consumer limit', async () => {
    const { hub: h } = await hub();
    const alice = await pairNewUser(h, 'Alice');
    const bob = await pairNewUser(h, 'Bob');
    // About 12 KB each, 400 of them: nearly 5 MB, beyond the 4 MiB a device that stops reading may have queued.
    const text = '€'.repeat(4000);
    const ids = Array.from({ length: 400 }, (_, i) => `burst-${String(i).padStart(4, '0')}`);
    for (const clientMsgId of ids) alice.client.sendFrame({ type: 'send', conversationId: GENERAL, clientMsgId, text });
    await bob.client.nextOf('message', (f) => f.message.clientMsgId === ids.at(-1));
    expect(bob.client.all('message').filter((f) => f.message.clientMsgId.startsWith('burst-'))).toHaveLength(400);
  });

  it('stops reading a device whose sends wait on disk, keeps it past heartbeats, stores every send once', async () => {
    let openGate!: () => void;
    let gate: Promise<void> = Promise.resolve();
    const { hub: h } = await hub({
      heartbeatMs: 50,
      limits: { framesPerSecond: 10_000, frameBurst: 10_000, maxSendsInFlight: 64 },
      log: {
        fs: {
          writeDurable: async (handle, data, position) => {
            await gate;
            await nodeLogFs.writeDurable(handle, data, position);
          },
        },
      },
    });
    const alice = await pairNewUser(h, 'Alice');
    cleanups.push(() => alice.client.close());
    gate = new Promise((resolve) => (openGate = resolve));
    // Runs before the hub's own clean-up, which waits for the held writes.
    cleanups.push(async () => openGate());
    const pause = vi.spyOn(WebSocket.prototype, 'pause');
    cleanups.push(async () => pause.mockRestore());
    const ids = Array.from({ length: 1000 }, (_, i) => `held-${String(i).padStart(4, '0')}`);
    for (const clientMsgId of ids)
      alice.client.sendFrame({ type: 'send', conversationId: GENERAL, clientMsgId, text: 'waiting for the disk' });
    // Three heartbeat pings while paused:
    // without the exemption the second would have dropped the connection (its pongs go unread).
    let pings = 0;
    const threePings = new Promise<void>((resolve) => alice.client.ws.on('ping', () => ++pings === 3 && resolve()));
    await Promise.race([threePings, alice.client.waitClosed()]);
    expect(alice.client.closed).toBeUndefined();
    expect(pause).toHaveBeenCalled();
    openGate();
    await alice.client.nextOf('ack', (f) => f.clientMsgId === ids.at(-1));
    const acks = alice.client.all('ack').filter((f) => f.clientMsgId.startsWith('held-'));
    expect(acks.map((f) => f.clientMsgId)).toEqual(ids);
    expect(new Set(acks.map((f) => f.seq)).size).toBe(ids.length);
    expect(acks.every((f) => !f.duplicate)).toBe(true);
  });

  it(`closes a connection that never says hello with ${CloseCode.HANDSHAKE_TIMEOUT}`, async () => {
    const { hub: h } = await hub({ handshakeTimeoutMs: 50 });
    const client = await TestClient.connect(h.port);
    expect((await client.waitClosed()).code).toBe(CloseCode.HANDSHAKE_TIMEOUT);
  });

  it('cuts off a device that stops reading instead of buffering without bound', async () => {
    const { hub: h } = await hub({
      limits: { maxBufferedBytes: 64 * 1024, framesPerSecond: 10_000, frameBurst: 10_000 },
    });
    const alice = await pairNewUser(h, 'Alice');
    const slow = await pairNewUser(h, 'Slowpoke');
    cleanups.push(() => alice.client.close());
    // Stop reading: the kernel buffers fill, then the hub's queue grows past the cap.
    slow.client.ws.pause();
    const text = 'x'.repeat(4000);
    const offline = alice.client.nextOf('presence', (f) => f.userId === slow.credentials.userId && !f.online);
    let cutOff = false;
    void offline.then(() => (cutOff = true));
    for (let batch = 0; batch < 200 && !cutOff; batch++) {
      const ids = Array.from({ length: 50 }, (_, i) => `flood-${batch}-${i}-pad`);
      for (const id of ids) alice.client.sendFrame({ type: 'send', conversationId: GENERAL, clientMsgId: id, text });
      for (const id of ids) await alice.client.nextOf('ack', (f) => f.clientMsgId === id);
    }
    await offline;
    slow.client.ws.terminate();
  });
});

describe('lifecycle', () => {
  it('allows one hub per data directory', async () => {
    const { dataDir } = await hub();
    await expect(Hub.start({ dataDir, port: 0, host: '127.0.0.1', logger: quietLogger })).rejects.toMatchObject({
      code: 'DATA_DIR_LOCKED',
    });
  });

  it('closes clients with 1001 on stop and keeps everything for the next start', async () => {
    const first = await startTestHub();
    cleanups.push(first.cleanup);
    const alice = await pairNewUser(first.hub, 'Alice');
    await alice.client.expect(
      { type: 'send', conversationId: GENERAL, clientMsgId: 'keep-me-0001', text: 'kept' },
      'ack',
    );
    const closing = alice.client.waitClosed();
    await first.hub.stop();
    expect((await closing).code).toBe(CloseCode.GOING_AWAY);
    const second = await hub({ dataDir: first.dataDir });
    const again = await TestClient.connect(second.hub.port);
    await again.hello();
    const ready = await again.expect(await authFrame(again, alice.credentials), 'ready');
    expect(ready.conversations.find((c) => c.id === GENERAL)?.lastSeq).toBe(1);
    expect(second.hub.info().id).toBe(first.hub.info().id);
    await again.close();
  });
});
