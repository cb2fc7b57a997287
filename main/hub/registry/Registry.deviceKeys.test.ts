import { randomBytes } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { memoryDeviceKey } from '../../../shared/sync/MemoryDeviceKeys';
import type { HubLogger } from '../HubContext';
import { hashToken } from '../secrets';
import { tempDirsAfterEach } from '../testing/tempDir';
import { errnoError, holdAt, recordingFs } from './recordingFs';
import { Registry } from './Registry';
import type { RegistryFile } from './registrySchema';

const silent: HubLogger = { info: () => {}, warn: () => {}, error: () => {} };

/** A valid device public key for records that need one (protocol 2). */
const aKey = () => memoryDeviceKey().publicKey;

const tempDir = tempDirsAfterEach('roost-registry-keys-');

const onDisk = async (dir: string) =>
  JSON.parse(await readFile(path.join(dir, 'registry.json'), 'utf8')) as RegistryFile;

describe('Registry: device keys (protocol 2)', () => {
  const T = 1_750_000_000_000;
  /** Every field a device record may have: none holds a secret. */
  const DEVICE_FIELDS = 'id userId name platform pairedAt lastSeenAt publicKey keyBoundAt tokenHash'.split(' ');

  /** A device as an older hub stored it: protocol 1's token hash, and a key only where `publicKey` says. */
  function storedDevice(id: string, token: string, publicKey?: string) {
    const device = { id, userId: 'ann', name: id, platform: 'linux', tokenHash: hashToken(token), pairedAt: 1 };
    return { ...device, lastSeenAt: 1, ...(publicKey ? { publicKey } : {}) };
  }

  /** registry.json as a hub of `schemaVersion` wrote it, with Ann and these devices. */
  async function writeRegistry(dir: string, schemaVersion: number, devices: unknown[]): Promise<void> {
    const general = {
      id: 'general',
      kind: 'default',
      name: 'General',
      memberUserIds: [],
      createdAt: 1,
      createdBy: null,
    };
    const file = {
      schemaVersion,
      hub: { id: 'hub', name: 'Den', createdAt: 1 },
      users: [{ id: 'ann', displayName: 'Ann', createdAt: 1 }],
      devices,
      conversations: [general],
      receipts: [],
      blocks: [],
    };
    await writeFile(path.join(dir, 'registry.json'), JSON.stringify(file));
  }

  it('loads a version-2 registry as version 3 and writes protocol2Since from its clock', async () => {
    const dir = await tempDir();
    await writeRegistry(dir, 2, [storedDevice('laptop', 'laptop-token')]);
    const r = await Registry.open({ dataDir: dir, hubName: 'x', logger: silent, now: () => T, saveDelayMs: 5 });
    expect(r.protocol2Since).toBe(T);
    expect(r.device('laptop')).toMatchObject({ tokenHash: hashToken('laptop-token') });
    expect(r.device('laptop')?.publicKey).toBeUndefined();
    // Written on its own, not only at close: the window must not restart at the next start.
    await expect.poll(async () => (await onDisk(dir)).hub.protocol2Since).toBe(T);
    expect(await onDisk(dir)).toMatchObject({ schemaVersion: 3, devices: [{ id: 'laptop' }] });
    await r.close();

    const later = await Registry.open({ dataDir: dir, hubName: 'x', logger: silent, now: () => T + 86_400_000 });
    expect(later.protocol2Since).toBe(T);
    await later.close();
    const fresh = await Registry.open({ dataDir: await tempDir(), hubName: 'x', logger: silent, now: () => T });
    expect(fresh.protocol2Since).toBe(T);
    await fresh.close();
  });

  it('finds an unmigrated device only by its own token, and never a device that has a key', async () => {
    const dir = await tempDir();
    const keyed = aKey();
    await writeRegistry(dir, 3, [
      storedDevice('laptop', 'laptop-token'),
      storedDevice('phone', 'phone-token'),
      // Both a key and a hash (only a hand-edited file has that): the key wins, the token is worth nothing.
      storedDevice('tablet', 'tablet-token', keyed),
    ]);
    const r = await Registry.open({ dataDir: dir, hubName: 'x', logger: silent });
    expect(r.unmigratedDevice('laptop', 'laptop-token')?.id).toBe('laptop');
    expect(r.unmigratedDevice('phone', 'phone-token')?.id).toBe('phone');
    for (const [deviceId, token] of [
      ['laptop', 'phone-token'],
      ['phone', 'laptop-token'],
      ['laptop', 'laptop-tokenx'],
      ['laptop', ''],
      ['unknown', 'laptop-token'],
      ['tablet', 'tablet-token'],
    ] as const) {
      expect(r.unmigratedDevice(deviceId, token), `${deviceId} with ${token}`).toBeUndefined();
    }
    await r.bindDeviceKey('laptop', aKey());
    expect(r.unmigratedDevice('laptop', 'laptop-token')).toBeUndefined();
    await r.close();
  });

  it('binds a key once: the token hash is gone from registry.json before it resolves, and after a reopen', async () => {
    const dir = await tempDir();
    await writeRegistry(dir, 2, [storedDevice('laptop', 'laptop-token'), storedDevice('phone', 'phone-token')]);
    const r = await Registry.open({ dataDir: dir, hubName: 'x', logger: silent, now: () => T });
    const publicKey = aKey();
    const bound = await r.bindDeviceKey('laptop', publicKey);
    expect(bound).toMatchObject({ id: 'laptop', publicKey, keyBoundAt: T });
    expect(bound).not.toHaveProperty('tokenHash');
    const written = (await onDisk(dir)).devices.find((d) => d.id === 'laptop');
    expect(written).toMatchObject({ publicKey, keyBoundAt: T });
    expect(written).not.toHaveProperty('tokenHash');
    // A bound device binds no other key, and a removed one none at all.
    expect(await r.bindDeviceKey('laptop', aKey())).toBeUndefined();
    await r.removeDevice('phone');
    expect(await r.bindDeviceKey('phone', aKey())).toBeUndefined();
    await r.close();

    const again = await Registry.open({ dataDir: dir, hubName: 'x', logger: silent });
    expect(again.device('laptop')).toMatchObject({ publicKey, keyBoundAt: T });
    expect(again.device('laptop')).not.toHaveProperty('tokenHash');
    expect(again.unmigratedDevice('laptop', 'laptop-token')).toBeUndefined();
    await again.close();
    const file = await onDisk(dir);
    expect(file.devices).toEqual([expect.objectContaining({ id: 'laptop', publicKey })]);
    expect(file.devices[0]).not.toHaveProperty('tokenHash');
  });

  it('takes a bind back when its write fails: the device keeps its token hash and has no key', async () => {
    const dir = await tempDir();
    await writeRegistry(dir, 2, [storedDevice('laptop', 'laptop-token')]);
    let diskFull = false;
    const fs = recordingFs(dir, (call) => {
      if (diskFull && call.op === 'write') throw errnoError('ENOSPC');
    });
    const r = await Registry.open({ dataDir: dir, hubName: 'x', fs, logger: silent });
    diskFull = true;
    await expect(r.bindDeviceKey('laptop', aKey())).rejects.toMatchObject({ code: 'ENOSPC' });
    expect(r.device('laptop')).toMatchObject({ tokenHash: hashToken('laptop-token') });
    expect(r.device('laptop')).not.toHaveProperty('publicKey');
    expect(r.unmigratedDevice('laptop', 'laptop-token')?.id).toBe('laptop');
    diskFull = false;
    await r.close();
    const file = await onDisk(dir);
    expect(file.devices[0]).toMatchObject({ tokenHash: hashToken('laptop-token') });
    expect(file.devices[0]).not.toHaveProperty('publicKey');
  });

  it('keeps no secret that authenticates in registry.json: public keys, and hashes of unmigrated tokens', async () => {
    const dir = await tempDir();
    await writeRegistry(dir, 2, [storedDevice('laptop', 'laptop-token'), storedDevice('phone', 'phone-token')]);
    const secrets = [randomBytes(32), randomBytes(32)];
    const [laptopKey, desktopKey] = secrets.map((secret) => memoryDeviceKey(secret));
    const r = await Registry.open({ dataDir: dir, hubName: 'x', logger: silent });
    await r.bindDeviceKey('laptop', laptopKey!.publicKey);
    const desktop = await r.addDevice({
      userId: 'ann',
      name: 'Desk',
      platform: 'linux',
      publicKey: desktopKey!.publicKey,
    });
    await r.close();

    const text = await readFile(path.join(dir, 'registry.json'), 'utf8');
    const file = JSON.parse(text) as RegistryFile;
    expect(Object.keys(file.hub).sort()).toEqual(['createdAt', 'id', 'name', 'protocol2Since']);
    for (const device of file.devices) expect(DEVICE_FIELDS).toEqual(expect.arrayContaining(Object.keys(device)));
    expect(file.devices.map((d) => [d.id, d.publicKey, d.tokenHash])).toEqual([
      ['laptop', laptopKey!.publicKey, undefined],
      ['phone', undefined, hashToken('phone-token')],
      [desktop.id, desktopKey!.publicKey, undefined],
    ]);
    const leaks = ['laptop-token', 'phone-token', hashToken('laptop-token')];
    for (const secret of secrets) leaks.push(secret.toString('hex'), secret.toString('base64url'));
    for (const leak of leaks) expect(text).not.toContain(leak);
  });

  it('bindDeviceKey answers undefined for a device removed while its write was under way', async () => {
    const dir = await tempDir();
    const device = { id: 'laptop', userId: 'ann', name: 'Laptop', platform: 'linux', pairedAt: 1, lastSeenAt: 1 };
    await writeFile(
      path.join(dir, 'registry.json'),
      JSON.stringify({
        schemaVersion: 3,
        hub: { id: 'hub', name: 'Den', createdAt: 1, protocol2Since: 1 },
        users: [{ id: 'ann', displayName: 'Ann', createdAt: 1 }],
        devices: [{ ...device, tokenHash: hashToken('laptop-token') }],
        conversations: [],
        receipts: [],
        blocks: [],
      }),
    );
    let hold = holdAt(() => false);
    const fs = recordingFs(dir, (call) => hold.before(call));
    const r = await Registry.open({ dataDir: dir, hubName: 'x', fs, logger: silent });
    hold = holdAt((c) => c.op === 'write');
    const binding = r.bindDeviceKey('laptop', memoryDeviceKey().publicKey);
    await hold.reached;
    // The owner removes the device while its key is being written (handlers/devices.ts revokeDevice).
    const removed = r.removeDevice('laptop');
    hold.release();
    await removed;
    expect(r.device('laptop')).toBeUndefined();
    // handleAuth enters a session with whatever this returns: a removed device must not get one.
    expect(await binding).toBeUndefined();
    await r.close();
  });
});
