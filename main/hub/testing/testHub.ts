import type { TestContext } from 'vitest';
import type { ServerFrameOf } from '../../../shared/protocol';
import { authFrame, expectPaired } from './devicePairing';
import { Hub, type HubOptions } from '../Hub';
import type { HubLogger } from '../HubContext';
import type { Cleanups } from './cleanups';
import { makeTempDir } from './tempDir';
import { TestClient, type Credentials } from './TestClient';

export { makeTempDir };

export const quietLogger: HubLogger = { info: () => {}, warn: () => {}, error: (m, e) => console.error(m, e) };

/** A real hub on a free loopback port with its own temporary data directory. */
export async function startTestHub(
  options: Partial<HubOptions> = {},
): Promise<{ hub: Hub; dataDir: string; cleanup: () => Promise<void> }> {
  const temp = options.dataDir ? undefined : await makeTempDir();
  const dataDir = options.dataDir ?? temp!.dir;
  const hub = await Hub.start({ port: 0, host: '127.0.0.1', logger: quietLogger, ...options, dataDir });
  // Open, as `npm run hub` is at start, so tests can pair with the code; a test of closed pairing closes it.
  hub.openPairing();
  return {
    hub,
    dataDir,
    cleanup: async () => {
      await hub.stop();
      await temp?.remove();
    },
  };
}

export type Device = { client: TestClient; ready: ServerFrameOf<'ready'>; credentials: Credentials };

/** Pairs a new device as a new user with the hub's current code, opening pairing if it is closed. */
export async function pairNewUser(
  hub: Hub,
  displayName: string,
  deviceName = `${displayName}'s laptop`,
): Promise<Device> {
  const client = await TestClient.connect(hub.port);
  await client.hello();
  if (!hub.pairingState().open) hub.openPairing();
  const { ready, credentials } = await expectPaired(client, {
    credential: { kind: 'code', code: hub.pairingCode().code, displayName },
    device: { name: deviceName, platform: 'linux' },
  });
  return { client, ready, credentials };
}

/** Adds another device to the user of `existing`, with a link code made on `existing` (opening pairing if closed). */
export async function pairLinkedDevice(hub: Hub, existing: TestClient, deviceName: string): Promise<Device> {
  const link = await existing.expect({ type: 'createLinkCode' }, 'linkCode');
  const client = await TestClient.connect(hub.port);
  await client.hello();
  if (!hub.pairingState().open) hub.openPairing();
  const { ready, credentials } = await expectPaired(client, {
    credential: { kind: 'linkCode', code: link.code },
    device: { name: deviceName, platform: 'web' },
  });
  return { client, ready, credentials };
}

/** A client that said hello to the hub at `port` (`welcomed` then holds its challenge), closed by `cleanups`. */
export async function greetedClient(port: number, cleanups: Cleanups, localAddress?: string): Promise<TestClient> {
  const client = await TestClient.connect(port, { localAddress });
  cleanups.push(() => client.close());
  await client.hello();
  return client;
}

/**
 * Skips the test, saying why, where a client cannot connect from `address`: tests of many addresses use 127.x.y.z,
 * which Linux routes (all of 127.0.0.0/8) and macOS does not.
 */
export async function skipWithoutLoopbackAddress(test: TestContext, port: number, address: string): Promise<void> {
  try {
    await (await TestClient.connect(port, { localAddress: address })).close();
  } catch (err) {
    console.log(`skipped: cannot connect from ${address} (${(err as Error).message})`);
    test.skip();
  }
}

/** Reconnects a paired device: hello, then `auth` signing the new connection's challenge. */
export async function reconnect(port: number, credentials: Credentials): Promise<Device> {
  const client = await TestClient.connect(port);
  await client.hello();
  const ready = await client.expect(await authFrame(client, credentials), 'ready');
  client.credentials = credentials;
  return { client, ready, credentials };
}
