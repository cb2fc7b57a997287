import { describe, expect, it } from 'vitest';
import { authProofText, CloseCode, pairProofText, PROTOCOL_VERSION } from '../protocol';
import { RoostError } from './errors';
import {
  ALICE_CREDENTIALS,
  authenticate,
  CHALLENGE,
  flushMicrotasks,
  makeClient,
  startPaired,
  welcome,
} from './testing/clientHarness';
import { hubCodeExchange, verifiesWith } from './testing/fakeHubProofs';
import { ALICE, ALICE_LAPTOP, GENERAL, HUB, conversation, msgs, ready } from './testing/fixtures';

const OTHER_CHALLENGE = 'x'.repeat(42) + 'A';
/** What Alice's laptop signs in `auth` on a connection with this challenge (PROTOCOL.md 6.6). */
const authProof = (challenge = CHALLENGE) => authProofText(HUB.identity, challenge, ALICE_LAPTOP);

describe('RoostClient: handshake, pairing, reconnects', () => {
  it('stays unpaired after welcome without credentials, then pairs by code without sending it; no token', async () => {
    const h = makeClient({ clientName: 'roost-test' });
    await h.client.start();
    expect(h.state()).toMatchObject({ status: 'connecting', session: { phase: 'unpaired', reason: 'notPaired' } });
    const socket = h.transport.current;
    socket.open();
    expect(socket.last('hello')).toMatchObject({ protocol: PROTOCOL_VERSION, client: 'roost-test' });
    socket.deliver({ type: 'welcome', hub: HUB, serverTime: 1, challenge: CHALLENGE });
    expect(h.state()).toMatchObject({ status: 'connected', session: { phase: 'unpaired' }, hub: HUB });
    expect(socket.sentOf('auth')).toEqual([]);

    const pairing = h.client.pair({ kind: 'code', code: '123 456', displayName: 'Alice' });
    await flushMicrotasks();
    const start = socket.last('pakeStart');
    expect(start).toMatchObject({
      credential: { kind: 'code', displayName: 'Alice' },
      device: { name: 'Laptop', platform: 'linux' },
    });
    // The code keys the exchange and never crosses the network (PROTOCOL.md 6.2).
    expect(socket.sentText.join('\n')).not.toMatch(/123 ?456/);
    const hub = hubCodeExchange(start, '123456', CHALLENGE);
    socket.deliver(hub.reply);
    await flushMicrotasks();
    const finish = socket.last('pakeFinish');
    expect(hub.confirms(finish)).toBe(true);
    const pairProof = pairProofText(HUB.identity, CHALLENGE, start.publicKey);
    expect(verifiesWith(start.publicKey, pairProof, finish.signature)).toBe(true);
    socket.deliver({ type: 'paired', rid: finish.rid, userId: ALICE, deviceId: ALICE_LAPTOP });
    await pairing;
    // No token: the device's key is its credential. The hub's identity is kept: the client signs for no other.
    expect(await h.storage.loadCredentials()).toEqual({ ...ALICE_CREDENTIALS, hubIdentity: HUB.identity });
    expect(h.state().session).toEqual({ phase: 'paired' });
    socket.deliver(ready());
    expect(h.state().self).toEqual({ userId: ALICE, deviceId: ALICE_LAPTOP });
    expect(Object.keys(h.state().conversations)).toEqual(['general']);

    // The key it registered is the one it signs in with from now on.
    socket.end(1001);
    h.clock.advance(1_000);
    const next = await authenticate(h);
    expect(verifiesWith(start.publicKey, authProof(), next.last('auth').signature)).toBe(true);
  });

  it("rejects a failed pairing with the hub's error code and stays unpaired", async () => {
    const h = makeClient();
    await h.client.start();
    const socket = h.transport.current;
    welcome(socket);
    const pairing = h.client.pair({ kind: 'linkCode', code: 'no-pqrst' });
    await flushMicrotasks();
    const start = socket.last('pakeStart');
    // Only the handle, the code's first two characters, names the code (PROTOCOL.md 6.4); the rest stays secret.
    expect(start.credential).toEqual({ kind: 'linkCode', handle: 'NO' });
    expect(socket.sentText.join('\n')).not.toMatch(/PQRST|pqrst/);
    socket.deliver({
      type: 'error',
      rid: start.rid,
      code: 'LINK_CODE_INVALID',
      message: 'bad code',
      frameType: 'pakeStart',
    });
    await expect(pairing).rejects.toMatchObject({ name: 'RoostError', code: 'LINK_CODE_INVALID' });
    expect(h.state().session).toEqual({ phase: 'unpaired', reason: 'notPaired' });
    expect(socket.sentOf('pakeFinish')).toEqual([]);
  });

  it('stops pairing by code when the hub cannot confirm the code: PAIRING_CODE_INVALID, no pakeFinish', async () => {
    const h = makeClient();
    await h.client.start();
    const socket = h.transport.current;
    welcome(socket);
    const refused = h.client.pair({ kind: 'code', code: '123456', displayName: 'Alice' }).catch((err: unknown) => err);
    await flushMicrotasks();
    // A hub that does not know this code (a typo, or not the hub showing it): its confirmation cannot verify.
    socket.deliver(hubCodeExchange(socket.last('pakeStart'), '654321', CHALLENGE).reply);
    await flushMicrotasks();
    expect(socket.sentOf('pakeFinish')).toEqual([]);
    expect(await refused).toMatchObject({ name: 'RoostError', code: 'PAIRING_CODE_INVALID' });
    expect(h.state().session).toEqual({ phase: 'unpaired', reason: 'notPaired' });
    expect(await h.storage.loadCredentials()).toBeUndefined();
  });

  it('cannot pair while the hub is unreachable', async () => {
    const h = makeClient();
    await h.client.start();
    await expect(h.client.pair({ kind: 'code', code: '1', displayName: 'A' })).rejects.toMatchObject({
      code: 'NOT_CONNECTED',
    });
  });

  it("signs each welcome's challenge with its key, and sends no token", async () => {
    const h = makeClient();
    const { publicKey } = await h.storage.deviceKeys.load();
    const socket = await startPaired(h);
    const auth = socket.last('auth');
    expect(auth).toEqual({ type: 'auth', rid: auth.rid, deviceId: ALICE_LAPTOP, signature: auth.signature });
    expect(verifiesWith(publicKey, authProof(), auth.signature)).toBe(true);
    expect(h.state()).toMatchObject({ status: 'connected', session: { phase: 'paired' } });

    // The next connection's challenge is another: a signature of the old one would be worthless there.
    socket.end(1001);
    h.clock.advance(1_000);
    const next = h.transport.current;
    next.open();
    next.deliver({ type: 'welcome', hub: HUB, serverTime: 1, challenge: OTHER_CHALLENGE });
    await flushMicrotasks();
    const again = next.last('auth');
    expect(verifiesWith(publicKey, authProof(OTHER_CHALLENGE), again.signature)).toBe(true);
    expect(verifiesWith(publicKey, authProof(), again.signature)).toBe(false);
  });

  it('binds a key for a protocol-1 device: `migrate` with its token once, then forgets the token', async () => {
    const h = makeClient();
    await h.storage.saveCredentials({ ...ALICE_CREDENTIALS, token: 'token-a1' });
    const socket = await startPaired(h);
    const { publicKey } = await h.storage.deviceKeys.load();
    const auth = socket.last('auth');
    expect(auth.migrate).toEqual({ token: 'token-a1', publicKey });
    expect(verifiesWith(publicKey, authProof(), auth.signature)).toBe(true);
    // The token is gone, and the identity the key was bound to is remembered: the device signs for no other.
    expect(await h.storage.loadCredentials()).toEqual({ ...ALICE_CREDENTIALS, hubIdentity: HUB.identity });

    socket.end(1001);
    h.clock.advance(1_000);
    const next = await authenticate(h);
    const again = next.last('auth');
    expect(again.migrate).toBeUndefined();
    expect(next.sentText.join('\n')).not.toContain('token-a1');
    expect(verifiesWith(publicKey, authProof(), again.signature)).toBe(true);
  });

  it('on AUTH_FAILED wipes credentials, key and cache and returns to pairing', async () => {
    const h = makeClient();
    const { publicKey } = await h.storage.deviceKeys.load();
    await startPaired(h, ready([conversation({ lastSeq: 0 })]));
    await h.client.send('general', 'queued');
    h.transport.current.end(1001, 'hub restarting');
    h.clock.advance(1_000);
    const socket = h.transport.current;
    welcome(socket);
    await flushMicrotasks();
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
    // The hub no longer knows this key: the next pairing makes a new one (load() makes one when there is none).
    expect((await h.storage.deviceKeys.load()).publicKey).not.toBe(publicKey);
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

  it('signs in, or sends its token, to no other hub at its address; pairing there replaces the account', async () => {
    const h = makeClient();
    await h.storage.saveCredentials({ ...ALICE_CREDENTIALS, hubId: 'another-hub', token: 'old-token' });
    await h.client.start();
    const socket = h.transport.current;
    welcome(socket);
    await flushMicrotasks();
    expect(h.state()).toMatchObject({ status: 'connected', session: { phase: 'unpaired', reason: 'hubChanged' } });
    expect(socket.sentOf('auth')).toEqual([]);
    // Kept, in case the right hub answers here again.
    expect(await h.storage.loadCredentials()).toMatchObject({ hubId: 'another-hub' });

    const pairing = h.client.pair({ kind: 'joinToken', token: 'join-token', displayName: 'Alice' });
    await flushMicrotasks();
    const pair = socket.last('pair');
    expect(socket.sentText.join('\n')).not.toContain('old-token');
    socket.deliver({ type: 'paired', rid: pair.rid, userId: ALICE, deviceId: ALICE_LAPTOP });
    await pairing;
    expect(await h.storage.loadCredentials()).toEqual({ ...ALICE_CREDENTIALS, hubIdentity: HUB.identity });
    socket.deliver(ready());
    await flushMicrotasks();

    // It signs in here with the key it registered in `pair`, not one forgotten with the old account.
    socket.end(1001);
    h.clock.advance(1_000);
    const next = await authenticate(h);
    expect(verifiesWith(pair.publicKey, authProof(), next.last('auth').signature)).toBe(true);
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
