import { describe, expect, it } from 'vitest';
import { memoryDeviceKey } from '../../shared/sync/MemoryDeviceKeys';
import { codeExchange } from '../../shared/sync/deviceProofs';
import type { Hub } from './Hub';
import { cleanupsAfterEach } from './testing/cleanups';
import { TestClient } from './testing/TestClient';
import { pairNewUser, skipWithoutLoopbackAddress, startTestHub } from './testing/testHub';

/**
 * Red team, protocol 2: each pakeStart costs the hub one SPAKE2 exchange's arithmetic (four P-256 scalar
 * multiplications in @noble/curves, about 10-15 ms of one core). Before `ready` nothing but the guess limits bounds
 * them: 5 per IPv4 address (an IPv4 address is its own network), 500 per window from everyone. An unpaired attacker
 * on the LAN with many IPv4 addresses sends them all at once. When the exchange was computed inside the frame's
 * handler, 100 addresses x 5 (the window's 500) made a paired bystander's `ping` wait 9.5 s, every other connection
 * likewise, once per pairing window. The hub now computes exchanges one per turn of its event loop (pake.ts).
 */
const cleanups = cleanupsAfterEach();
const ADDRESSES = 12;
const PER_ADDRESS = 5;

async function attackersFrom(hub: Hub, count: number): Promise<TestClient[]> {
  const attackers: TestClient[] = [];
  for (let i = 0; i < count; i++) {
    const client = await TestClient.connect(hub.port, { localAddress: `127.0.1.${i + 1}` });
    cleanups.push(() => client.close());
    await client.hello();
    attackers.push(client);
  }
  return attackers;
}

describe('a flood of pakeStart from unpaired addresses', () => {
  // Computed inside the frame's handler, every pakeStart read in one turn ran back to back and the bystander's pong
  // came after nearly all of the flood (ratio ~1); one exchange per turn answers other connections in between.
  it("keeps a paired bystander's ping answered while the flood is computed", async (test) => {
    const started = await startTestHub();
    cleanups.push(started.cleanup);
    const { hub } = started;
    await skipWithoutLoopbackAddress(test, hub.port, '127.0.1.1');
    const bystander = await pairNewUser(hub, 'Ann');
    cleanups.push(() => bystander.client.close());
    const attackers = await attackersFrom(hub, ADDRESSES);
    // One valid pakeStart for all: the hub computes its own side of each exchange anew.
    const { start } = codeExchange(
      attackers[0]!.welcomed,
      memoryDeviceKey(),
      { kind: 'code', code: '000000', displayName: 'Eve' },
      { name: 'Flood', platform: 'linux' },
    );

    const floodStart = performance.now();
    for (const a of attackers) for (let i = 0; i < PER_ADDRESS; i++) a.sendFrame({ ...start, rid: `f${i}` });
    const pingStart = performance.now();
    await bystander.client.expect({ type: 'ping' }, 'pong');
    const pingMs = performance.now() - pingStart;
    await Promise.all(attackers.map((a) => a.next((f) => f.rid === `f${PER_ADDRESS - 1}`, 'the last answer')));
    const floodMs = performance.now() - floodStart;

    expect(attackers.flatMap((a) => a.all('pakeReply'))).toHaveLength(ADDRESSES * PER_ADDRESS);
    // Measured against the flood itself, so a loaded machine slows both alike.
    expect(pingMs).toBeLessThan(floodMs / 4);
  });
});
