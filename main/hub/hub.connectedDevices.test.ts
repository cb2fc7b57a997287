import { describe, expect, it } from 'vitest';
import { expectPaired } from './testing/devicePairing';
import { TestClient } from './testing/TestClient';
import { pairLinkedDevice, pairNewUser, reconnect, startTestHub } from './testing/testHub';
import { cleanupsAfterEach } from './testing/cleanups';

const cleanups = cleanupsAfterEach();

async function hub(options: Parameters<typeof startTestHub>[0] = {}) {
  const started = await startTestHub(options);
  cleanups.push(started.cleanup);
  return started.hub;
}

/** Resolves at the next connections change; the hub calls listeners synchronously. */
function nextChange(h: Awaited<ReturnType<typeof hub>>): Promise<void> {
  return new Promise((resolve) => {
    const off = h.onConnectionsChange(() => {
      off();
      resolve();
    });
  });
}

describe('connected devices (for the host UI)', () => {
  it('lists each ready device once with its user, name, platform and connection count', async () => {
    const h = await hub();
    expect(h.connectedDevices()).toEqual([]);

    const ann = await pairNewUser(h, 'Ann', 'Ann laptop');
    const annPhone = await pairLinkedDevice(h, ann.client, 'Ann phone');
    const secondTab = await reconnect(h.port, ann.credentials);

    const byName = (name: string) => h.connectedDevices().find((d) => d.deviceName === name);
    expect(byName('Ann laptop')).toEqual({
      deviceId: ann.credentials.deviceId,
      deviceName: 'Ann laptop',
      userName: 'Ann',
      platform: 'linux',
      connections: 2,
    });
    expect(byName('Ann phone')).toMatchObject({ userName: 'Ann', platform: 'web', connections: 1 });

    const closed = nextChange(h);
    await secondTab.client.close();
    await closed;
    expect(byName('Ann laptop')?.connections).toBe(1);

    const gone = nextChange(h);
    await annPhone.client.close();
    await gone;
    expect(h.connectedDevices().map((d) => d.deviceName)).toEqual(['Ann laptop']);
    await ann.client.close();
  });

  it('tells listeners about pairing, disconnects and removals, and stops after unsubscribe', async () => {
    const h = await hub();
    let changes = 0;
    const off = h.onConnectionsChange(() => changes++);

    const bob = await pairNewUser(h, 'Bob');
    expect(changes).toBe(1);
    const removed = nextChange(h);
    expect(await h.removeDevice(bob.credentials.deviceId)).toBe(true);
    await removed;
    expect(changes).toBe(2);
    expect(h.connectedDevices()).toEqual([]);

    off();
    const carol = await pairNewUser(h, 'Carol');
    expect(changes).toBe(2);
    await carol.client.close();
  });

  it('tells listeners when a connected device is renamed, so the host shows the new name', async () => {
    const h = await hub();
    const ann = await pairNewUser(h, 'Ann', 'Ann laptop');
    const renamed = nextChange(h);
    await ann.client.expect({ type: 'renameDevice', deviceId: ann.credentials.deviceId, name: 'Kitchen laptop' }, 'ok');
    await renamed;
    expect(h.connectedDevices().map((d) => d.deviceName)).toEqual(['Kitchen laptop']);
    await ann.client.close();
  });

  it('a throwing listener does not break pairing', async () => {
    const errors: string[] = [];
    const h = await hub({ logger: { info: () => {}, warn: () => {}, error: (m) => errors.push(m) } });
    h.onConnectionsChange(() => {
      throw new Error('listener bug');
    });
    const dan = await pairNewUser(h, 'Dan');
    expect(dan.ready.self.deviceId).toBe(dan.credentials.deviceId);
    expect(errors).toContain('a connections-change listener failed');
    await dan.client.close();
  });

  it('a join token is live until used or expired', async () => {
    let now = 1_000_000;
    const h = await hub({ now: () => now, pairing: { joinTokenTtlMs: 60_000 } });
    const spent = h.createJoinToken();
    const expiring = h.createJoinToken();
    expect(h.isJoinTokenLive(spent.token)).toBe(true);

    const client = await TestClient.connect(h.port);
    await client.hello();
    await expectPaired(client, {
      credential: { kind: 'joinToken', token: spent.token, displayName: 'Eve' },
      device: { name: 'Eve phone', platform: 'android' },
    });
    expect(h.isJoinTokenLive(spent.token)).toBe(false);
    expect(h.isJoinTokenLive(expiring.token)).toBe(true);
    now += 60_000;
    expect(h.isJoinTokenLive(expiring.token)).toBe(false);
    expect(h.isJoinTokenLive('never-issued')).toBe(false);
    await client.close();
  });
});
