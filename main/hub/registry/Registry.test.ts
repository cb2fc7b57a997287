import { chmod, mkdir, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { memoryDeviceKey } from '../../../shared/sync/MemoryDeviceKeys';
import type { HubLogger } from '../HubContext';
import { tempDirsAfterEach } from '../testing/tempDir';
import { errnoError, holdAt, recordingFs, settlesWithin, type FsCall } from './recordingFs';
import { Registry } from './Registry';
import { DEFAULT_CONVERSATION_ID, type RegistryFile } from './registrySchema';

const silent: HubLogger = { info: () => {}, warn: () => {}, error: () => {} };
/** A valid device public key for records that need one (protocol 2). */
const aKey = () => memoryDeviceKey().publicKey;

const tempDir = tempDirsAfterEach('roost-registry-');

describe('Registry', () => {
  it('creates a hub with the default room and keeps everything across reopen', async () => {
    const dir = await tempDir();
    const r = await Registry.open({ dataDir: dir, hubName: 'Den', logger: silent });
    expect(r.conversation(DEFAULT_CONVERSATION_ID)?.kind).toBe('default');
    const user = await r.createUser('Ann');
    const publicKey = aKey();
    const device = await r.addDevice({ userId: user.id, name: 'Laptop', platform: 'linux', publicKey });
    r.advanceReceipt(DEFAULT_CONVERSATION_ID, user.id, { readSeq: 4 });
    await r.close();

    const again = await Registry.open({ dataDir: dir, hubName: 'ignored', logger: silent });
    expect(again.hub).toEqual(r.hub);
    expect(again.device(device.id)).toMatchObject({ name: 'Laptop', publicKey });
    expect(again.receipt(DEFAULT_CONVERSATION_ID, user.id)).toMatchObject({ readSeq: 4, deliveredSeq: 4 });
  });

  it('moves markers forward only', async () => {
    const r = await Registry.open({ dataDir: await tempDir(), hubName: 'Den', logger: silent });
    expect(r.advanceReceipt('general', 'u', { deliveredSeq: 5 })).toMatchObject({ deliveredSeq: 5, readSeq: 0 });
    expect(r.advanceReceipt('general', 'u', { deliveredSeq: 3 })).toBeUndefined();
    expect(r.advanceReceipt('general', 'u', { readSeq: 7 })).toMatchObject({ deliveredSeq: 7, readSeq: 7 });
    await r.close();
  });

  it('refuses a corrupt or foreign registry file with a clear error instead of starting empty', async () => {
    const dir = await tempDir();
    const file = path.join(dir, 'registry.json');
    await writeFile(file, '{"schemaVersion":1,');
    await expect(Registry.open({ dataDir: dir, hubName: 'x', logger: silent })).rejects.toMatchObject({
      code: 'REGISTRY_INVALID',
    });
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
    await expect(Registry.open({ dataDir: dir, hubName: 'x', logger: silent })).rejects.toThrow(/users\.0/);
    await writeFile(file, JSON.stringify({ schemaVersion: 99 }));
    await expect(Registry.open({ dataDir: dir, hubName: 'x', logger: silent })).rejects.toMatchObject({
      code: 'REGISTRY_VERSION',
      message: expect.stringMatching(/schemaVersion 99, newer than this hub understands \(\d+\)\. Upgrade Roost\./),
    });
  });

  it.each([
    ['null', 'null'],
    ['a number', '42'],
    ['an array', '[]'],
    ['a string', '"registry"'],
  ])('refuses a registry.json holding %s, naming it, and never makes a new identity over it', async (_name, text) => {
    const dir = await tempDir();
    const file = path.join(dir, 'registry.json');
    await writeFile(file, text);
    const refused = await Registry.open({ dataDir: dir, hubName: 'x', logger: silent }).catch((err: unknown) => err);
    expect(refused).toMatchObject({ code: 'REGISTRY_INVALID' });
    const message = (refused as Error).message;
    expect(message).toContain(`${file} holds ${text}, not a registry`);
    expect(message).toContain('Restore it from a backup');
    expect(message).toContain(`move ${dir} away`);
    expect(await readFile(file, 'utf8')).toBe(text);
  });

  it('makes no new identity when registry.json is missing but the message log holds conversations', async () => {
    const dir = await tempDir();
    const historyDir = path.join(dir, 'messages');
    const open = () => Registry.open({ dataDir: dir, hubName: 'x', logger: silent, historyDir });
    await mkdir(historyDir);
    await writeFile(path.join(historyDir, 'log-format.json'), '{}');
    // A log without conversations is nothing to lose: a first start that failed after the log was made.
    await (await open()).close();
    await rm(path.join(dir, 'registry.json'));

    await mkdir(path.join(historyDir, 'general'));
    const refused = await open().catch((err: unknown) => err);
    expect(refused).toMatchObject({ code: 'REGISTRY_INVALID' });
    expect((refused as Error).message).toContain(
      `${path.join(dir, 'registry.json')} is missing, but ${historyDir} holds the messages of 1 conversation(s)`,
    );
    expect(await readdir(dir)).not.toContain('registry.json');
  });

  it('calls a file without a schemaVersion foreign, not an old version it cannot migrate', async () => {
    const dir = await tempDir();
    await writeFile(path.join(dir, 'registry.json'), JSON.stringify({ users: [] }));
    await expect(Registry.open({ dataDir: dir, hubName: 'x', logger: silent })).rejects.toMatchObject({
      code: 'REGISTRY_INVALID',
      message: expect.stringMatching(/does not match the registry schema \(schemaVersion: .*\)\. Restore it/),
    });
  });

  it('finds the same direct conversation from either side', async () => {
    const r = await Registry.open({ dataDir: await tempDir(), hubName: 'Den', logger: silent });
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
    const r = await Registry.open({ dataDir: dir, hubName: 'Den', saveDelayMs: 10, fs, logger: silent });
    const ann = await r.createUser('Ann');
    const device = await r.addDevice({ userId: ann.id, name: 'Laptop', platform: 'linux', publicKey: aKey() });
    diskFull = true;

    await expect(r.createUser('Bob')).rejects.toThrow();
    await expect(r.addDevice({ userId: ann.id, name: 'Phone', platform: 'ios', publicKey: aKey() })).rejects.toThrow();
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
    const again = await Registry.open({ dataDir: dir, hubName: 'Den', logger: silent });
    expect(again.users().map((u) => u.displayName)).toEqual(['Ann']);
    expect(again.device(device.id)).toBeUndefined();
    await again.close();
  });

  it('a failed write undoes only its own change, never a later one that was written', async () => {
    const dir = await tempDir();
    let failNext = false;
    const fs = recordingFs(dir, async (call) => {
      if (!failNext || call.op !== 'write') return;
      failNext = false;
      // Fails a little later: its data was fixed when it started.
      await new Promise((resolve) => setTimeout(resolve, 20));
      throw errnoError('EIO');
    });
    const r = await Registry.open({ dataDir: dir, hubName: 'Den', fs, logger: silent });
    const ann = await r.createUser('Ann');
    const device = await r.addDevice({ userId: ann.id, name: 'Laptop', platform: 'linux', publicKey: aKey() });
    failNext = true;
    const [desk, office] = await Promise.allSettled([
      r.renameDevice(device.id, 'Desk'),
      r.renameDevice(device.id, 'Office'),
    ]);
    expect(desk.status).toBe('rejected');
    expect(office.status).toBe('fulfilled');
    expect(r.device(device.id)?.name).toBe('Office');
    await r.close();
    const again = await Registry.open({ dataDir: dir, hubName: 'Den', logger: silent });
    expect(again.device(device.id)?.name).toBe('Office');
    await again.close();
  });

  it('answers a pairing only once registry.json and its directory are fsynced', async () => {
    const dir = await tempDir();
    let hold = holdAt(() => false);
    const fs = recordingFs(dir, (call) => hold.before(call));
    const r = await Registry.open({ dataDir: dir, hubName: 'Den', fs, logger: silent });
    const ann = await r.createUser('Ann');
    const before = fs.trace().length;
    // Windows cannot fsync a directory; there the renamed file is flushed last instead.
    const last =
      process.platform === 'win32' ? ['open registry.json r+', 'sync registry.json'] : ['open dir r', 'sync dir'];
    hold = holdAt((c) => c.op === 'sync' && !c.path.endsWith('.tmp'));

    const publicKey = aKey();
    const pairing = r.addDevice({ userId: ann.id, name: 'Laptop', platform: 'linux', publicKey });
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
    const device = await pairing;
    const again = await Registry.open({ dataDir: dir, hubName: 'Den', logger: silent });
    expect(again.device(device.id)).toMatchObject({ name: 'Laptop', publicKey });
    await again.close();
  });

  it.skipIf(process.platform === 'win32')(
    'keeps registry.json readable by the hub’s user only, also one an older hub left readable by all',
    async () => {
      const dir = await tempDir();
      const file = path.join(dir, 'registry.json');
      const r = await Registry.open({ dataDir: dir, hubName: 'Den', logger: silent });
      await r.createUser('Ann');
      expect((await stat(file)).mode & 0o777).toBe(0o600);
      await r.close();
      await chmod(file, 0o644);
      const again = await Registry.open({ dataDir: dir, hubName: 'Den', logger: silent });
      expect((await stat(file)).mode & 0o777).toBe(0o600);
      await again.close();
    },
  );
});

const onDisk = async (dir: string) =>
  JSON.parse(await readFile(path.join(dir, 'registry.json'), 'utf8')) as RegistryFile;

/** A logger that keeps what it is told, so a test can check what was reported and that nothing else was. */
function keptLogger(): HubLogger & { errors: string[] } {
  const errors: string[] = [];
  return { errors, info: () => {}, warn: () => {}, error: (m) => errors.push(m) };
}

/** Resolves the next time `matches` sees a call, for waiting on a file-system event instead of sleeping. */
function nextCall(matches: (call: FsCall) => boolean) {
  let seen = () => {};
  const promise = new Promise<void>((resolve) => (seen = resolve));
  return {
    promise,
    check(call: FsCall) {
      if (matches(call)) seen();
    },
  };
}

describe('Registry: one write path', () => {
  it('writes one change at a time: one asked for during a write waits for the next, which carries both', async () => {
    const dir = await tempDir();
    let hold = holdAt(() => false);
    const fs = recordingFs(dir, (call) => hold.before(call));
    const r = await Registry.open({ dataDir: dir, hubName: 'Den', fs, logger: keptLogger() });
    const before = fs.calls.length;
    hold = holdAt((c) => c.op === 'sync' && c.path === dir);
    const answered: string[] = [];
    const ann = r.createUser('Ann').then((user) => answered.push('Ann') && user);
    await hold.reached;
    const renamed = r.setHubName('Attic').then(() => answered.push('Attic'));
    expect(await settlesWithin(renamed, 20)).toBe(false);
    const written = () => fs.calls.slice(before).filter((c) => c.op === 'write');
    expect(written()).toHaveLength(1);

    hold.release();
    await Promise.all([ann, renamed]);
    expect(answered).toEqual(['Ann', 'Attic']);
    const texts = written().map((c) => JSON.parse(c.text!) as RegistryFile);
    expect(texts.map((t) => [t.hub.name, t.users.map((u) => u.displayName)])).toEqual([
      ['Den', ['Ann']],
      ['Attic', ['Ann']],
    ]);
    expect(await onDisk(dir)).toMatchObject({ hub: { name: 'Attic' }, users: [{ displayName: 'Ann' }] });
    await r.close();
  });

  it('never carries a change taken back after its write failed to disk with a change asked for meanwhile', async () => {
    const dir = await tempDir();
    let failHeld: ((err: Error) => void) | undefined;
    let armed = false;
    const reached = nextCall(() => true);
    const fs = recordingFs(dir, (call) => {
      if (!armed || call.op !== 'write') return;
      armed = false;
      reached.check(call);
      return new Promise<void>((_, reject) => (failHeld = reject));
    });
    const r = await Registry.open({ dataDir: dir, hubName: 'Den', fs, logger: keptLogger() });
    armed = true;
    const bob = r.createUser('Bob');
    await reached.promise;
    // Asked for while Bob's write is under way: every write stores the whole registry.
    const renamed = r.setHubName('Attic');
    failHeld!(errnoError('ENOSPC'));
    await expect(bob).rejects.toThrow('ENOSPC');
    await renamed;
    expect(r.users()).toEqual([]);
    expect(await onDisk(dir)).toMatchObject({ hub: { name: 'Attic' }, users: [] });
    await r.close();
  });

  it('writes again a change kept after its write failed (a new member), with nothing else to carry it', async () => {
    const dir = await tempDir();
    let failing = false;
    let landed = nextCall(() => false);
    const fs = recordingFs(dir, (call) => {
      landed.check(call);
      if (failing && call.op === 'write') throw errnoError('ENOSPC');
    });
    const r = await Registry.open({ dataDir: dir, hubName: 'Den', saveDelayMs: 5, fs, logger: keptLogger() });
    const group = await r.createGroup({ name: 'Attic', createdBy: 'ann', memberUserIds: [] });
    failing = true;
    await expect(r.addMembers(group, ['bob'])).rejects.toThrow('ENOSPC');
    // The directory is opened for its fsync only after the rename: the new file is in place.
    landed = nextCall((c) => c.op === 'open' && c.path === dir);
    failing = false;
    await landed.promise;
    const stored = (await onDisk(dir)).conversations.find((c) => c.id === group.id);
    expect(stored?.memberUserIds).toEqual(['ann', 'bob']);
    await r.close();
  });

  it('reports failing background writes once, to the logger it was given, and retries until one lands', async () => {
    const dir = await tempDir();
    const consoleError = vi.spyOn(console, 'error');
    const logger = keptLogger();
    let failing = false;
    let attempts = 0;
    const thirdAttempt = nextCall(() => attempts === 3);
    let landed = nextCall(() => false);
    const fs = recordingFs(dir, (call) => {
      landed.check(call);
      if (!failing || call.op !== 'write') return;
      attempts += 1;
      thirdAttempt.check(call);
      throw errnoError('ENOSPC');
    });
    const r = await Registry.open({ dataDir: dir, hubName: 'Den', saveDelayMs: 5, fs, logger });
    failing = true;
    r.advanceReceipt(DEFAULT_CONVERSATION_ID, 'ann', { readSeq: 3 });
    await thirdAttempt.promise;
    expect(logger.errors).toEqual([expect.stringContaining('registry.json')]);
    landed = nextCall((c) => c.op === 'open' && c.path === dir);
    failing = false;
    await landed.promise;
    expect((await onDisk(dir)).receipts).toEqual([
      { conversationId: DEFAULT_CONVERSATION_ID, userId: 'ann', deliveredSeq: 3, readSeq: 3 },
    ]);
    expect(consoleError).not.toHaveBeenCalled();
    consoleError.mockRestore();
    await r.close();
  });
});
