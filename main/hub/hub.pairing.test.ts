import { describe, expect, it, type TestContext } from 'vitest';
import { CloseCode, PROTOCOL_VERSION } from '../../shared/protocol';
import type { PairingGateOptions } from './pairing/PairingGate';
import { TestClient } from './testing/TestClient';
import { pairNewUser, reconnect, startTestHub } from './testing/testHub';
import { cleanupsAfterEach } from './testing/cleanups';

const cleanups = cleanupsAfterEach();

async function hubWithClock(start = 1_800_000_000_000, pairing: PairingGateOptions = {}) {
  const clock = { t: start };
  const started = await startTestHub({ now: () => clock.t, pairing });
  cleanups.push(started.cleanup);
  return { ...started, clock };
}

async function greeted(port: number, localAddress?: string): Promise<TestClient> {
  const client = await TestClient.connect(port, { localAddress });
  cleanups.push(() => client.close());
  await client.hello();
  return client;
}

function guess(client: TestClient, code: string) {
  return client.request({ type: 'pair', credential: { kind: 'code', code, displayName: 'Eve' }, device });
}

/** A 6-digit code that is not `code`. */
const wrongFor = (code: string) => String((Number(code) + 1) % 1_000_000).padStart(6, '0');

/** Tests of many addresses connect from 127.0.0.2 and on: Linux routes all of 127.0.0.0/8; macOS does not. */
async function skipWithoutLoopbackRange(test: TestContext, port: number): Promise<void> {
  try {
    await (await TestClient.connect(port, { localAddress: '127.0.0.2' })).close();
  } catch (err) {
    console.log(`skipped: cannot connect from 127.0.0.2 (${(err as Error).message})`);
    test.skip();
  }
}

const device = { name: 'Test device', platform: 'linux' } as const;

