import { describe, expect, it } from 'vitest';
import { memoryDeviceKey } from '../../shared/sync/MemoryDeviceKeys';
import { codeExchange, pairSignature, type CodeCredential } from '../../shared/sync/deviceProofs';
import type { DeviceKey } from '../../shared/sync/deviceKeys';
import type { Hub } from './Hub';
import type { PairingGateOptions } from './pairing/PairingGate';
import { cleanupsAfterEach } from './testing/cleanups';
import { TestClient } from './testing/TestClient';
import { greetedClient, pairNewUser, startTestHub } from './testing/testHub';

/**
 * Red team, protocol 2: a code exchange is judged one round trip after it is counted (pakeStart counts a wrong guess,
 * pakeFinish takes it back), and everything between the two may change: the pairing window, the device that made a
 * link code. A hostile member holds exchanges open (up to the time to `ready`, 120 s) across such a change.
 */
const cleanups = cleanupsAfterEach();
const device = { name: 'Attacker phone', platform: 'linux' } as const;

async function hub(pairing: PairingGateOptions = {}): Promise<Hub> {
  const started = await startTestHub({ pairing });
  cleanups.push(started.cleanup);
  return started.hub;
}

const greeted = (hub: Hub, localAddress?: string) => greetedClient(hub.port, cleanups, localAddress);

/** pakeStart answered, pakeFinish not yet sent: the exchange is counted and pending on the hub. */
async function pendingExchange(client: TestClient, credential: CodeCredential) {
  const welcomed = client.welcomed;
  const key: DeviceKey = memoryDeviceKey();
  const exchange = codeExchange(welcomed, key, credential, device);
  const reply = await client.request(exchange.start);
  if (reply.type !== 'pakeReply') throw new Error(`expected pakeReply, got ${JSON.stringify(reply)}`);
  const { hubConfirmed, confirm } = exchange.finish(reply);
  const signature = await pairSignature(welcomed, key);
  return {
    hubConfirmed,
    finish: () => client.request({ type: 'pakeFinish', confirm, signature }),
  };
}

/** A wrong pairing code: counted at pakeStart; the hub's confirmation does not verify, so a device stops there. */
async function wrongGuess(client: TestClient, hub: Hub): Promise<string> {
  const code = String((Number(hub.pairingCode().code) + 1) % 1_000_000).padStart(6, '0');
  const welcomed = client.welcomed;
  const exchange = codeExchange(welcomed, memoryDeviceKey(), { kind: 'code', code, displayName: 'Eve' }, device);
  const answer = await client.request(exchange.start);
  return answer.type === 'error' ? answer.code : answer.type;
}

