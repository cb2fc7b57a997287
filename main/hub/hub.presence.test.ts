import { describe, expect, it } from 'vitest';
import type { TestClient } from './testing/TestClient';
import { cleanupsAfterEach } from './testing/cleanups';
import { pairLinkedDevice, pairNewUser, reconnect, startTestHub } from './testing/testHub';

const cleanups = cleanupsAfterEach();

async function hubWithCleanup() {
  const started = await startTestHub();
  cleanups.push(started.cleanup);
  return started.hub;
}

/**
 * Resolves once every frame the hub wrote to this client before now has arrived:
 * frames on one connection keep their order.
 */
async function drained(client: TestClient): Promise<void> {
  await client.expect({ type: 'ping' }, 'pong');
}

describe('presence through a real hub', () => {
  it('announces a user coming online to those present, not to devices whose ready already showed it', async () => {
    const hub = await hubWithCleanup();
    const alice = await pairNewUser(hub, 'Alice');
    cleanups.push(() => alice.client.close());
    const bob = await pairNewUser(hub, 'Bob');
    cleanups.push(() => bob.client.close());
    const bobPhone = await pairLinkedDevice(hub, bob.client, 'Bob phone');
    cleanups.push(() => bobPhone.client.close());

    // Once Alice has it, the window that held Bob's arrival has been announced to everyone it was meant for.
    await alice.client.nextOf('presence', (f) => f.userId === bob.credentials.userId && f.online);
    await drained(bob.client);
    await drained(bobPhone.client);
    // Bob's own devices took their snapshots after his arrival (and after Alice's): nothing to tell them.
    expect(bob.client.all('presence')).toEqual([]);
    expect(bobPhone.client.all('presence')).toEqual([]);
    expect(bobPhone.ready.users.find((u) => u.id === bob.credentials.userId)?.online).toBe(true);
  });

  it('announces a user going offline, and online again, with the state at the end of each window', async () => {
    const hub = await hubWithCleanup();
    const alice = await pairNewUser(hub, 'Alice');
    cleanups.push(() => alice.client.close());
    let bob = await pairNewUser(hub, 'Bob');
    await alice.client.nextOf('presence', (f) => f.userId === bob.credentials.userId && f.online);

    await bob.client.close();
    await alice.client.nextOf('presence', (f) => f.userId === bob.credentials.userId && !f.online);
    bob = await reconnect(hub.port, bob.credentials);
    cleanups.push(() => bob.client.close());
    await alice.client.nextOf('presence', (f) => f.userId === bob.credentials.userId && f.online);
    await drained(alice.client);
    expect(alice.client.all('presence').map((f) => f.online)).toEqual([true, false, true]);
  });
});