describe('pairing', () => {
  it('refuses a wrong code with a clear error, keeps the connection, then accepts the right one', async () => {
    const { hub } = await hubWithClock();
    const client = await greeted(hub.port);
    const code = hub.pairingCode().code;
    const wrong = code === '000000' ? '000001' : '000000';
    const refused = await client.request({
      type: 'pair',
      credential: { kind: 'code', code: wrong, displayName: 'Eve' },
      device,
    });
    expect(refused).toMatchObject({ type: 'error', code: 'PAIRING_CODE_INVALID', frameType: 'pair' });
    const paired = await client.expect(
      { type: 'pair', credential: { kind: 'code', code, displayName: 'Carol' }, device },
      'paired',
    );
    expect(paired.token.length).toBeGreaterThanOrEqual(43);
    await client.nextOf('ready');
  });

  it('makes codes single-use, and refuses them once pairing has closed by itself', async () => {
    const { hub, clock } = await hubWithClock();
    const first = hub.pairingCode();
    await (
      await greeted(hub.port)
    ).expect({ type: 'pair', credential: { kind: 'code', code: first.code, displayName: 'One' }, device }, 'paired');
    const reuse = await (
      await greeted(hub.port)
    ).request({ type: 'pair', credential: { kind: 'code', code: first.code, displayName: 'Two' }, device });
    expect(reuse).toMatchObject({ type: 'error', code: 'PAIRING_CODE_EXPIRED' });

    const second = hub.pairingCode();
    expect(second.code).not.toBe(first.code);
    clock.t = second.expiresAt + 1;
    const late = await (
      await greeted(hub.port)
    ).request({ type: 'pair', credential: { kind: 'code', code: second.code, displayName: 'Three' }, device });
    expect(late).toMatchObject({ type: 'error', code: 'PAIRING_CLOSED' });
    expect(hub.pairingState().open).toBe(false);
    hub.openPairing();
    const stale = await (
      await greeted(hub.port)
    ).request({ type: 'pair', credential: { kind: 'code', code: second.code, displayName: 'Four' }, device });
    expect(stale).toMatchObject({ type: 'error', code: 'PAIRING_CODE_EXPIRED' });
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
    const refused = await client.request({
      type: 'pair',
      credential: { kind: 'code', code: shown, displayName: 'Eve' },
      device,
    });
    expect(refused).toMatchObject({ type: 'error', code: 'PAIRING_CLOSED', frameType: 'pair' });
    expect((refused as { message: string }).message).toMatch(/ask the hub's owner to open pairing/i);
    const { token } = hub.createJoinToken();
    await client.expect(
      { type: 'pair', credential: { kind: 'joinToken', token, displayName: 'Dan' }, device },
      'paired',
    );
    expect(hub.pairingState()).toMatchObject({
      open: false,
      recentFailures: [{ address: '127.0.0.1', kind: 'code', outcome: 'closed', count: 1 }],
    });
  });

  it('locks an address out after repeated wrong codes, and lets it try again later', async () => {
    const { hub, clock } = await hubWithClock();
    const client = await greeted(hub.port);
    const code = hub.pairingCode().code;
    const wrong = String((Number(code) + 1) % 1_000_000).padStart(6, '0');
    for (let i = 0; i < 5; i++) {
      const r = await client.request({
        type: 'pair',
        credential: { kind: 'code', code: wrong, displayName: 'Eve' },
        device,
      });
      expect(r).toMatchObject({ type: 'error', code: 'PAIRING_CODE_INVALID' });
    }
    const locked = await client.request({
      type: 'pair',
      credential: { kind: 'code', code: hub.pairingCode().code, displayName: 'Eve' },
      device,
    });
    expect(locked).toMatchObject({ type: 'error', code: 'PAIRING_LOCKED' });
    clock.t += 61_000;
    await client.expect(
      { type: 'pair', credential: { kind: 'code', code: hub.pairingCode().code, displayName: 'Eve' }, device },
      'paired',
    );
  });

  it('pairs with a one-time join token, once', async () => {
    const { hub } = await hubWithClock();
    const { token } = hub.createJoinToken();
    await (
      await greeted(hub.port)
    ).expect({ type: 'pair', credential: { kind: 'joinToken', token, displayName: 'Dan' }, device }, 'paired');
    const again = await (
      await greeted(hub.port)
    ).request({ type: 'pair', credential: { kind: 'joinToken', token, displayName: 'Dan2' }, device });
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
    const paired = await phone.expect(
      { type: 'pair', credential: { kind: 'linkCode', code: typed }, device },
      'paired',
    );
    expect(paired.userId).toBe(alice.credentials.userId);
    const ready = await phone.nextOf('ready');
    expect(ready.devices.map((d) => d.id).sort()).toEqual([alice.credentials.deviceId, paired.deviceId].sort());
    const reuse = await (
      await greeted(hub.port)
    ).request({ type: 'pair', credential: { kind: 'linkCode', code: link.code }, device });
    expect(reuse).toMatchObject({ type: 'error', code: 'LINK_CODE_INVALID' });
  });

  it('wrong guesses from many addresses do not replace the code', async (test) => {
    const { hub } = await hubWithClock();
    const shown = hub.pairingCode().code;
    await skipWithoutLoopbackRange(test, hub.port);
    for (let i = 2; i < 32; i++) {
      const guesser = await greeted(hub.port, `127.0.0.${i}`);
      const r = await guess(guesser, wrongFor(shown));
      expect(r).toMatchObject({ code: 'PAIRING_CODE_INVALID' });
      await guesser.close();
    }
    expect(hub.pairingCode().code).toBe(shown);
    await (
      await greeted(hub.port)
    ).expect({ type: 'pair', credential: { kind: 'code', code: shown, displayName: 'Ann' }, device }, 'paired');
  });

  it('the hub-wide ceiling stops guessing within a window', async (test) => {
    const { hub } = await hubWithClock(undefined, { maxWrongGuessesPerWindow: 8 });
    const shown = hub.pairingCode().code;
    await skipWithoutLoopbackRange(test, hub.port);
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
    await person.expect(
      { type: 'pair', credential: { kind: 'code', code: hub.pairingCode().code, displayName: 'Ann' }, device },
      'paired',
    );
  });

  it('a full lockout table refuses new guessers and keeps locked ones', async (test) => {
    const { hub } = await hubWithClock(undefined, { maxTrackedAddresses: 3 });
    await skipWithoutLoopbackRange(test, hub.port);
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
    const { token } = hub.createJoinToken();
    await newcomer.expect(
      { type: 'pair', credential: { kind: 'joinToken', token, displayName: 'Ann' }, device },
      'paired',
    );
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
    const first = await flooder.client.next((f) => f.rid === 'flood0', 'first link code');
    const last = await flooder.client.next((f) => f.rid === `flood${FLOOD - 1}`, 'last link code');
    if (first.type !== 'linkCode' || last.type !== 'linkCode') throw new Error('expected link codes');
    const stale = await (
      await greeted(hub.port)
    ).request({ type: 'pair', credential: { kind: 'linkCode', code: first.code }, device });
    expect(stale).toMatchObject({ type: 'error', code: 'LINK_CODE_INVALID' });
    const paired = await (
      await greeted(hub.port)
    ).expect({ type: 'pair', credential: { kind: 'linkCode', code: last.code }, device }, 'paired');
    expect(paired.userId).toBe(flooder.credentials.userId);
  });

  it('authenticates later connections with the device token and refuses a wrong one', async () => {
    const { hub } = await hubWithClock();
    const alice = await pairNewUser(hub, 'Alice');
    await alice.client.close();
    const again = await reconnect(hub.port, alice.credentials);
    cleanups.push(() => again.client.close());
    expect(again.ready.self).toEqual({ userId: alice.credentials.userId, deviceId: alice.credentials.deviceId });
    const other = await greeted(hub.port);
    const refused = await other.request({ type: 'auth', deviceId: alice.credentials.deviceId, token: 'x'.repeat(43) });
    expect(refused).toMatchObject({ type: 'error', code: 'AUTH_FAILED' });
  });

  it('refuses an incompatible protocol version with a stated reason and close code', async () => {
    const { hub } = await hubWithClock();
    const client = await TestClient.connect(hub.port);
    const answer = await client.request({ type: 'hello', protocol: PROTOCOL_VERSION + 1 });
    expect(answer).toMatchObject({ type: 'incompatible', reason: 'CLIENT_TOO_NEW', hubProtocol: PROTOCOL_VERSION });
    expect((await client.waitClosed()).code).toBe(CloseCode.INCOMPATIBLE_PROTOCOL);
  });
});