describe('a code exchange held open across a change on the hub', () => {
  // Fixed (PairingGate.pendingGuess + PairingWindow.refundWrongGuess): a guess is counted in the window it starts
  // in, but its refund goes to whichever window is open when it succeeds. A link code's success has no check of its
  // window (the pairing code's has: a new window has a new code). So every link-code exchange a member starts before
  // a new window opens (the old one closed, or its ceiling was reached and the owner opened pairing again) and
  // finishes after it takes one wrong guess off the new window's count: the new window then checks its ceiling
  // plus that many wrong codes, breaking "a window counts at most 500 wrong codes" (PROTOCOL.md 6.8). Bounded by the
  // member's live link codes and connections held open. Now a refund goes only to the window that counted it.
  it('a link-code exchange started before a new window opens takes no guess off the new window', async () => {
    const h = await hub({ maxWrongGuessesPerWindow: 3 });
    const mallory = await pairNewUser(h, 'Mallory');
    cleanups.push(() => mallory.client.close());
    const link = await mallory.client.expect({ type: 'createLinkCode' }, 'linkCode');
    const held = await pendingExchange(await greeted(h, '127.0.0.2'), { kind: 'linkCode', code: link.code });
    expect(held.hubConfirmed).toBe(true);
    expect(h.pairingState().wrongGuesses).toBe(1);

    // A new window: its count starts at 0, and the exchange above was counted in the old one.
    h.closePairing();
    h.openPairing();
    const guesser = await greeted(h, '127.0.0.3');
    for (let i = 0; i < 3; i++) expect(await wrongGuess(guesser, h)).toBe('pakeReply');
    expect(await wrongGuess(guesser, h)).toBe('PAIRING_LIMIT_REACHED');

    expect(await held.finish()).toMatchObject({ type: 'paired', userId: mallory.credentials.userId });
    // The new window has counted 3 wrong codes, its ceiling: it must not check a 4th.
    expect(h.pairingState().wrongGuesses).toBe(3);
    expect(await wrongGuess(await greeted(h, '127.0.0.4'), h)).toBe('PAIRING_LIMIT_REACHED');
  });

  // Fixed (handlePakeFinish): a link code is taken from the table at pakeStart with only its user; removing the
  // device that made it (forgetLinkCodesOfDevice) no longer reaches it. PROTOCOL.md 6.4: codes "of a device or user
  // since removed" answer LINK_CODE_INVALID. Whoever holds the device (a thief, the very reason to remove it) starts
  // an exchange with its link code, waits for the owner to remove the device, and finishes: a fresh device of the
  // user, paired after the removal. Now pakeFinish checks the device as well as the user.
  it("a pending exchange with a removed device's link code pairs nobody", async () => {
    const h = await hub();
    const stolen = await pairNewUser(h, 'Ann', 'Stolen phone');
    const link = await stolen.client.expect({ type: 'createLinkCode' }, 'linkCode');
    const held = await pendingExchange(await greeted(h, '127.0.0.2'), { kind: 'linkCode', code: link.code });
    expect(held.hubConfirmed).toBe(true);

    expect(await h.removeDevice(stolen.credentials.deviceId)).toBe(true);
    await stolen.client.waitClosed();

    const answer = await held.finish();
    expect(answer).toMatchObject({ type: 'error', code: 'LINK_CODE_INVALID' });
    expect(h.operator.devices().filter((d) => d.userId === stolen.credentials.userId)).toEqual([]);
  });

  it('a pairing-code exchange started before a new window opens does not pair: a new window, a new code', async () => {
    const h = await hub();
    const held = await pendingExchange(await greeted(h), {
      kind: 'code',
      code: h.pairingCode().code,
      displayName: 'Eve',
    });
    expect(held.hubConfirmed).toBe(true);
    h.closePairing();
    h.openPairing();
    const before = h.pairingState().wrongGuesses;
    expect(await held.finish()).toMatchObject({ type: 'error', code: 'PAIRING_CODE_INVALID' });
    expect(h.pairingState().wrongGuesses).toBe(before);
  });

  it('a user removed while its link-code exchange is pending gets no device', async () => {
    const h = await hub();
    const ann = await pairNewUser(h, 'Ann');
    const link = await ann.client.expect({ type: 'createLinkCode' }, 'linkCode');
    const held = await pendingExchange(await greeted(h, '127.0.0.2'), { kind: 'linkCode', code: link.code });
    await h.operator.removeUser(ann.credentials.userId, 'cli');
    expect(await held.finish()).toMatchObject({ type: 'error', code: 'LINK_CODE_INVALID' });
  });

  it('a right code finished after the owner closed pairing is PAIRING_CLOSED, counted, for both kinds', async () => {
    const h = await hub();
    const ann = await pairNewUser(h, 'Ann');
    cleanups.push(() => ann.client.close());
    const link = await ann.client.expect({ type: 'createLinkCode' }, 'linkCode');
    const byCode = await pendingExchange(await greeted(h), {
      kind: 'code',
      code: h.pairingCode().code,
      displayName: 'B',
    });
    const byLink = await pendingExchange(await greeted(h), { kind: 'linkCode', code: link.code });
    expect([byCode.hubConfirmed, byLink.hubConfirmed]).toEqual([true, true]);
    h.closePairing();

    for (const exchange of [byCode, byLink]) {
      expect(await exchange.finish()).toMatchObject({ type: 'error', code: 'PAIRING_CLOSED' });
    }
    expect(h.pairingState().wrongGuesses).toBe(2);
    expect(h.operator.users().map((u) => u.displayName)).toEqual(['Ann']);
  });
});
