import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { memoryDeviceKey } from '../../shared/sync/MemoryDeviceKeys';
import { authFrame as signedAuth } from '../../shared/sync/deviceProofs';
import { Hub } from './Hub';
import type { RegistryFile } from './registry/registrySchema';
import { cleanupsAfterEach } from './testing/cleanups';
import { protocol1Registry } from './testing/protocol1Registry';
import { greetedClient, makeTempDir, quietLogger } from './testing/testHub';

/**
 * A device paired under protocol 1 holds a token, not a key. Within the migration window it binds a key once, with
 * its token; after that, and past the window, the token opens nothing (PROTOCOL.md 6.7, appendix D.5).
 */
const cleanups = cleanupsAfterEach();
const DAY = 24 * 60 * 60 * 1000;

async function protocol1Hub(clock: { now: number }) {
  const temp = await makeTempDir();
  cleanups.push(temp.remove);
  const legacy = await protocol1Registry(temp.dir, clock.now);
  const warnings: string[] = [];
  const logger = { ...quietLogger, warn: (m: string) => warnings.push(m) };
  const hub = await Hub.start({
    port: 0,
    host: '127.0.0.1',
    dataDir: temp.dir,
    logger,
    now: () => clock.now,
    keyMigrationWindowMs: 30 * DAY,
  });
  cleanups.push(() => hub.stop());
  return { hub, legacy, dataDir: temp.dir, warnings };
}

const greeted = (hub: Hub) => greetedClient(hub.port, cleanups);

describe('devices paired under protocol 1', () => {
  it('bind a key once with their token; then the key alone signs in and the token opens nothing', async () => {
    const clock = { now: Date.now() };
    const { hub, legacy, dataDir, warnings } = await protocol1Hub(clock);
    expect(warnings.join('\n')).toContain('1 device(s) paired before device keys have no key yet');
    const unmigrated = hub.operator.devices().find((d) => d.id === legacy.deviceId);
    expect(unmigrated?.keyMigrationUntil).toBe(hub.operator.devices()[0]!.keyMigrationUntil);
    expect(unmigrated?.keyMigrationUntil).toBeGreaterThan(clock.now + 29 * DAY);

    const key = memoryDeviceKey();
    const first = await greeted(hub);
    const bind = await signedAuth(first.welcomed, key, { deviceId: legacy.deviceId, token: legacy.token });
    expect(bind.migrate).toEqual({ token: legacy.token, publicKey: key.publicKey });
    expect(await first.request(bind)).toMatchObject({ type: 'ready', self: { deviceId: legacy.deviceId } });
    const stored = JSON.parse(await readFile(path.join(dataDir, 'registry.json'), 'utf8')) as RegistryFile;
    const device = stored.devices.find((d) => d.id === legacy.deviceId)!;
    expect(device).toMatchObject({ publicKey: key.publicKey });
    expect(device.tokenHash).toBeUndefined();
    expect(hub.operator.devices()[0]!.keyMigrationUntil).toBeUndefined();

    const later = await greeted(hub);
    const keyOnly = await signedAuth(later.welcomed, key, { deviceId: legacy.deviceId });
    expect(await later.request(keyOnly)).toMatchObject({ type: 'ready' });
    // The token, with any other key, no longer binds anything.
    const thief = await greeted(hub);
    const stolen = await signedAuth(thief.welcomed, memoryDeviceKey(), {
      deviceId: legacy.deviceId,
      token: legacy.token,
    });
    expect(await thief.request(stolen)).toMatchObject({ type: 'error', code: 'AUTH_FAILED' });
  });

  it('are refused a wrong token, a missing migrate and a bad migration key, all as AUTH_FAILED', async () => {
    const clock = { now: Date.now() };
    const { hub, legacy } = await protocol1Hub(clock);
    const client = await greeted(hub);
    const key = memoryDeviceKey();
    const session = client.welcomed;
    const wrongToken = await signedAuth(session, key, { deviceId: legacy.deviceId, token: `${legacy.token}x` });
    expect(await client.request(wrongToken)).toMatchObject({ code: 'AUTH_FAILED' });
    const noMigrate = await signedAuth(session, key, { deviceId: legacy.deviceId });
    expect(await client.request(noMigrate)).toMatchObject({ code: 'AUTH_FAILED' });
    // Signed with another key than the one it asks to bind.
    const mismatched = await signedAuth(session, memoryDeviceKey(), { deviceId: legacy.deviceId, token: legacy.token });
    const otherKey = { ...mismatched, migrate: { token: legacy.token, publicKey: key.publicKey } };
    expect(await client.request(otherKey)).toMatchObject({ code: 'AUTH_FAILED' });
    // Still unbound: the right request binds.
    const right = await signedAuth(session, key, { deviceId: legacy.deviceId, token: legacy.token });
    expect(await client.request(right)).toMatchObject({ type: 'ready' });
  });

  it('must pair again once the window has closed; the owner sees which', async () => {
    const clock = { now: Date.now() };
    const { hub, legacy } = await protocol1Hub(clock);
    const until = hub.operator.devices()[0]!.keyMigrationUntil!;
    clock.now = until;
    const client = await greeted(hub);
    const frame = await signedAuth(client.welcomed, memoryDeviceKey(), {
      deviceId: legacy.deviceId,
      token: legacy.token,
    });
    const refused = await client.request(frame);
    expect(refused).toMatchObject({ type: 'error', code: 'AUTH_FAILED' });
    expect(refused.type === 'error' && refused.message).toContain('Pair it again');
    expect(hub.operator.devices()[0]!.keyMigrationUntil).toBe(until);
  });
});
