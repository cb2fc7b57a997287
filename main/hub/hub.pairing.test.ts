import { describe, expect, it } from 'vitest';
import { CloseCode, PROTOCOL_VERSION } from '../../shared/protocol';
import { TestClient } from './testing/TestClient';
import { pairNewUser, reconnect, startTestHub } from './testing/testHub';
import { cleanupsAfterEach } from './testing/cleanups';

const cleanups = cleanupsAfterEach();

async function hubWithClock(start = 1_800_000_000_000) {
  const clock = { t: start };
  const started = await startTestHub({ now: () => clock.t });
  cleanups.push(started.cleanup);
  return { ...started, clock };
}

async function greeted(port: number): Promise<TestClient> {
  const client = await TestClient.connect(port);
  cleanups.push(() => client.close());
  await client.hello();
  return client;
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

  it('makes codes single-use and expiring', async () => {
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
    expect(late).toMatchObject({ type: 'error', code: 'PAIRING_CODE_EXPIRED' });
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
