import { describe, expect, it } from 'vitest';
import { CloseCode, LIMITS, PROTOCOL_VERSION } from '../../shared/protocol';
import { DEFAULT_CONVERSATION_ID as GENERAL } from './registry/registrySchema';
import { cleanupsAfterEach } from './testing/cleanups';
import { TestClient } from './testing/TestClient';
import { pairNewUser, reconnect, startTestHub } from './testing/testHub';

/** Limits on connections that are not `ready` yet (issue 13, findings 4 and 11), and JSON bounds on every frame. */

const cleanups = cleanupsAfterEach();

async function hub(options: Parameters<typeof startTestHub>[0] = {}) {
  const started = await startTestHub(options);
  cleanups.push(started.cleanup);
  return started;
}

async function connect(port: number, localAddress?: string): Promise<TestClient> {
  const client = await TestClient.connect(port, { localAddress });
  cleanups.push(() => client.ws.terminate());
  return client;
}

/** A frame of exactly `bytes` bytes: `frame` with an unknown field padded to fit (unknown fields are ignored). */
function padded(frame: Record<string, unknown>, bytes: number): string {
  const bare = JSON.stringify({ ...frame, pad: '' });
  return JSON.stringify({ ...frame, pad: 'x'.repeat(bytes - bare.length) });
}

/** `{"type":"ping","x":[[[...]]]}` of about `bytes` bytes. */
function nested(bytes: number): string {
  const depth = Math.floor((bytes - 20) / 2);
  return `{"type":"ping","x":${'['.repeat(depth)}${']'.repeat(depth)}}`;
}

/** Resolves once the client is closed or has had `count` frames: whichever the hub does first. */
async function closedOrAnswered(client: TestClient, count: number): Promise<void> {
  while (!client.closed && client.frames.length < count) {
    await client.next(() => true, 'any frame').catch(() => {});
  }
}

