import { readdir, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { makeTempDir } from '../testing/tempDir';
import { DurableJsonFile } from './DurableJsonFile';
import type { DurableWriteOptions } from './durableWrite';
import { errnoError, holdAt, recordingFs, settlesWithin, type BeforeCall, type FsCall } from './recordingFs';

let removers: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const r of removers) await r();
  removers = [];
});

type Data = { n: number };

async function setup(before?: BeforeCall, options: DurableWriteOptions = {}) {
  const t = await makeTempDir('roost-durable-');
  removers.push(t.remove);
  const file = path.join(t.dir, 'x.json');
  const fs = recordingFs(t.dir, before);
  const adapter = new DurableJsonFile<Data>(file, { platform: 'linux', ...options, fs });
  const onDisk = async () => JSON.parse(await readFile(file, 'utf8')) as Data;
  return { dir: t.dir, file, fs, adapter, onDisk };
}

const isDirSync = (dir: string) => (c: FsCall) => c.op === 'sync' && c.path === dir;

/** One complete durable write, as the recording file system shows it. */
const ONE_WRITE = [
  'open tmp wx 600',
  'write tmp',
  'sync tmp',
  'close tmp',
  'rename tmp x.json',
  'open dir r',
  'sync dir',
  'close dir',
];

describe('DurableJsonFile: the order of operations', () => {
  it('writes an exclusive 0600 temp file, fsyncs it, renames it over the file, then fsyncs the directory', async () => {
    const { dir, fs, adapter } = await setup();
    await adapter.write({ n: 1 });
    expect(fs.trace()).toEqual(ONE_WRITE);
    const temp = fs.calls[0]!.path;
    // Beside the target (rename is atomic only within one file system), hidden, and unique per write.
    expect(path.dirname(temp)).toBe(dir);
    expect(path.basename(temp)).toMatch(/^\.x\.json\.[0-9a-f]{12}\.tmp$/);
    await adapter.write({ n: 2 });
    const temps = fs.calls.filter((c) => c.op === 'open' && c.flags === 'wx').map((c) => c.path);
    expect(temps).toHaveLength(2);
    expect(temps[1]).not.toBe(temp);
  });

  it('resolves only after the directory fsync', async () => {
    let hold = holdAt(() => false);
    const { dir, fs, adapter, onDisk } = await setup((call) => hold.before(call));
    hold = holdAt(isDirSync(dir));
    const writing = adapter.write({ n: 1 });
    expect(await Promise.race([hold.reached.then(() => 'held'), writing.then(() => 'resolved')])).toBe('held');
    expect(await settlesWithin(writing, 20)).toBe(false);
    // Renamed already, but not answered: a power cut now could still lose the rename.
    expect(await onDisk()).toEqual({ n: 1 });
    expect(fs.trace().at(-1)).toBe('sync dir');
    hold.release();
    await writing;
    expect(fs.trace()).toEqual(ONE_WRITE);
  });

  it('does not rename before the temp file is on disk', async () => {
    let hold = holdAt(() => false);
    const { dir, adapter, onDisk } = await setup((call) => hold.before(call));
    await adapter.write({ n: 1 });
    hold = holdAt((c) => c.op === 'sync' && c.path !== dir);
    const writing = adapter.write({ n: 2 });
    expect(await Promise.race([hold.reached.then(() => 'held'), writing.then(() => 'resolved')])).toBe('held');
    expect(await settlesWithin(writing, 20)).toBe(false);
    expect(await onDisk()).toEqual({ n: 1 });
    hold.release();
    await writing;
    expect(await onDisk()).toEqual({ n: 2 });
  });

  it('keeps writing all of the data when the kernel takes only part of a write', async () => {
    const { fs, adapter, onDisk } = await setup();
    const open = fs.open.bind(fs);
    fs.open = async (file, flags, mode) => {
      const handle = await open(file, flags, mode);
      return {
        ...handle,
        write: (b, offset, length, position) => handle.write(b, offset, Math.min(length, 5), position),
      };
    };
    await adapter.write({ n: 123456789 });
    expect(await onDisk()).toEqual({ n: 123456789 });
  });

  it('on Windows (no directory fsync), flushes the renamed file through a writable handle instead', async () => {
    const { fs, adapter } = await setup(undefined, { platform: 'win32' });
    await adapter.write({ n: 1 });
    expect(fs.trace()).toEqual([...ONE_WRITE.slice(0, 5), 'open x.json r+', 'sync x.json', 'close x.json']);
  });

  it('on Windows, a refused best-effort flush of the renamed file does not fail the write', async () => {
    const { fs, adapter, onDisk } = await setup(
      (call) => {
        if (call.op === 'open' && call.flags === 'r+') throw errnoError('EBUSY');
      },
      { platform: 'win32' },
    );
    await adapter.write({ n: 2 });
    expect(fs.trace()).toContain('open x.json r+');
    expect(await onDisk()).toEqual({ n: 2 });
  });

  it('on Windows, retries a rename refused while another program has the file open', async () => {
    let refusals = 2;
    const { fs, adapter, onDisk } = await setup(
      (call) => {
        if (call.op === 'rename' && refusals-- > 0) throw errnoError('EPERM');
      },
      { platform: 'win32' },
    );
    await adapter.write({ n: 1 });
    expect(fs.trace().filter((l) => l.startsWith('rename'))).toHaveLength(3);
    expect(await onDisk()).toEqual({ n: 1 });
  });
});

