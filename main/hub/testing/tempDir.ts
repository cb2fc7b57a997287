import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { cleanupsAfterEach } from './cleanups';

/** A fresh directory under the system temp folder, and a way to remove it. */
export async function makeTempDir(prefix = 'roost-test-'): Promise<{ dir: string; remove: () => Promise<void> }> {
  const dir = await mkdtemp(path.join(tmpdir(), prefix));
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}

/** For a test file: makes fresh directories that are removed after each test. Call once at the top. */
export function tempDirsAfterEach(prefix?: string): () => Promise<string> {
  const cleanups = cleanupsAfterEach();
  return async () => {
    const temp = await makeTempDir(prefix);
    cleanups.push(temp.remove);
    return temp.dir;
  };
}
