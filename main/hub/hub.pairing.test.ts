import { randomBytes } from 'node:crypto';
import { describe, expect, it, vi } from 'vitest';
import type { PairingState } from '../../shared/hub/pairingState';
import {
  CloseCode,
  LINK_CODE_HANDLE_LENGTH,
  MIN_PROTOCOL_VERSION,
  PROTOCOL_VERSION,
  type ServerFrame,
} from '../../shared/protocol';
import { memoryDeviceKey } from '../../shared/sync/MemoryDeviceKeys';
import { codeExchange, pairSignature } from '../../shared/sync/deviceProofs';
import type { Hub } from './Hub';
import type { PairingGateOptions } from './pairing/PairingGate';
import { authFrame, authRequest, expectPaired, pairRequest } from './testing/devicePairing';
import { TestClient } from './testing/TestClient';
import { greetedClient, pairNewUser, reconnect, skipWithoutLoopbackAddress, startTestHub } from './testing/testHub';
import { cleanupsAfterEach } from './testing/cleanups';
import { rawDataText } from './rawData';

const cleanups = cleanupsAfterEach();

async function hubWithClock(start = 1_800_000_000_000, pairing: PairingGateOptions = {}) {
  const clock = { t: start };
  const started = await startTestHub({ now: () => clock.t, pairing });
  cleanups.push(started.cleanup);
  return { ...started, clock };
}

const greeted = (port: number, localAddress?: string) => greetedClient(port, cleanups, localAddress);

const device = { name: 'Test device', platform: 'linux' } as const;

/** One attempt with a pairing code, as a device makes it (pakeStart, pakeFinish); the hub's last answer. */
function guess(client: TestClient, code: string, displayName = 'Eve'): Promise<ServerFrame> {
  return pairRequest(client, { credential: { kind: 'code', code, displayName }, device });
}

function pairWithCode(client: TestClient, code: string, displayName: string) {
  return expectPaired(client, { credential: { kind: 'code', code, displayName }, device });
}

function pairWithJoinToken(client: TestClient, token: string, displayName: string) {
  return expectPaired(client, { credential: { kind: 'joinToken', token, displayName }, device });
}

function pairWithLinkCode(client: TestClient, code: string) {
  return pairRequest(client, { credential: { kind: 'linkCode', code }, device });
}

/** A 6-digit code that is not `code`. */
const wrongFor = (code: string) => String((Number(code) + 1) % 1_000_000).padStart(6, '0');

const handleOf = (code: string) => code.slice(0, LINK_CODE_HANDLE_LENGTH);

/** Every frame the client sends from now on, as it goes on the wire (TestClient sends text only). */
function recordSent(client: TestClient): string[] {
  const sent: string[] = [];
  const send = client.ws.send.bind(client.ws);
  vi.spyOn(client.ws, 'send').mockImplementation((data, ...rest: unknown[]) => {
    if (typeof data !== 'string') throw new Error('TestClient sends text frames only');
    sent.push(data);
    (send as (...args: unknown[]) => void)(data, ...rest);
  });
  return sent;
}

/** Every frame the hub sends the client from now on, as it came (TestClient keeps them parsed, unknown keys gone). */
function recordReceived(client: TestClient): Array<Record<string, unknown>> {
  const received: Array<Record<string, unknown>> = [];
  client.ws.on('message', (data) => received.push(JSON.parse(rawDataText(data)) as Record<string, unknown>));
  return received;
}

/** Resolves with the hub's pairing state once `ready` holds for it, or rejects after `ms`. */
function pairingStateWhen(hub: Hub, ready: (state: PairingState) => boolean, what: string, ms = 5000) {
  return new Promise<PairingState>((resolve, reject) => {
    let off = () => {};
    const timer = setTimeout(() => {
      off();
      reject(new Error(`no pairing state with ${what} within ${ms} ms: ${JSON.stringify(hub.pairingState())}`));
    }, ms);
    const check = (state: PairingState) => {
      if (!ready(state)) return;
      off();
      clearTimeout(timer);
      resolve(state);
    };
    off = hub.onPairingChange(check);
    check(hub.pairingState());
  });
}

