import { describe, expect, it } from 'vitest';
import { shareFrame } from './sharedFrame';

describe('shareFrame', () => {
  it('builds an unmasked final text frame around the JSON, with the right length encoding', () => {
    const small = shareFrame({ type: 'pong', serverTime: 1 });
    expect(small.payload.toString()).toBe('{"type":"pong","serverTime":1}');
    expect([...small.wire.subarray(0, 2)]).toEqual([0x81, small.payload.length]);
    expect(small.wire.subarray(2).equals(small.payload)).toBe(true);

    const big = shareFrame({ type: 'error', code: 'INTERNAL', message: 'x'.repeat(1000) });
    expect([...big.wire.subarray(0, 2)]).toEqual([0x81, 126]);
    expect(big.wire.readUInt16BE(2)).toBe(big.payload.length);
    expect(big.wire.subarray(4).equals(big.payload)).toBe(true);
  });
});
