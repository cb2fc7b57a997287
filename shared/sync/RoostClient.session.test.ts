import { describe, expect, it } from 'vitest';
import { CloseCode, PROTOCOL_VERSION } from '../protocol';
import { RoostError } from './errors';
import {
  ALICE_CREDENTIALS,
  authenticate,
  flushMicrotasks,
  makeClient,
  startPaired,
  welcome,
} from './testing/clientHarness';
import { ALICE, ALICE_LAPTOP, GENERAL, HUB, conversation, msgs, ready } from './testing/fixtures';

describe('RoostClient: handshake, pairing, reconnects', () => {
  it('stays unpaired after welcome without credentials, then pairs and stores the token', async () => {
    const h = makeClient({ clientName: 'roost-test' });
    await h.client.start();
    expect(h.state()).toMatchObject({ status: 'connecting', session: { phase: 'unpaired', reason: 'notPaired' } });
    const socket = h.transport.current;
    socket.open();
    expect(socket.last('hello')).toMatchObject({ protocol: PROTOCOL_VERSION, client: 'roost-test' });
    socket.deliver({ type: 'welcome', hub: HUB, serverTime: 1 });
    expect(h.state()).toMatchObject({ status: 'connected', session: { phase: 'unpaired' }, hub: HUB });
    expect(socket.sentOf('auth')).toEqual([]);

    const pairing = h.client.pair({ kind: 'code', code: '123456', displayName: 'Alice' });
    const pair = socket.last('pair');
    expect(pair).toMatchObject({
      credential: { kind: 'code', code: '123456', displayName: 'Alice' },
      device: { name: 'Laptop', platform: 'linux' },
    });
    socket.deliver({ type: 'paired', rid: pair.rid, userId: ALICE, deviceId: ALICE_LAPTOP, token: 'token-a1' });
    await pairing;
    expect(await h.storage.loadCredentials()).toEqual(ALICE_CREDENTIALS);
    expect(h.state().session).toEqual({ phase: 'paired' });
    socket.deliver(ready());
    expect(h.state().self).toEqual({ userId: ALICE, deviceId: ALICE_LAPTOP });
    expect(Object.keys(h.state().conversations)).toEqual(['general']);
  });

  it("rejects a failed pairing with the hub's error code and stays unpaired", async () => {
    const h = makeClient();
    await h.client.start();
    welcome(h.transport.current);
    const pairing = h.client.pair({ kind: 'linkCode', code: 'nope' });
    h.transport.current.deliver({
      type: 'error',
      rid: h.transport.current.last('pair').rid,
      code: 'LINK_CODE_INVALID',
      message: 'bad code',
      frameType: 'pair',
    });
    await expect(pairing).rejects.toMatchObject({ name: 'RoostError', code: 'LINK_CODE_INVALID' });
    expect(h.state().session).toEqual({ phase: 'unpaired', reason: 'notPaired' });
  });

  it('cannot pair while the hub is unreachable', async () => {
    const h = makeClient();
    await h.client.start();
    await expect(h.client.pair({ kind: 'code', code: '1', displayName: 'A' })).rejects.toMatchObject({
      code: 'NOT_CONNECTED',
    });
  });

  it('authenticates with stored credentials', async () => {
    const h = makeClient();
    const socket = await startPaired(h);
    expect(socket.last('auth')).toMatchObject({ deviceId: ALICE_LAPTOP, token: 'token-a1' });
    expect(h.state()).toMatchObject({ status: 'connected', session: { phase: 'paired' } });
  });

  it('on AUTH_FAILED wipes credentials and cache and returns to pairing', async () => {
    const h = makeClient();
    await startPaired(h, ready([conversation({ lastSeq: 0 })]));
    await h.client.send('general', 'queued');
    h.transport.current.end(1001, 'hub restarting');
    h.clock.advance(1_000);
    const socket = h.transport.current;
    welcome(socket);
    socket.deliver({
      type: 'error',
      rid: socket.last('auth').rid,
      code: 'AUTH_FAILED',
      message: 'unknown device',
      frameType: 'auth',
    });
    await flushMicrotasks();
    expect(h.state()).toMatchObject({
      status: 'connected',
      session: { phase: 'unpaired', reason: 'authFailed' },
      conversations: {},
      pendingCount: 0,
      self: undefined,
    });
    expect(await h.storage.loadCredentials()).toBeUndefined();
    expect(await h.storage.loadSnapshot()).toBeUndefined();
    expect(await h.storage.loadOutbox()).toEqual([]);
  });

  it('on close 4003 (device revoked) wipes everything and reconnects unpaired', async () => {
    const h = makeClient();
    const socket = await startPaired(h);
    socket.end(CloseCode.DEVICE_REVOKED, 'device removed');
    await flushMicrotasks();
    expect(h.state().session).toEqual({ phase: 'unpaired', reason: 'revoked' });
    expect(await h.storage.loadCredentials()).toBeUndefined();
    h.clock.advance(1_000);
    welcome(h.transport.current);
    expect(h.transport.current.sentOf('auth')).toEqual([]);
    expect(h.state()).toMatchObject({ status: 'connected', session: { phase: 'unpaired', reason: 'revoked' } });
  });

  it('never sends its token to another hub at the same address; pairing there replaces the old account', async () => {
    const h = makeClient();
    await h.storage.saveCredentials({ ...ALICE_CREDENTIALS, hubId: 'another-hub' });
    await h.client.start();
    const socket = h.transport.current;
    welcome(socket);
    await flushMicrotasks();
    expect(h.state()).toMatchObject({ status: 'connected', session: { phase: 'unpaired', reason: 'hubChanged' } });
    expect(socket.sentOf('auth')).toEqual([]);
    // Kept, in case the right hub answers here again.
    expect(await h.storage.loadCredentials()).toMatchObject({ hubId: 'another-hub' });

    const pairing = h.client.pair({ kind: 'code', code: '123456', displayName: 'Alice' });
    socket.deliver({
      type: 'paired',
      rid: socket.last('pair').rid,
      userId: ALICE,
      deviceId: ALICE_LAPTOP,
      token: 'new-token',
    });
    await pairing;
    expect(await h.storage.loadCredentials()).toEqual({
      hubId: HUB.id,
      userId: ALICE,
      deviceId: ALICE_LAPTOP,
      token: 'new-token',
    });
  });

  it('pings a quiet hub and reconnects when it stops answering', async () => {
    const h = makeClient({ pingIntervalMs: 10_000 });
    const socket = await startPaired(h);
    h.clock.advance(10_000);
    expect(socket.sentOf('ping')).toHaveLength(1);
    expect(h.transport.sockets).toHaveLength(1);
    socket.answerPings = false;
    h.clock.advance(15_000);
    expect(h.transport.sockets).toHaveLength(1);
    h.clock.advance(5_000);
    expect(socket.closedByClient).toBeDefined();
    expect(h.state().status).toBe('reconnecting');
    // A hub that predates ping answers UNKNOWN_TYPE: alive just the same, and no warning.
    h.clock.advance(1_000);
    const next = await authenticate(h);
    next.answerPings = false;
    h.clock.advance(10_000);
    next.deliver({ type: 'error', code: 'UNKNOWN_TYPE', message: 'unknown frame type "ping"', frameType: 'ping' });
    h.clock.advance(15_000);
    expect(h.transport.sockets).toHaveLength(2);
    expect(h.warnings).toEqual([]);
  });

  it('stops for good on incompatible', async () => {
    const h = makeClient();
    await h.client.start();
    const socket = h.transport.current;
    socket.open();
    socket.deliver({ type: 'incompatible', reason: 'CLIENT_TOO_NEW', hubProtocol: 0, minProtocol: 0 });
    socket.end(CloseCode.INCOMPATIBLE_PROTOCOL, 'CLIENT_TOO_NEW');
    expect(h.state()).toMatchObject({
      status: 'offline',
      session: { phase: 'incompatible', reason: 'CLIENT_TOO_NEW', hubProtocol: 0 },
    });
    h.clock.advance(120_000);
    expect(h.transport.sockets).toHaveLength(1);
  });

  it('stops for good when its pinning transport refuses the hub, keeping the account', async () => {
    const h = makeClient();
    await h.client.start();
    h.transport.current.end(CloseCode.HUB_IDENTITY_REFUSED, 'HUB_IDENTITY_CHANGED');
    expect(h.state()).toMatchObject({
      status: 'offline',
      session: { phase: 'identityRefused', reason: 'HUB_IDENTITY_CHANGED' },
    });
    h.clock.advance(120_000);
    expect(h.transport.sockets).toHaveLength(1);
  });

  it('waits as long as a 4008 for an overdrawn budget says before reconnecting, and no longer otherwise', async () => {
    const h = makeClient({ backoff: { baseMs: 1_000, maxMs: 8_000 }, random: () => 0.5 });
    await h.client.start();
    h.transport.current.end(CloseCode.RATE_LIMITED, 'too much fetched by this user’s devices; wait 42 s');
    expect(h.state().reconnect!.nextAttemptAt - h.clock.now()).toBe(42_000);
    h.clock.advance(41_999);
    expect(h.transport.sockets).toHaveLength(1);
    h.clock.advance(1);
    expect(h.transport.sockets).toHaveLength(2);
    h.transport.current.end(CloseCode.RATE_LIMITED, 'too many frames');
    expect(h.state().reconnect!.nextAttemptAt - h.clock.now()).toBeLessThan(8_000);
  });

  it('reconnects with growing, jittered delays and resets them once ready', async () => {
    const h = makeClient({ backoff: { baseMs: 1_000, maxMs: 8_000 }, random: () => 0.999 });
    await h.client.start();
    const delays: number[] = [];
    for (let i = 0; i < 5; i++) {
      const before = h.transport.sockets.length;
      h.transport.current.end(1006);
      const { reconnect } = h.state();
      expect(h.state().status).toBe('reconnecting');
      delays.push(reconnect!.nextAttemptAt - h.clock.now());
      h.clock.advance(reconnect!.nextAttemptAt - h.clock.now() - 1);
      expect(h.transport.sockets).toHaveLength(before);
      h.clock.advance(1);
      expect(h.transport.sockets).toHaveLength(before + 1);
    }
    expect(delays).toEqual([999, 1998, 3996, 7992, 7992]);
    // Being welcomed (here: unpaired) resets the delays.
    welcome(h.transport.current);
    expect(h.state().status).toBe('connected');
    h.transport.current.end(1001);
    expect(h.state().reconnect!.nextAttemptAt - h.clock.now()).toBe(999);
  });

  it('retryNow skips the backoff wait', async () => {
    const h = makeClient({ backoff: { baseMs: 60_000 } });
    await h.client.start();
    h.transport.current.end(1006);
    h.client.retryNow();
    expect(h.transport.sockets).toHaveLength(2);
    expect(h.state().status).toBe('reconnecting');
  });

  it('networkLost drops a live connection at once instead of waiting for the ping timeout', async () => {
    const h = makeClient({ backoff: { baseMs: 60_000 } });
    const socket = await startPaired(h, ready([conversation({ lastSeq: 0 })]));
    expect(h.state().status).toBe('connected');
    h.client.networkLost();
    expect(socket.closedByClient).toBeDefined();
    expect(h.state().status).toBe('reconnecting');
    const id = await h.client.send(GENERAL, 'while offline');
    expect(h.state().outbox.map((e) => e.clientMsgId)).toEqual([id]);
    expect(socket.sentOf('send')).toEqual([]);
  });

  it('gives up on an attempt that is not welcomed in time', async () => {
    const h = makeClient({ connectTimeoutMs: 5_000 });
    await h.client.start();
    h.transport.current.open();
    h.clock.advance(5_000);
    expect(h.transport.sockets[0]!.closedByClient).toBeDefined();
    expect(h.state().status).toBe('reconnecting');
  });

  it('ignores invalid frames, reports them, and keeps working', async () => {
    const h = makeClient();
    const socket = await startPaired(h, ready([conversation({ lastSeq: 0 })]));
    socket.deliverText('not json');
    socket.deliver({ type: 'message', message: { seq: -1 } });
    socket.deliver({ type: 'hologram', from: 'a newer hub' });
    expect(h.warnings.map((w) => w.code)).toEqual(['INVALID_FRAME', 'INVALID_FRAME', 'UNKNOWN_FRAME']);
    socket.deliver({ type: 'message', message: msgs(1, 1)[0]! });
    expect(h.state().conversations.general!.timeline.messages).toHaveLength(1);
  });

  it('never lets a throwing listener escape into the transport', async () => {
    const h = makeClient();
    h.client.subscribe(() => {
      throw new Error('listener bug');
    });
    const socket = await startPaired(h);
    expect(() => socket.deliver({ type: 'presence', userId: 'userB', online: true })).not.toThrow();
    expect(h.warnings.some((w) => w.code === 'HANDLER_FAILED')).toBe(true);
  });

  it("matches requests by rid and rejects with the hub's code, on disconnect and on timeout", async () => {
    const h = makeClient({ requestTimeoutMs: 2_000 });
    const socket = await startPaired(h);
    const group = h.client.createGroup('Team', ['userB']);
    const wire = conversation({ id: 'team', kind: 'group', name: 'Team' });
    socket.deliver({ type: 'conversation', rid: socket.last('createGroup').rid, conversation: wire });
    await expect(group).resolves.toEqual(wire);
    expect(h.state().conversations.team?.name).toBe('Team');

    const refused = h.client.addMembers('general', ['userB']);
    socket.deliver({
      type: 'error',
      rid: socket.last('addMembers').rid,
      code: 'FORBIDDEN',
      message: 'not a group',
      frameType: 'addMembers',
    });
    const err = await refused.catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RoostError);
    expect(err).toMatchObject({ code: 'FORBIDDEN', message: 'not a group', frameType: 'addMembers' });

    const link = h.client.createLinkCode();
    socket.deliver({ type: 'linkCode', rid: socket.last('createLinkCode').rid, code: '999', expiresAt: 5 });
    await expect(link).resolves.toEqual({ code: '999', expiresAt: 5 });

    const slow = h.client.renameDevice(ALICE_LAPTOP, 'New name');
    h.clock.advance(2_000);
    await expect(slow).rejects.toMatchObject({ code: 'TIMEOUT' });

    const lost = h.client.openDirect('userB');
    socket.end(1006);
    await expect(lost).rejects.toMatchObject({ code: 'DISCONNECTED' });
    await expect(h.client.removeDevice(ALICE_LAPTOP)).rejects.toMatchObject({ code: 'NOT_CONNECTED' });
  });

  it('stop() closes the connection and stops reconnecting', async () => {
    const h = makeClient();
    const socket = await startPaired(h);
    await h.client.stop();
    expect(socket.closedByClient).toBeDefined();
    expect(h.state().status).toBe('offline');
    h.clock.advance(120_000);
    expect(h.transport.sockets).toHaveLength(1);
  });

  it('authenticates again after a reconnect', async () => {
    const h = makeClient();
    await startPaired(h);
    h.transport.current.end(1001);
    h.clock.advance(1_000);
    await authenticate(h);
    expect(h.transport.sockets).toHaveLength(2);
    expect(h.state().status).toBe('connected');
  });
});
