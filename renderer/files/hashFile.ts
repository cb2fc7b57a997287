import { sha256Stream, type HashOptions } from '../../shared/files/sha256Stream';

/** A file's SHA-256 read as a stream: a few chunks in memory, however large the file (shared/files/sha256Stream). */
export function hashFile(file: Blob, options: HashOptions = {}): Promise<string> {
  return sha256Stream(file.stream().getReader(), options);
}