describe('pairing', () => {
  it('refuses a wrong code with a clear error, keeps the connection, then accepts the right one', async () => {
    const { hub } = await hubWithClock();
    const client = await greeted(hub.port);
    const received = recordReceived(client);
    const code = hub.pairingCode().code;
    const refused = await guess(client, wrongFor(code));
    expect(refused).toMatchObject({ type: 'error', code: 'PAIRING_CODE_INVALID', frameType: 'pakeFinish' });
    expect((refused as { message: string }).message).toMatch(/Check the 6-digit code shown by the hub/);
    // People type the code as it is shown, in two groups.
    const { paired, credentials } = await pairWithCode(client, `${code.slice(0, 3)} ${code.slice(3)}`, 'Carol');
    // The device's credential is its key, which never leaves it: `paired` carries no secret.
    const pairedOnWire = received.find((f) => f.type === 'paired');
    expect(pairedOnWire).toEqual({ type: 'paired', rid: paired.rid, userId: paired.userId, deviceId: paired.deviceId });
    await client.close();
    const again = await reconnect(hub.port, credentials);
    cleanups.push(() => again.client.close());
    expect(again.ready.self).toEqual({ userId: paired.userId, deviceId: paired.deviceId });
  });

  it('makes codes single-use, and refuses them once pairing has closed by itself', async () => {
    const { hub, clock } = await hubWithClock();
    const first = hub.pairingCode();
    await pairWithCode(await greeted(hub.port), first.code, 'One');
    const reuse = await guess(await greeted(hub.port), first.code, 'Two');
    expect(reuse).toMatchObject({ type: 'error', code: 'PAIRING_CODE_INVALID' });

    const second = hub.pairingCode();
    expect(second.code).not.toBe(first.code);
    clock.t = second.expiresAt + 1;
    const late = await guess(await greeted(hub.port), second.code, 'Three');
    expect(late).toMatchObject({ type: 'error', code: 'PAIRING_CLOSED', frameType: 'pakeStart' });
    expect(hub.pairingState().open).toBe(false);
    hub.openPairing();
    const stale = await guess(await greeted(hub.port), second.code, 'Four');
    expect(stale).toMatchObject({ type: 'error', code: 'PAIRING_CODE_INVALID' });
  });

  it('a code is refused while pairing is closed; a join link still pairs', async () => {
    const { hub } = await hubWithClock();
    const shown = hub.pairingCode().code;
    const heard: boolean[] = [];
    hub.onPairingChange((state) => heard.push(state.open));
    expect(hub.closePairing()).toMatchObject({ open: false });
    expect(heard).toEqual([false]);
    expect(() => hub.pairingCode()).toThrow(/closed/);
    const client = await greeted(hub.port);
    const refused = await guess(client, shown);
    expect(refused).toMatchObject({ type: 'error', code: 'PAIRING_CLOSED', frameType: 'pakeStart' });
    expect((refused as { message: string }).message).toMatch(/ask the hub's owner to open pairing/i);
    await pairWithJoinToken(client, hub.createJoinToken().token, 'Dan');
    expect(hub.pairingState()).toMatchObject({
      open: false,
      wrongGuesses: 0,
      recentFailures: [{ address: '127.0.0.1', kind: 'code', outcome: 'closed', count: 1 }],
    });
  });

  it('locks an address out after repeated wrong codes, and lets it try again later', async () => {
    const { hub, clock } = await hubWithClock();
    const client = await greeted(hub.port);
    const wrong = wrongFor(hub.pairingCode().code);
    for (let i = 0; i < 5; i++) {
      expect(await guess(client, wrong)).toMatchObject({ type: 'error', code: 'PAIRING_CODE_INVALID' });
    }
    const locked = await guess(client, hub.pairingCode().code);
    expect(locked).toMatchObject({ type: 'error', code: 'PAIRING_LOCKED', frameType: 'pakeStart' });
    clock.t += 61_000;
    await pairWithCode(client, hub.pairingCode().code, 'Eve');
  });

  it('pairs with a one-time join token, once', async () => {
    const { hub } = await hubWithClock();
    const { token } = hub.createJoinToken();
    await pairWithJoinToken(await greeted(hub.port), token, 'Dan');
    const again = await pairRequest(await greeted(hub.port), {
      credential: { kind: 'joinToken', token, displayName: 'Dan2' },
      device,
    });
    expect(again).toMatchObject({ type: 'error', code: 'JOIN_TOKEN_INVALID' });
  });

  it('adds a device to an existing user with a single-use link code', async () => {
    const { hub } = await hubWithClock();
    const alice = await pairNewUser(hub, 'Alice');
    cleanups.push(() => alice.client.close());
    const link = await alice.client.expect({ type: 'createLinkCode' }, 'linkCode');
    expect(link.code).toMatch(/^[A-Z2-9]{8}$/);
    const phone = await greeted(hub.port);
    // People type codes in lower case with a dash; both are accepted.
    const typed = `${link.code.slice(0, 4).toLowerCase()}-${link.code.slice(4)}`;
    const paired = await pairWithLinkCode(phone, typed);
    if (paired.type !== 'paired') throw new Error(JSON.stringify(paired));
    expect(paired.userId).toBe(alice.credentials.userId);
    const ready = await phone.nextOf('ready');
    expect(ready.devices.map((d) => d.id).sort()).toEqual([alice.credentials.deviceId, paired.deviceId].sort());
    const reuse = await pairWithLinkCode(await greeted(hub.port), link.code);
    expect(reuse).toMatchObject({ type: 'error', code: 'LINK_CODE_INVALID' });
  });

  it('wrong guesses from many addresses do not replace the code', async (test) => {
    const { hub } = await hubWithClock();
    const shown = hub.pairingCode().code;
    await skipWithoutLoopbackAddress(test, hub.port, '127.0.0.2');
    for (let i = 2; i < 32; i++) {
      const guesser = await greeted(hub.port, `127.0.0.${i}`);
      const r = await guess(guesser, wrongFor(shown));
      expect(r).toMatchObject({ code: 'PAIRING_CODE_INVALID' });
      await guesser.close();
    }
    expect(hub.pairingCode().code).toBe(shown);
    await pairWithCode(await greeted(hub.port), shown, 'Ann');
  });

  it('the hub-wide ceiling stops guessing within a window', async (test) => {
    const { hub } = await hubWithClock(undefined, { maxWrongGuessesPerWindow: 8 });
    const shown = hub.pairingCode().code;
    await skipWithoutLoopbackAddress(test, hub.port, '127.0.0.2');
    for (const address of ['127.0.0.2', '127.0.0.3']) {
      const guesser = await greeted(hub.port, address);
      for (let i = 0; i < 4; i++)
        expect(await guess(guesser, wrongFor(shown))).toMatchObject({ code: 'PAIRING_CODE_INVALID' });
    }
    expect(hub.pairingState()).toMatchObject({ open: true, wrongGuesses: 8, maxWrongGuesses: 8 });
    const person = await greeted(hub.port, '127.0.0.4');
    const refused = await guess(person, shown);
    expect(refused).toMatchObject({ type: 'error', code: 'PAIRING_LIMIT_REACHED' });
    expect((refused as { message: string }).message).toMatch(/closes in 10 min/);
    // The owner opens pairing again: a new window, a new code.
    hub.openPairing();
    expect(hub.pairingCode().code).not.toBe(shown);
    await pairWithCode(person, hub.pairingCode().code, 'Ann');
  });

  it('a full lockout table refuses new guessers and keeps locked ones', async (test) => {
    const { hub } = await hubWithClock(undefined, { maxTrackedAddresses: 3 });
    await skipWithoutLoopbackAddress(test, hub.port, '127.0.0.2');
    const locked = await greeted(hub.port, '127.0.0.2');
    for (let i = 0; i < 5; i++) await guess(locked, wrongFor(hub.pairingCode().code));
    for (const address of ['127.0.0.3', '127.0.0.4'])
      await guess(await greeted(hub.port, address), wrongFor(hub.pairingCode().code));
    const newcomer = await greeted(hub.port, '127.0.0.5');
    const busy = await guess(newcomer, hub.pairingCode().code);
    expect(busy).toMatchObject({ type: 'error', code: 'PAIRING_BUSY' });
    expect((busy as { message: string }).message).toMatch(
      /Try again in 60 min, or ask the hub's owner for a join link/,
    );
    expect(await guess(locked, hub.pairingCode().code)).toMatchObject({ type: 'error', code: 'PAIRING_LOCKED' });
    await pairWithJoinToken(newcomer, hub.createJoinToken().token, 'Ann');
  });

  it("a device flooding createLinkCode keeps a bystander's ping answered and holds at most 3 codes", async () => {
    const { hub } = await hubWithClock();
    const flooder = await pairNewUser(hub, 'Mallory');
    const bystander = await pairNewUser(hub, 'Bob');
    cleanups.push(() => flooder.client.close());
    cleanups.push(() => bystander.client.close());
    const FLOOD = 900; // under the frame burst of 1000, so the flood is served rather than cut off
    for (let i = 0; i < FLOOD; i++) flooder.client.sendFrame({ type: 'createLinkCode', rid: `flood${i}` });
    await bystander.client.expect({ type: 'ping' }, 'pong');
    const codes: string[] = [];
    for (let i = 0; i < FLOOD; i++) {
      const made = await flooder.client.next((f) => f.rid === `flood${i}`, `link code ${i}`);
      if (made.type !== 'linkCode') throw new Error(`expected a link code, got ${JSON.stringify(made)}`);
      codes.push(made.code);
    }
    // A replaced code whose handle no live code has taken since (a freed handle is any new code's to take).
    const live = codes.slice(-3).map(handleOf);
    const stale = codes.slice(0, -3).find((code) => !live.includes(handleOf(code)))!;
    expect(await pairWithLinkCode(await greeted(hub.port), stale)).toMatchObject({
      type: 'error',
      code: 'LINK_CODE_INVALID',
    });
    const paired = await pairWithLinkCode(await greeted(hub.port), codes.at(-1)!);
    expect(paired).toMatchObject({ type: 'paired', userId: flooder.credentials.userId });
  });

  it("authenticates later connections by the device's signature and refuses another key's", async () => {
    const { hub } = await hubWithClock();
    const alice = await pairNewUser(hub, 'Alice');
    await alice.client.close();
    const again = await reconnect(hub.port, alice.credentials);
    cleanups.push(() => again.client.close());
    expect(again.ready.self).toEqual({ userId: alice.credentials.userId, deviceId: alice.credentials.deviceId });
    const other = await greeted(hub.port);
    const refused = await authRequest(other, { ...alice.credentials, key: memoryDeviceKey() });
    expect(refused).toMatchObject({ type: 'error', code: 'AUTH_FAILED' });
    // A signature alice made on another connection is refused too: it signed that connection's challenge.
    const replayed = await greeted(hub.port);
    const recorded = await authFrame(again.client, alice.credentials);
    expect(await replayed.request(recorded)).toMatchObject({ type: 'error', code: 'AUTH_FAILED' });
  });

  it('refuses an incompatible protocol version with a stated reason and close code', async () => {
    const { hub } = await hubWithClock();
    for (const [protocol, reason] of [
      [PROTOCOL_VERSION + 1, 'CLIENT_TOO_NEW'],
      [MIN_PROTOCOL_VERSION - 1, 'CLIENT_TOO_OLD'],
    ] as const) {
      const client = await TestClient.connect(hub.port);
      const answer = await client.request({ type: 'hello', protocol });
      expect(answer).toMatchObject({ type: 'incompatible', reason, hubProtocol: PROTOCOL_VERSION });
      expect((await client.waitClosed()).code).toBe(CloseCode.INCOMPATIBLE_PROTOCOL);
    }
  });
});

describe('pairing by code is a SPAKE2 exchange (protocol 2)', () => {
  it('pairs through pakeStart and pakeFinish; neither code ever crosses the wire', async () => {
    const { hub } = await hubWithClock();
    const client = await TestClient.connect(hub.port);
    cleanups.push(() => client.close());
    const sent = recordSent(client);
    await client.hello();
    const code = hub.pairingCode().code;
    const { credentials } = await pairWithCode(client, code, 'Ann');
    const link = await client.expect({ type: 'createLinkCode' }, 'linkCode');
    const phone = await TestClient.connect(hub.port);
    cleanups.push(() => phone.close());
    const sentByPhone = recordSent(phone);
    await phone.hello();
    expect(await pairWithLinkCode(phone, link.code)).toMatchObject({ type: 'paired', userId: credentials.userId });

    const frames = sent.map((text) => JSON.parse(text) as { type: string; credential?: unknown });
    expect(frames.map((f) => f.type)).toEqual(['hello', 'pakeStart', 'pakeFinish', 'createLinkCode']);
    expect(frames[1]!.credential).toEqual({ kind: 'code', displayName: 'Ann' });
    const phoneFrames = sentByPhone.map((text) => JSON.parse(text) as { type: string; credential?: unknown });
    expect(phoneFrames.map((f) => f.type)).toEqual(['hello', 'pakeStart', 'pakeFinish']);
    expect(phoneFrames[1]!.credential).toEqual({ kind: 'linkCode', handle: handleOf(link.code) });
    for (const text of sent) expect(text).not.toContain(code);
    // Only the handle names the link code; the rest of it is the secret.
    for (const text of sentByPhone) expect(text).not.toContain(link.code.slice(LINK_CODE_HANDLE_LENGTH));
  });

  it('a pakeFinish with a wrong confirmation is PAIRING_CODE_INVALID, counted, and ends the exchange', async () => {
    const { hub } = await hubWithClock();
    const client = await greeted(hub.port);
    const key = memoryDeviceKey();
    const welcomed = client.welcomed;
    const code = hub.pairingCode().code;
    const exchange = codeExchange(welcomed, key, { kind: 'code', code, displayName: 'Eve' }, device);
    const reply = await client.expect(exchange.start, 'pakeReply');
    const { hubConfirmed, confirm } = exchange.finish(reply);
    expect(hubConfirmed).toBe(true);
    const signature = await pairSignature(welcomed, key);
    // The right code, but a confirmation that does not prove it (its first character changed).
    const forged = (confirm[0] === 'A' ? 'B' : 'A') + confirm.slice(1);
    const refused = await client.request({ type: 'pakeFinish', confirm: forged, signature });
    expect(refused).toMatchObject({ type: 'error', code: 'PAIRING_CODE_INVALID', frameType: 'pakeFinish' });
    expect(hub.pairingState()).toMatchObject({
      wrongGuesses: 1,
      failedAttempts: 1,
      recentFailures: [{ address: '127.0.0.1', kind: 'code', outcome: 'wrong', count: 1 }],
    });
    expect(hub.pairingCode().code).toBe(code);
    // The exchange is over: even the right confirmation no longer pairs on it.
    expect(await client.request({ type: 'pakeFinish', confirm, signature })).toMatchObject({
      type: 'error',
      code: 'PAKE_NOT_STARTED',
    });
    expect(client.closed).toBeUndefined();
  });

  it('pakeFinish without pakeStart is PAKE_NOT_STARTED, and counts nothing', async () => {
    const { hub } = await hubWithClock();
    const client = await greeted(hub.port);
    const key = memoryDeviceKey();
    const signature = await pairSignature(client.welcomed, key);
    const answer = await client.request({ type: 'pakeFinish', confirm: 'A'.repeat(43), signature });
    expect(answer).toMatchObject({ type: 'error', code: 'PAKE_NOT_STARTED', frameType: 'pakeFinish' });
    expect(hub.pairingState()).toMatchObject({ wrongGuesses: 0, failedAttempts: 0 });
    expect(client.closed).toBeUndefined();
    await pairWithCode(client, hub.pairingCode().code, 'Ann');
  });

  it('a pakeStart whose publicKey is not a P-256 key is DEVICE_KEY_INVALID and counts no guess', async () => {
    const { hub } = await hubWithClock();
    const client = await greeted(hub.port);
    const welcomed = client.welcomed;
    const code = hub.pairingCode().code;
    const { start } = codeExchange(welcomed, memoryDeviceKey(), { kind: 'code', code, displayName: 'Eve' }, device);
    // The right length, canonical base64url, and not a key at all.
    const garbage = randomBytes(91).toString('base64url');
    const answer = await client.request({ ...start, publicKey: garbage });
    expect(answer).toMatchObject({ type: 'error', code: 'DEVICE_KEY_INVALID', frameType: 'pakeStart' });
    expect(hub.pairingState()).toMatchObject({ wrongGuesses: 0, failedAttempts: 0 });
    expect(hub.pairingCode().code).toBe(code);
    await pairWithCode(client, code, 'Ann');
  });

  it("a `pair` signed over another connection's challenge is DEVICE_KEY_INVALID; the join token is kept", async () => {
    const { hub } = await hubWithClock();
    const { token } = hub.createJoinToken();
    const key = memoryDeviceKey();
    const first = await greeted(hub.port);
    const recorded = await pairSignature(first.welcomed, key);
    const second = await greeted(hub.port);
    expect(second.welcome!.challenge).not.toBe(first.welcome!.challenge);
    const credential = { kind: 'joinToken', token, displayName: 'Dan' } as const;
    const replayed = await second.request({
      type: 'pair',
      credential,
      device,
      publicKey: key.publicKey,
      signature: recorded,
    });
    expect(replayed).toMatchObject({ type: 'error', code: 'DEVICE_KEY_INVALID', frameType: 'pair' });
    expect(hub.isJoinTokenLive(token)).toBe(true);
    expect(hub.pairingState().failedAttempts).toBe(0);
    await expectPaired(second, { credential, device, key });
  });

  it('a connection that closes with a pakeStart pending leaves a wrong guess, listed for the owner', async () => {
    const { hub } = await hubWithClock();
    const code = hub.pairingCode().code;
    const client = await greeted(hub.port);
    const welcomed = client.welcomed;
    const exchange = codeExchange(welcomed, memoryDeviceKey(), { kind: 'code', code, displayName: 'Eve' }, device);
    await client.expect(exchange.start, 'pakeReply');
    expect(hub.pairingState()).toMatchObject({ wrongGuesses: 1, failedAttempts: 0 });
    await client.close();
    const after = await pairingStateWhen(hub, (s) => s.failedAttempts === 1, 'the abandoned exchange listed');
    expect(after).toMatchObject({
      wrongGuesses: 1,
      recentFailures: [{ address: '127.0.0.1', kind: 'code', outcome: 'wrong', count: 1 }],
    });
    expect(hub.pairingCode().code).toBe(code);
  });
});
