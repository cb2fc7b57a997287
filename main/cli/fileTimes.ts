import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';

/** Modification time of a file, 0 if it does not exist. */
export async function mtimeOf(file: string): Promise<number> {
  return (await stat(file).catch(() => undefined))?.mtimeMs ?? 0;
}

/**
 * The newest modification time among files and everything below folders, 0
 * when none exist. Used to rebuild an output only when a source is newer;
 * `skip` leaves out files (such as tests) that do not go into the output.
 */
export async function newestMtime(paths: string[], skip?: RegExp): Promise<number> {
  let newest = 0;
  for (const p of paths) {
    const info = await stat(p).catch(() => undefined);
    if (!info) continue;
    if (info.isFile()) newest = Math.max(newest, info.mtimeMs);
    if (!info.isDirectory()) continue;
    for (const e of await readdir(p, { recursive: true, withFileTypes: true })) {
      if (!e.isFile() || skip?.test(e.name)) continue;
      newest = Math.max(newest, await mtimeOf(path.join(e.parentPath, e.name)));
    }
  }
  return newest;
}
