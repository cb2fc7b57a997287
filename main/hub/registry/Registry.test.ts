import { chmod, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { makeTempDir } from '../testing/tempDir';
import { errnoError, holdAt, recordingFs, settlesWithin } from './recordingFs';
import { Registry } from './Registry';
import { DEFAULT_CONVERSATION_ID } from './registrySchema';

let removers: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const r of removers) await r();
  removers = [];
});

async function tempDir(): Promise<string> {
  const t = await makeTempDir('roost-registry-');
  removers.push(t.remove);
  return t.dir;
}

describe('Registry', () => {
  it('creates a hub with the default room and keeps everything across reopen', async () => {
    const dir = await tempDir();
    const r = await Registry.open({ dataDir: dir, hubName: 'Den' });
    expect(r.conversation(DEFAULT_CONVERSATION_ID)?.kind).toBe('default');
    const user = await r.createUser('Ann');
    const { device, token } = await r.addDevice({ userId: user.id, name: 'Laptop', platform: 'linux' });
    r.advanceReceipt(DEFAULT_CONVERSATION_ID, user.id, { readSeq: 4 });
    await r.close();

    const again = await Registry.open({ dataDir: dir, hubName: 'ignored' });
    expect(again.hub).toEqual(r.hub);
    expect(again.authenticate(device.id, token)?.name).toBe('Laptop');
    expect(again.receipt(DEFAULT_CONVERSATION_ID, user.id)).toMatchObject({ readSeq: 4, deliveredSeq: 4 });
  });

  it('stores only a hash of device tokens', async () => {
    const dir = await tempDir();
    const r = await Registry.open({ dataDir: dir, hubName: 'Den' });
    const user = await r.createUser('Ann');
    const { token } = await r.addDevice({ userId: user.id, name: 'Laptop', platform: 'linux' });
    const file = await readFile(path.join(dir, 'registry.json'), 'utf8');
    expect(file).not.toContain(token);
    expect(r.authenticate(r.devicesOf(user.id)[0]!.id, `${token}x`)).toBeUndefined();
  });

  it('moves markers forward only', async () => {
    const r = await Registry.open({ dataDir: await tempDir(), hubName: 'Den' });
    expect(r.advanceReceipt('general', 'u', { deliveredSeq: 5 })).toMatchObject({ deliveredSeq: 5, readSeq: 0 });
    expect(r.advanceReceipt('general', 'u', { deliveredSeq: 3 })).toBeUndefined();
    expect(r.advanceReceipt('general', 'u', { readSeq: 7 })).toMatchObject({ deliveredSeq: 7, readSeq: 7 });
    await r.close();
  });

  it('refuses a corrupt or foreign registry file with a clear error instead of starting empty', async () => {
    const dir = await tempDir();
    const file = path.join(dir, 'registry.json');
    await writeFile(file, '{"schemaVersion":1,');
    await expect(Registry.open({ dataDir: dir, hubName: 'x' })).rejects.toMatchObject({ code: 'REGISTRY_INVALID' });
    await writeFile(
      file,
      JSON.stringify({
        schemaVersion: 1,
        hub: { id: 'h', name: 'n', createdAt: 0 },
        users: [{ id: 'bad id!' }],
        devices: [],
        conversations: [],
        receipts: [],
      }),
    );
    await expect(Registry.open({ dataDir: dir, hubName: 'x' })).rejects.toThrow(/users\.0/);
    await writeFile(file, JSON.stringify({ schemaVersion: 99 }));
    await expect(Registry.open({ dataDir: dir, hubName: 'x' })).rejects.toMatchObject({ code: 'REGISTRY_VERSION' });
  });

  it('finds the same direct conversation from either side', async () => {
    const r = await Registry.open({ dataDir: await tempDir(), hubName: 'Den' });
    const first = await r.openDirect('a', 'b');
    const second = await r.openDirect('b', 'a');
    expect(first.created).toBe(true);
    expect(second).toEqual({ conversation: first.conversation, created: false });
    await r.close();
  });

  it('takes back a change whose write failed, except a removal, which stays until it is written', async () => {
    const dir = await tempDir();
    let diskFull = false;
    const fs = recordingFs(dir, (call) => {
      if (diskFull && call.op === 'write') throw errnoError('ENOSPC');
    });
    const r = await Registry.open({ dataDir: dir, hubName: 'Den', saveDelayMs: 10, fs });
    const ann = await r.createUser('Ann');
    const { device } = await r.addDevice({ userId: ann.id, name: 'Laptop', platform: 'linux' });
    diskFull = true;

    await expect(r.createUser('Bob')).rejects.toThrow();
    await expect(r.addDevice({ userId: ann.id, name: 'Phone', platform: 'ios' })).rejects.toThrow();
    await expect(r.renameDevice(device.id, 'Desk')).rejects.toThrow();
    await expect(r.createGroup({ name: 'Secret', createdBy: ann.id, memberUserIds: [] })).rejects.toThrow();
    expect(r.users().map((u) => u.displayName)).toEqual(['Ann']);
    expect(r.allDevices().map((d) => d.name)).toEqual(['Laptop']);
    expect(r.conversationsOf(ann.id).map((c) => c.kind)).toEqual(['default']);

    await expect(r.removeDevice(device.id)).rejects.toThrow();
    expect(r.device(device.id)).toBeUndefined();
    diskFull = false;
    await r.close();
    // Checked once no write is in flight: the full disk left no temp files behind.
    expect(await readdir(dir)).toEqual(['registry.json']);
    const again = await Registry.open({ dataDir: dir, hubName: 'Den' });
    expect(again.users().map((u) => u.displayName)).toEqual(['Ann']);
    expect(again.device(device.id)).toBeUndefined();
    await again.close();
  });

  it('a failed write undoes only its own change, never a later one that was written', async () => {
    const dir = await tempDir();
    const r = await Registry.open({ dataDir: dir, hubName: 'Den' });
    const ann = await r.createUser('Ann');
    const { device } = await r.addDevice({ userId: ann.id, name: 'Laptop', platform: 'linux' });
    // The next write fails a little later; lowdb has taken its snapshot by then.
    const adapter = (r as unknown as { db: { adapter: { write(data: unknown): Promise<void> } } }).db.adapter;
    const write = adapter.write.bind(adapter);
    let failNext = true;
    adapter.write = async (data) => {
      if (!failNext) return write(data);
      failNext = false;
      await new Promise((resolve) => setTimeout(resolve, 20));
      throw new Error('disk hiccup');
    };
    const [desk, office] = await Promise.allSettled([
      r.renameDevice(device.id, 'Desk'),
      r.renameDevice(device.id, 'Office'),
    ]);
    expect(desk.status).toBe('rejected');
    expect(office.status).toBe('fulfilled');
    expect(r.device(device.id)?.name).toBe('Office');
    await r.close();
    const again = await Registry.open({ dataDir: dir, hubName: 'Den' });
    expect(again.device(device.id)?.name).toBe('Office');
    await again.close();
  });

  it('answers a pairing only once registry.json and its directory are fsynced', async () => {
    const dir = await tempDir();
    let hold = holdAt(() => false);
    const fs = recordingFs(dir, (call) => hold.before(call));
    const r = await Registry.open({ dataDir: dir, hubName: 'Den', fs });
    const ann = await r.createUser('Ann');
    const before = fs.trace().length;
    // Windows cannot fsync a directory; there the renamed file is flushed last instead.
    const last =
      process.platform === 'win32' ? ['open registry.json r+', 'sync registry.json'] : ['open dir r', 'sync dir'];
    hold = holdAt((c) => c.op === 'sync' && !c.path.endsWith('.tmp'));

    const pairing = r.addDevice({ userId: ann.id, name: 'Laptop', platform: 'linux' });
    const first = await Promise.race([hold.reached.then(() => 'held'), pairing.then(() => 'answered')]);
    expect(first).toBe('held');
    expect(await settlesWithin(pairing, 20)).toBe(false);
    expect(fs.trace().slice(before)).toEqual([
      'open tmp wx 600',
      'write tmp',
      'sync tmp',
      'close tmp',
      'rename tmp registry.json',
      ...last,
    ]);

    hold.release();
    const { device, token } = await pairing;
    const again = await Registry.open({ dataDir: dir, hubName: 'Den' });
    expect(again.authenticate(device.id, token)?.name).toBe('Laptop');
    await again.close();
  });

  it.skipIf(process.platform === 'win32')(
    'keeps registry.json readable by the hub’s user only, also one an older hub left readable by all',
    async () => {
      const dir = await tempDir();
      const file = path.join(dir, 'registry.json');
      const r = await Registry.open({ dataDir: dir, hubName: 'Den' });
      await r.createUser('Ann');
      expect((await stat(file)).mode & 0o777).toBe(0o600);
      await r.close();
      await chmod(file, 0o644);
      const again = await Registry.open({ dataDir: dir, hubName: 'Den' });
      expect((await stat(file)).mode & 0o777).toBe(0o600);
      await again.close();
    },
  );
});
