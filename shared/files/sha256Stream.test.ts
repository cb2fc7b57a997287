import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js';
import { describe, expect, it } from 'vitest';
import { sha256Stream, type ChunkReader } from './sha256Stream';

function readerOf(chunks: Uint8Array[]): ChunkReader & { cancelled: boolean } {
  let i = 0;
  const reader = {
    cancelled: false,
    read: () => Promise.resolve(i < chunks.length ? { done: false, value: chunks[i++] } : { done: true }),
    cancel: () => {
      reader.cancelled = true;
      return Promise.resolve();
    },
  };
  return reader;
}

describe('sha256Stream', () => {
  it('gives the FIPS 180-2 digests of "" and "abc"', async () => {
    expect(await sha256Stream(readerOf([]))).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(await sha256Stream(readerOf([utf8ToBytes('abc')]))).toBe(
      'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
    );
  });

  it('gives the same digest however the bytes are split into chunks, empty ones included', async () => {
    const data = new Uint8Array(200_003).map((_, i) => (i * 31) % 251);
    const whole = bytesToHex(sha256(data));
    const chunks = [data.subarray(0, 1), new Uint8Array(0), data.subarray(1, 65_536), data.subarray(65_536)];
    expect(await sha256Stream(readerOf(chunks))).toBe(whole);
  });

  it('reports the bytes hashed after each chunk', async () => {
    const seen: number[] = [];
    await sha256Stream(readerOf([new Uint8Array(3), new Uint8Array(5)]), { onProgress: (n) => seen.push(n) });
    expect(seen).toEqual([3, 8]);
  });

  it('stops reading and cancels the reader once the signal is aborted', async () => {
    const signal = { aborted: false, reason: new Error('stop') };
    const reader = readerOf([new Uint8Array(1), new Uint8Array(1), new Uint8Array(1)]);
    const done = sha256Stream(reader, {
      signal,
      onProgress: () => {
        signal.aborted = true;
      },
    });
    await expect(done).rejects.toThrow('stop');
    expect(reader.cancelled).toBe(true);
  });
});
