import type { FileHandle } from 'node:fs/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { nodeLogFs, type LogFs } from './logFs';
import { MessageLog } from './MessageLog';
import { SegmentHandles } from './SegmentHandles';
import { deferred, draft, makeTempDir, openSegmentDescriptors, range, removeDir, type Deferred } from './testSupport';

let dir: string;
beforeEach(async () => {
  dir = await makeTempDir();
});
afterEach(async () => {
  await removeDir(dir);
});

/** Wraps openSegment to know how many segment files are open at once, and the most there ever were. */
function countingFs(): { fs: Partial<LogFs>; open: () => number; most: () => number } {
  let open = 0;
  let most = 0;
  return {
    fs: {
      openSegment: async (path, create) => {
        const handle = await nodeLogFs.openSegment(path, create);
        open += 1;
        most = Math.max(most, open);
        const close = handle.close.bind(handle);
        handle.close = async () => {
          open -= 1;
          await close();
        };
        return handle;
      },
    },
    open: () => open,
    most: () => most,
  };
}

describe('segment files held open', () => {
  it('appending to many conversations keeps at most maxOpenSegments files open, and every append lands', async () => {
    const counting = countingFs();
    const log = await MessageLog.open({ dir, maxOpenSegments: 4, fs: counting.fs });
    const ids = range(1, 60).map((n) => `room-${n}`);
    for (const id of ids) await log.append(id, draft(1));
    expect(openSegmentDescriptors(dir)).toBeLessThanOrEqual(4);
    // All at once: the rest wait for a file to be closed rather than opening past the limit.
    const burst = await Promise.all(ids.map((id) => log.append(id, draft(2))));
    expect(burst.map((r) => r.message.seq)).toEqual(ids.map(() => 2));
    expect(counting.most()).toBeLessThanOrEqual(4);
    expect(openSegmentDescriptors(dir)).toBeLessThanOrEqual(4);
    await log.close();
    expect(counting.open()).toBe(0);

    const reopened = await MessageLog.open({ dir });
    for (const id of ids) expect((await reopened.readForward(id, 0, 10)).messages.map((m) => m.seq)).toEqual([1, 2]);
    await reopened.close();
  });

  it('closes a segment once it is sealed, so rolling over does not hold old files', async () => {
    const counting = countingFs();
    const log = await MessageLog.open({ dir, segmentBytes: 300, fs: counting.fs });
    for (const n of range(1, 30)) await log.append('a', draft(n));
    expect(counting.open()).toBe(1);
    await log.close();
  });
});

describe('SegmentHandles', () => {
  function fakeFiles(): { open: (path: string) => Promise<FileHandle>; opened: string[]; closed: string[] } {
    const opened: string[] = [];
    const closed: string[] = [];
    return {
      opened,
      closed,
      open: async (path) => {
        opened.push(path);
        return { close: async () => void closed.push(path) } as unknown as FileHandle;
      },
    };
  }

  it('closes the least recently used idle file to open another', async () => {
    const files = fakeFiles();
    const handles = new SegmentHandles(2, files.open);
    for (const path of ['a', 'b']) {
      await handles.use(path);
      handles.release(path);
    }
    handles.useOpen('a');
    handles.release('a');
    await handles.use('c');
    expect(files.closed).toEqual(['b']);
    expect(handles.openCount).toBe(2);
    expect(handles.useOpen('b')).toBeNull();
  });

  it('never closes a file in use: an open past the limit waits until one is released', async () => {
    const files = fakeFiles();
    const handles = new SegmentHandles(1, files.open);
    await handles.use('a');
    let opened = false;
    const waiting = handles.use('b').then(() => (opened = true));
    await new Promise((resolve) => setImmediate(resolve));
    expect(opened).toBe(false);
    expect(files.closed).toEqual([]);
    handles.release('a');
    await waiting;
    expect(files.closed).toEqual(['a']);
    expect(handles.openCount).toBe(1);
  });

  it('shares one open among concurrent users of a file, and frees the slot when the open fails', async () => {
    const pending: Array<Deferred<FileHandle>> = [];
    const handles = new SegmentHandles(1, () => {
      const d = deferred<FileHandle>();
      pending.push(d);
      return d.promise;
    });
    const first = handles.use('a');
    const second = handles.use('a');
    expect(pending).toHaveLength(1);
    pending[0]!.reject(Object.assign(new Error('EMFILE'), { code: 'EMFILE' }));
    await expect(first).rejects.toThrow('EMFILE');
    await expect(second).rejects.toThrow('EMFILE');
    expect(handles.openCount).toBe(0);
    const third = handles.use('b');
    pending[1]!.resolve({ close: async () => undefined } as unknown as FileHandle);
    await third;
    expect(handles.openCount).toBe(1);
  });
});