describe('frames before ready', () => {
  it(`a frame over ${LIMITS.maxPreReadyFrameBytes} bytes before ready closes with 1009, unparsed`, async () => {
    const { hub: h } = await hub();
    const fresh = await connect(h.port);
    fresh.sendText(padded({ type: 'hello', protocol: PROTOCOL_VERSION }, 64 * 1024 - 1));
    expect(await fresh.waitClosed()).toMatchObject({ code: CloseCode.TOO_BIG });
    expect(fresh.frames).toEqual([]);

    const greeted = await connect(h.port);
    await greeted.hello();
    greeted.sendText(padded({ type: 'ping' }, LIMITS.maxPreReadyFrameBytes + 1));
    expect((await greeted.waitClosed()).code).toBe(CloseCode.TOO_BIG);
    expect(greeted.all('pong')).toEqual([]);
  });

  it('frames up to the limit before ready, and up to 64 KiB once ready, are read', async () => {
    const { hub: h } = await hub();
    const client = await connect(h.port);
    client.sendText(padded({ type: 'hello', protocol: PROTOCOL_VERSION, rid: 'h' }, LIMITS.maxPreReadyFrameBytes));
    await client.nextOf('welcome');
    const alice = await pairNewUser(h, 'Alice');
    cleanups.push(() => alice.client.close());
    const send = { type: 'send', conversationId: GENERAL, clientMsgId: 'big-frame-1', text: 'hi', rid: 's' };
    alice.client.sendText(padded(send, LIMITS.maxFrameBytes - 100));
    expect((await alice.client.nextOf('ack')).clientMsgId).toBe('big-frame-1');
  });

  it("a socket that floods nested JSON before hello cannot starve a paired device's pings", async () => {
    const burst = 40;
    const { hub: h } = await hub({ budgets: { perAddress: { perSecond: 1, burst }, limitLoopback: true } });
    const bystander = await pairNewUser(h, 'Bystander');
    cleanups.push(() => bystander.client.close());
    // Frames of 64 KiB of nesting, the finding's attack: each closes its socket before it is parsed.
    const big = await Promise.all([1, 2].map(() => connect(h.port, '127.0.0.2')));
    for (const socket of big) for (let i = 0; i < 10; i++) socket.sendText(nested(64 * 1024 - 64));
    // Frames under the size limit: refused unparsed for their depth, until the address's budget is spent.
    const small = await Promise.all([1, 2, 3, 4].map(() => connect(h.port, '127.0.0.3')));
    const frame = nested(LIMITS.maxPreReadyFrameBytes - 100);
    for (const socket of small) for (let i = 0; i < 60; i++) socket.sendText(frame);
    const pong = await bystander.client.expect({ type: 'ping' }, 'pong');
    expect(pong.type).toBe('pong');

    await Promise.all([...big.map((s) => closedOrAnswered(s, 10)), ...small.map((s) => closedOrAnswered(s, 60))]);
    for (const socket of big) expect([socket.closed?.code, socket.frames.length]).toEqual([CloseCode.TOO_BIG, 0]);
    for (const socket of small) expect(socket.closed?.code).toBe(CloseCode.RATE_LIMITED);
    // None of the flood was served as the ping it claims to be: refused for its depth, or not read.
    expect(small.flatMap((socket) => socket.all('pong'))).toEqual([]);
    const answered = small.flatMap((socket) => socket.all('error'));
    // Each such frame costs 2 of the budget (1, plus 1 per 4 KiB); a token or two may refill meanwhile.
    expect(answered.length).toBeLessThanOrEqual(burst / 2 + 2);
    for (const error of answered) expect(error.message).toContain(`deeper than ${LIMITS.maxJsonDepth}`);
    expect(small[0]!.closed?.reason).toMatch(/too many frames from this address.*wait \d+ s/);

    // Another address, and the bystander, are served as before.
    const other = await connect(h.port, '127.0.0.4');
    await other.hello();
    await bystander.client.expect(
      { type: 'send', conversationId: GENERAL, clientMsgId: 'still-here', text: 'hi' },
      'ack',
    );
  });

  it('frames before ready from many addresses share one hub-wide budget; ready devices are not charged', async () => {
    const { hub: h } = await hub({
      budgets: { perAddress: { perSecond: 1, burst: 1000 }, perHub: { perSecond: 1, burst: 100 }, limitLoopback: true },
    });
    const bystander = await pairNewUser(h, 'Bystander');
    cleanups.push(() => bystander.client.close());
    const sockets = await Promise.all(Array.from({ length: 10 }, (_, i) => connect(h.port, `127.0.1.${i + 1}`)));
    for (const socket of sockets) for (let i = 0; i < 20; i++) socket.sendFrame({ type: 'ping' });
    await Promise.all(sockets.map((socket) => closedOrAnswered(socket, 20)));
    const answered = sockets.reduce((n, socket) => n + socket.all('pong').length, 0);
    // The bystander's hello, pakeStart and pakeFinish took 3 of the 100; a token or two may refill meanwhile.
    expect(answered).toBeLessThanOrEqual(100 - 3 + 2);
    const refused = sockets.filter((socket) => socket.closed);
    expect(refused.length).toBeGreaterThan(0);
    for (const socket of refused) expect(socket.closed?.reason).toMatch(/the hub is busy with unauthenticated/);
    for (let i = 0; i < 20; i++) await bystander.client.expect({ type: 'ping' }, 'pong');
  });

  it(`JSON nested deeper than ${LIMITS.maxJsonDepth} is refused on a ready connection too, still open`, async () => {
    const { hub: h } = await hub();
    const alice = await pairNewUser(h, 'Alice');
    cleanups.push(() => alice.client.close());
    alice.client.sendText(nested(LIMITS.maxFrameBytes - 100));
    const error = await alice.client.nextOf('error');
    expect(error).toMatchObject({ code: 'BAD_FRAME' });
    expect(error.message).toContain(`deeper than ${LIMITS.maxJsonDepth}`);
    alice.client.sendText(`{"type":"ping","x":[${'0,'.repeat(LIMITS.maxJsonElements)}0]}`);
    expect((await alice.client.nextOf('error')).message).toContain(`more than ${LIMITS.maxJsonElements}`);
    await alice.client.expect({ type: 'ping' }, 'pong');
  });
});

describe('time to authenticate', () => {
  it('an unauthenticated loopback socket is closed after the auth timeout, a ready one is not', async () => {
    // Paired on a first run, so that on the second a reconnect (hello, auth) is well inside the short deadline.
    const first = await startTestHub();
    cleanups.push(first.cleanup);
    const alice = await pairNewUser(first.hub, 'Alice');
    await alice.client.close();
    await first.hub.stop();
    const { hub: h } = await hub({ dataDir: first.dataDir, authTimeoutMs: 1000 });
    const back = await reconnect(h.port, alice.credentials);
    cleanups.push(() => back.client.close());

    const greeted = await connect(h.port);
    await greeted.hello();
    const silent = await connect(h.port);
    expect(await greeted.waitClosed()).toEqual({
      code: CloseCode.HANDSHAKE_TIMEOUT,
      reason: 'not paired or authenticated in time',
    });
    // The hello timeout (10 s) has not come: the auth deadline closed it too.
    expect((await silent.waitClosed()).code).toBe(CloseCode.HANDSHAKE_TIMEOUT);
    // Alice connected before both, so her deadline has passed too: being ready, she is still served.
    await back.client.expect({ type: 'ping' }, 'pong');
  });
});