describe('DurableJsonFile: real files', () => {
  it('reads back what it wrote, null when there is no file, and rejects a file that is not JSON', async () => {
    const { file, adapter } = await setup();
    expect(await adapter.read()).toBeNull();
    await adapter.write({ n: 7 });
    expect(await adapter.read()).toEqual({ n: 7 });
    await writeFile(file, '{"n":');
    await expect(adapter.read()).rejects.toBeInstanceOf(SyntaxError);
  });

  it.skipIf(process.platform === 'win32')('leaves the file with mode 0600 and nothing else beside it', async () => {
    const { dir, file, adapter } = await setup();
    await writeFile(file, '{"n":0}', { mode: 0o644 });
    await adapter.write({ n: 1 });
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect(await readdir(dir)).toEqual(['x.json']);
  });

  it.each([
    ['writing', 'write', 'ENOSPC'],
    ['fsyncing', 'sync', 'ENOSPC'],
    ['fsyncing', 'sync', 'EIO'],
    ['renaming', 'rename', 'ENOSPC'],
  ] as const)(
    'when %s the temp file fails (%s): rejects, removes the temp file, keeps the old contents',
    async (_when, op, code) => {
      let failing = false;
      const { dir, adapter, onDisk } = await setup((call) => {
        if (failing && call.op === op && call.path.endsWith('.tmp')) throw errnoError(code);
      });
      await adapter.write({ n: 1 });
      failing = true;
      await expect(adapter.write({ n: 2 })).rejects.toMatchObject({ code });
      expect(await readdir(dir)).toEqual(['x.json']);
      expect(await onDisk()).toEqual({ n: 1 });
      failing = false;
      await adapter.write({ n: 3 });
      expect(await onDisk()).toEqual({ n: 3 });
    },
  );

  it('rejects when the directory fsync fails, since the change may not survive a power cut', async () => {
    let failing = false;
    const { dir, adapter } = await setup((call) => {
      if (failing && isDirSync(dir)(call)) throw errnoError('EIO');
    });
    await adapter.write({ n: 1 });
    failing = true;
    await expect(adapter.write({ n: 2 })).rejects.toMatchObject({ code: 'EIO' });
    expect(await readdir(dir)).toEqual(['x.json']);
  });
});

describe('DurableJsonFile: concurrent writes', () => {
  it(
    'never overlaps writes, ends with the newest data, ' +
      'and answers each caller only once data as new as its own is durable',
    async () => {
      let hold = holdAt(() => false);
      const { dir, fs, adapter, onDisk } = await setup((call) => hold.before(call));
      hold = holdAt(isDirSync(dir));
      const answered = (n: number) => () => fs.mark(`answered ${n}`);
      const first = adapter.write({ n: 1 }).then(answered(1));
      await hold.reached;
      // Asked for while the first write is in flight: merged into one write of the newest data.
      const later = [2, 3, 4].map((n) => adapter.write({ n }).then(answered(n)));
      hold.release();
      await Promise.all([first, ...later]);

      expect(fs.trace()).toEqual([...ONE_WRITE, 'answered 1', ...ONE_WRITE, 'answered 2', 'answered 3', 'answered 4']);
      const written = fs.calls.filter((c) => c.op === 'write').map((c) => JSON.parse(c.text ?? '') as Data);
      expect(written).toEqual([{ n: 1 }, { n: 4 }]);
      expect(await onDisk()).toEqual({ n: 4 });
    },
  );

  it('writes what the caller passed at the time of the call, not what the object holds later', async () => {
    const { adapter, onDisk } = await setup();
    const data = { n: 1 };
    const writing = adapter.write(data);
    data.n = 2;
    await writing;
    expect(await onDisk()).toEqual({ n: 1 });
  });

  it('lets the next write run after one failed, and tells only the failed write’s callers', async () => {
    let failures = 1;
    let hold = holdAt(() => false);
    const { dir, adapter, onDisk } = await setup(async (call) => {
      await hold.before(call);
      if (call.op === 'write' && failures-- > 0) throw errnoError('ENOSPC');
    });
    hold = holdAt((c) => c.op === 'write');
    const failed = adapter.write({ n: 1 });
    await hold.reached;
    const next = adapter.write({ n: 2 });
    hold.release();
    await expect(failed).rejects.toMatchObject({ code: 'ENOSPC' });
    await next;
    expect(await onDisk()).toEqual({ n: 2 });
    expect(await readdir(dir)).toEqual(['x.json']);
  });
});
