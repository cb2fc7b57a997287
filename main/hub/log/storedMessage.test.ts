import { describe, expect, it } from 'vitest';
import { decodeLine, encodeLine, messageProblem, StoredMessageSchema, type StoredMessage } from './storedMessage';

const message: StoredMessage = {
  seq: 7,
  clientMsgId: 'c-12345678',
  senderUserId: 'alice',
  senderDeviceId: 'phone',
  sentAt: 1_700_000_000_123,
  text: 'two\nlines, "quotes", ünïcødé 🐦 \u2028',
};

describe('stored line', () => {
  it('is one short-keyed JSON line per message and decodes back to the same message', () => {
    const line = encodeLine(message);
    expect(line.toString()).toBe(
      `{"s":7,"i":"c-12345678","u":"alice","d":"phone","t":1700000000123,` +
        `"x":"two\\nlines, \\"quotes\\", ünïcødé 🐦 \u2028"}\n`,
    );
    expect(line.indexOf(10)).toBe(line.length - 1);
    expect(decodeLine(line.subarray(0, -1))).toEqual(message);
  });

  it.each([
    ['not JSON', '{"s":1,'],
    ['not an object', '42'],
    ['a missing key', '{"s":1,"i":"c","u":"a","d":"d","t":1}'],
    ['seq 0', '{"s":0,"i":"c","u":"a","d":"d","t":1,"x":""}'],
    ['a fractional seq', '{"s":1.5,"i":"c","u":"a","d":"d","t":1,"x":""}'],
    ['a string time', '{"s":1,"i":"c","u":"a","d":"d","t":"now","x":""}'],
    ['an empty id', '{"s":1,"i":"","u":"a","d":"d","t":1,"x":""}'],
    ['NUL bytes', '\u0000\u0000\u0000'],
  ])('rejects %s', (_name, text) => {
    expect(decodeLine(Buffer.from(text))).toBeNull();
  });

  it('ignores keys it does not know, so a newer writer can add some', () => {
    expect(decodeLine(Buffer.from('{"s":1,"i":"c","u":"a","d":"d","t":1,"x":"hi","future":true}'))).toEqual({
      seq: 1,
      clientMsgId: 'c',
      senderUserId: 'a',
      senderDeviceId: 'd',
      sentAt: 1,
      text: 'hi',
    });
  });

  it('names what the schema would refuse before a message is written', () => {
    expect(messageProblem(message)).toBeNull();
    expect(messageProblem({ ...message, sentAt: 1.5 })).toMatch(/sentAt/);
    expect(messageProblem({ ...message, clientMsgId: '' })).toMatch(/clientMsgId/);
    expect(messageProblem({ ...message, text: 7 as unknown as string })).toMatch(/text/);
    expect(StoredMessageSchema.safeParse(message).success).toBe(true);
  });
});
