import { open, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RecentCache } from './RecentCache';
import { newSegment, scanLines, segmentFileBase, segmentIndexFor } from './segment';
import { makeTempDir, range, removeDir } from './testSupport';

let dir: string;
beforeEach(async () => {
  dir = await makeTempDir();
});
afterEach(async () => {
  await removeDir(dir);
});

async function lines(
  content: string,
  from: number,
  end: number,
  chunk: number,
): Promise<Array<[number, string, boolean]>> {
  const path = join(dir, 'f');
  await writeFile(path, content);
  const handle = await open(path, 'r');
  try {
    const out: Array<[number, string, boolean]> = [];
    for await (const chunkLines of scanLines(handle, from, end, chunk))
      for (const line of chunkLines) out.push([line.offset, line.bytes.toString(), line.complete]);
    return out;
  } finally {
    await handle.close();
  }
}

describe('segment files', () => {
  it('names segments by their first seq padded to 12 digits', () => {
    expect(segmentFileBase(1)).toBe('000000000001');
    expect(newSegment('/d/room', 1234).dataPath).toBe('/d/room/000000001234.jsonl');
    expect(newSegment('/d/room', 1234).indexPath).toBe('/d/room/000000001234.idx');
  });

  it('finds the segment holding a seq by binary search on firstSeq', () => {
    const segments = [1, 10, 20].map((s) => newSegment(dir, s));
    expect([0, 1, 9, 10, 19, 20, 1000].map((seq) => segmentIndexFor(segments, seq))).toEqual([-1, 0, 0, 1, 1, 2, 2]);
    expect(segmentIndexFor([], 5)).toBe(-1);
  });

  it.each([1, 2, 3, 5, 64])('splits lines at the same offsets whatever the chunk size (%i bytes)', async (chunk) => {
    const content = 'alpha\nbé\n\nlonger line here\ntail';
    expect(await lines(content, 0, Buffer.byteLength(content), chunk)).toEqual([
      [0, 'alpha', true],
      [6, 'bé', true],
      [10, '', true],
      [11, 'longer line here', true],
      [28, 'tail', false],
    ]);
  });

  it('reads only between the given offsets', async () => {
    expect(await lines('aa\nbb\ncc\ndd\n', 3, 9, 4)).toEqual([
      [3, 'bb', true],
      [6, 'cc', true],
    ]);
  });
});

describe('RecentCache', () => {
  const m = (seq: number) => ({
    seq,
    clientMsgId: `c${seq}`,
    senderUserId: 'u',
    senderDeviceId: 'd',
    sentAt: 0,
    text: '',
  });

  it('answers ranges it fully holds, and nothing else', () => {
    const cache = new RecentCache(4);
    for (const seq of range(1, 10)) cache.push(m(seq));
    expect(cache.range(8, 10)?.map((x) => x.seq)).toEqual([8, 9, 10]);
    expect(cache.range(1, 3)).toBeNull();
    expect(cache.range(9, 11)).toBeNull();
    expect(cache.get(10)?.seq).toBe(10);
  });

  it('starts over if a push is not the next seq', () => {
    const cache = new RecentCache(4);
    cache.push(m(1));
    cache.push(m(5));
    expect(cache.range(1, 1)).toBeNull();
    expect(cache.get(5)?.seq).toBe(5);
  });
});
