import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex } from '@noble/hashes/utils.js';

/**
 * What the hasher reads from: a `ReadableStreamDefaultReader<Uint8Array>` (a browser's `Blob.stream()`), or
 * anything else that hands out chunks the same way. Declared here so shared/ needs no DOM types.
 */
export type ChunkReader = {
  read(): Promise<{ done: boolean; value?: Uint8Array | undefined }>;
  cancel?(reason?: unknown): Promise<void>;
};

export type HashOptions = {
  /** Bytes hashed so far, after each chunk. */
  onProgress?: (bytesHashed: number) => void;
  /** Stops between two chunks: the read is cancelled and the promise rejects with the signal's reason. */
  signal?: { readonly aborted: boolean; readonly reason?: unknown };
};

/**
 * The SHA-256 of everything `reader` yields, as the hub writes it (64 lowercase hex digits). One pass, one
 * chunk in memory at a time, so a file of several gigabytes costs no more memory than a small one.
 */
export async function sha256Stream(reader: ChunkReader, options: HashOptions = {}): Promise<string> {
  const hash = sha256.create();
  let bytes = 0;
  for (;;) {
    if (options.signal?.aborted) {
      await reader.cancel?.(options.signal.reason).catch(() => {});
      throw options.signal.reason ?? new Error('Hashing was cancelled.');
    }
    const { done, value } = await reader.read();
    if (done) break;
    if (!value || value.length === 0) continue;
    hash.update(value);
    bytes += value.length;
    options.onProgress?.(bytes);
  }
  return bytesToHex(hash.digest());
}
