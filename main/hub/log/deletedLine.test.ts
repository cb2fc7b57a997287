import { describe, expect, it } from 'vitest';
import { deletedLine } from './deletedLine';
import { decodeLine, encodeLine, type StoredMessage } from './storedMessage';

const message: StoredMessage = {
  seq: 12,
  clientMsgId: 'c-12345678',
  senderUserId: 'mallory',
  senderDeviceId: 'phone',
  sentAt: 1_700_000_000_000,
  text: 'BUY "cheap" pills\\now\n\u0001 ünï 🐦 \u2028 \ud800!',
};

const lineOf = (m: StoredMessage) => encodeLine(m).subarray(0, -1);

describe('a deleted line', () => {
  it('has the same length, reads as deleted, and holds none of the text', () => {
    const line = lineOf(message);
    const deleted = deletedLine(line)!;
    expect(deleted.bytes.length).toBe(line.length);
    expect(decodeLine(deleted.bytes)).toEqual({ ...message, text: '', deleted: true });
    for (const word of ['BUY', 'cheap', 'pills', 'now', 'ünï', '🐦']) expect(deleted.bytes.includes(word)).toBe(false);
  });

  it('stays valid JSON whatever part of the overwrite reached the disk (a torn write)', () => {
    const line = lineOf(message);
    const deleted = deletedLine(line)!;
    // Every split point, new bytes before it and old after, and the other way round: a sector-torn write.
    for (let cut = 0; cut <= line.length; cut++) {
      for (const mixed of [
        Buffer.concat([deleted.bytes.subarray(0, cut), line.subarray(cut)]),
        Buffer.concat([line.subarray(0, cut), deleted.bytes.subarray(cut)]),
      ]) {
        const decoded = decodeLine(mixed);
        expect(decoded?.seq).toBe(12);
        // And deleting it again gives the same line as deleting the original.
        expect(deletedLine(mixed)?.bytes.equals(deleted.bytes)).toBe(true);
      }
    }
  });

  it('is its own fixed point: a deleted line deleted again is unchanged', () => {
    const deleted = deletedLine(lineOf(message))!;
    expect(deletedLine(deleted.bytes)?.bytes.equals(deleted.bytes)).toBe(true);
  });

  it('refuses a deletion record and lines it did not write', () => {
    expect(deletedLine(lineOf({ ...message, text: '', deletes: 3 }))).toBeNull();
    expect(deletedLine(Buffer.from('{"x":"no key before"}'))).toBeNull();
    expect(deletedLine(Buffer.from('{"s":1,"x":"a"quote"}'))).toBeNull();
  });
});
