import * as nodeFs from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { memoryDeviceKey } from '../../../shared/sync/MemoryDeviceKeys';
import type { HubLogger } from '../HubContext';
import { tempDirsAfterEach } from '../testing/tempDir';
import { errnoError, recordingFs } from './recordingFs';
import { Registry } from './Registry';
import { StorageReserve, type ReserveFs } from './StorageReserve';

const silent: HubLogger = { info: () => {}, warn: () => {}, error: () => {} };
const KIB = 1024;

const tempDir = tempDirsAfterEach('roost-reserve-');

/** Real files, but writes to the reserve fail with ENOSPC while `full()` says so. */
function fullableFs(full: () => boolean): ReserveFs {
  return {
    ...nodeFs,
    open: async (...args: Parameters<typeof nodeFs.open>) => {
      const handle = await nodeFs.open(...args);
      const write = handle.write.bind(handle) as (...a: unknown[]) => Promise<{ bytesWritten: number }>;
      (handle as { write: unknown }).write = async (...a: unknown[]) => {
        if (full()) throw errnoError('ENOSPC');
        return write(...a);
      };
      return handle;
    },
  } as ReserveFs;
}

describe('StorageReserve', () => {
  it('keeps the bytes asked for in a 0600 file of random data (zeros could be stored as nothing)', async () => {
    const dir = await tempDir();
    const file = path.join(dir, 'reserved-space');
    const reserve = await StorageReserve.open({ file, bytes: 300 * KIB, logger: silent });
    const stat = await nodeFs.stat(file);
    expect(stat.size).toBe(300 * KIB);
    expect(stat.mode & 0o777).toBe(0o600);
    const data = await nodeFs.readFile(file);
    expect(data.subarray(0, 64 * KIB).equals(data.subarray(64 * KIB, 128 * KIB))).toBe(false);
    expect(data.subarray(0, 4 * KIB).every((b) => b === 0)).toBe(false);
    expect(reserve.admitsMessages()).toBe(true);
    await reserve.close();
  });

  it('starts on a full disk, refuses messages until it is whole, then fills itself once there is space', async () => {
    const dir = await tempDir();
    let full = true;
    const warnings: string[] = [];
    const logger: HubLogger = { ...silent, warn: (m) => warnings.push(m) };
    const reserve = await StorageReserve.open({
      file: path.join(dir, 'reserved-space'),
      bytes: 256 * KIB,
      logger,
      retryMs: 0,
      fs: fullableFs(() => full),
    });
    expect(reserve.admitsMessages()).toBe(false);
    expect(warnings.join('\n')).toContain('refuses messages until it has them. Free disk space.');
    full = false;
    await expect.poll(() => reserve.admitsMessages()).toBe(true);
    expect(reserve.bytes).toBe(256 * KIB);
    await reserve.close();
  });
});

describe('a registry write on a full disk', () => {
  async function openWithReserve(diskFull: () => boolean) {
    const dir = await tempDir();
    const file = path.join(dir, 'reserved-space');
    const reserve = await StorageReserve.open({
      file,
      bytes: 512 * KIB,
      logger: silent,
      retryMs: 0,
      fs: fullableFs(diskFull),
    });
    const initial = reserve.bytes;
    // Full until the reserve gives space back: as a disk filled by messages would be.
    const fs = recordingFs(dir, (call) => {
      if (call.op === 'write' && diskFull() && reserve.bytes >= initial) throw errnoError('ENOSPC');
    });
    const registry = await Registry.open({ dataDir: dir, hubName: 'Den', fs, reserve, logger: silent });
    const ann = await registry.createUser('Ann');
    const { publicKey } = memoryDeviceKey();
    const device = await registry.addDevice({ userId: ann.id, name: 'Laptop', platform: 'linux', publicKey });
    return { dir, reserve, initial, registry, device };
  }

  it('frees part of the reserve and writes a removal, which survives a reopen', async () => {
    let full = false;
    const { dir, reserve, initial, registry, device } = await openWithReserve(() => full);
    full = true;
    await registry.removeDevice(device.id);
    expect(reserve.bytes).toBeLessThan(initial);
    expect(reserve.bytes).toBeGreaterThan(0);
    // The space is the registry's until the reserve is whole again: no message may take it.
    expect(reserve.admitsMessages()).toBe(false);
    full = false;
    await expect.poll(() => reserve.admitsMessages()).toBe(true);
    await registry.close();
    const again = await Registry.open({ dataDir: dir, hubName: 'Den', logger: silent });
    // Gone with its key: the hub refuses `auth` for a device it does not know.
    expect(again.device(device.id)).toBeUndefined();
    await again.close();
    await reserve.close();
  });

  it('is not spent by changes that add to the registry: a removal after many of them is still written', async () => {
    let full = false;
    const { reserve, initial, registry, device } = await openWithReserve(() => full);
    full = true;
    const owner = registry.device(device.id)!.userId;
    for (let i = 0; i < 5; i++) {
      await expect(
        registry.createGroup({ name: `spam ${i}`, createdBy: owner, memberUserIds: [] }),
      ).rejects.toMatchObject({
        code: 'ENOSPC',
      });
      await expect(registry.createUser(`spam ${i}`)).rejects.toMatchObject({ code: 'ENOSPC' });
    }
    registry.advanceReceipt('general', owner, { readSeq: 1 });
    expect(reserve.bytes).toBe(initial);
    await registry.removeDevice(device.id);
    expect(reserve.bytes).toBeLessThan(initial);
    full = false;
    await registry.close();
    await reserve.close();
  });

  it('when even the whole reserve is not enough, rejects, and the removed device stays refused', async () => {
    const dir = await tempDir();
    const reserve = await StorageReserve.open({
      file: path.join(dir, 'reserved-space'),
      bytes: 128 * KIB,
      logger: silent,
    });
    let full = false;
    const fs = recordingFs(dir, (call) => {
      if (call.op === 'write' && full) throw errnoError('ENOSPC');
    });
    const registry = await Registry.open({ dataDir: dir, hubName: 'Den', fs, reserve, logger: silent });
    const ann = await registry.createUser('Ann');
    const { publicKey } = memoryDeviceKey();
    const device = await registry.addDevice({ userId: ann.id, name: 'Laptop', platform: 'linux', publicKey });
    full = true;
    await expect(registry.removeDevice(device.id)).rejects.toMatchObject({ code: 'ENOSPC' });
    expect(reserve.bytes).toBe(0);
    expect(registry.device(device.id)).toBeUndefined();
    full = false;
    await registry.close();
    await reserve.close();
  });
});
