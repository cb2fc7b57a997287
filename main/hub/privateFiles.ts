import { chmod, lstat, readdir } from 'node:fs/promises';
import path from 'node:path';

/**
 * Modes of everything the hub and the desktop app write: private to the user
 * who runs them (the hub's data holds every message and the device token
 * hashes). Given explicitly at creation, so the umask cannot widen them.
 */
export const PRIVATE_DIR_MODE = 0o700;
export const PRIVATE_FILE_MODE = 0o600;

/** chmod means nothing useful on Windows (only the read-only bit): there the folder's ACL decides. */
const POSIX = process.platform !== 'win32';

/**
 * Makes `dir` private (0700) if it is not, and then, once, everything in it:
 * folders 0700, files 0600. Versions before issue #13 created the data
 * directory and some files (log-format.json, sparse indexes, the lock) with
 * the umask's modes, typically 0755 and 0644. A folder that is already 0700
 * is not walked: nothing in it can be reached by anyone else, and every file
 * written now is created private, so the walk runs once per old directory.
 * Symbolic links are neither followed nor changed. Returns what was changed,
 * for a log line; a chmod that fails (a folder someone else owns) is reported
 * the same way and does not stop the hub. For a folder the hub owns whole (the
 * message log); see makeDataDirPrivate for the data directory.
 */
export async function makePrivate(dir: string): Promise<{ changed: string[]; failed: string[] }> {
  const result = { changed: [] as string[], failed: [] as string[] };
  if (!POSIX) return result;
  const info = await lstat(dir);
  if (!info.isDirectory() || (info.mode & 0o077) === 0) return result;
  await walk(dir, result);
  await tighten(dir, PRIVATE_DIR_MODE, info.mode, result);
  return result;
}

/** Makes one file 0600 or folder 0700 if it is wider; a missing one is fine. Same result as makePrivate. */
export async function makeEntryPrivate(file: string): Promise<{ changed: string[]; failed: string[] }> {
  const result = { changed: [] as string[], failed: [] as string[] };
  if (!POSIX) return result;
  let info;
  try {
    info = await lstat(file);
  } catch {
    return result;
  }
  if (info.isDirectory()) await tighten(file, PRIVATE_DIR_MODE, info.mode, result);
  else if (info.isFile()) await tighten(file, PRIVATE_FILE_MODE, info.mode, result);
  return result;
}

async function walk(dir: string, result: { changed: string[]; failed: string[] }): Promise<void> {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      await walk(full, result);
      await tighten(full, PRIVATE_DIR_MODE, (await lstat(full)).mode, result);
    } else if (entry.isFile()) {
      await tighten(full, PRIVATE_FILE_MODE, (await lstat(full)).mode, result);
    }
  }
}

async function tighten(
  file: string,
  mode: number,
  current: number,
  result: { changed: string[]; failed: string[] },
): Promise<void> {
  if ((current & 0o077) === 0) return;
  try {
    await chmod(file, mode);
    result.changed.push(file);
  } catch {
    result.failed.push(file);
  }
}

/**
 * What versions before issue #13 left readable to others in a data directory, made private: the directory
 * itself (only when it holds a hub's registry, so a folder someone chose for a new hub keeps its mode: what
 * the hub writes in it is private anyway), hub.lock, registry.json, and the message log (walked while it is
 * not private, so once). Nothing else in the folder is touched. One warning line says what changed.
 */
export async function makeDataDirPrivate(dir: string, warn: (message: string) => void): Promise<void> {
  const result = { changed: [] as string[], failed: [] as string[] };
  const add = (r: { changed: string[]; failed: string[] }) => {
    result.changed.push(...r.changed);
    result.failed.push(...r.failed);
  };
  if (await exists(path.join(dir, REGISTRY_FILE))) add(await makeEntryPrivate(dir));
  for (const file of OWN_FILES) add(await makeEntryPrivate(path.join(dir, file)));
  if (await exists(path.join(dir, MESSAGES_DIR))) add(await makePrivate(path.join(dir, MESSAGES_DIR)));
  const line = describeMadePrivate(dir, result);
  if (line) warn(line);
}

/** What older hubs wrote at the top of their data directory (names owned by dataDirLock, Registry and Hub). */
const REGISTRY_FILE = 'registry.json';
const OWN_FILES = ['hub.lock', REGISTRY_FILE];
const MESSAGES_DIR = 'messages';

async function exists(file: string): Promise<boolean> {
  try {
    await lstat(file);
    return true;
  } catch {
    return false;
  }
}

/** One line for the log about what makePrivate did, or undefined when it did nothing. */
export function describeMadePrivate(dir: string, result: { changed: string[]; failed: string[] }): string | undefined {
  const lines: string[] = [];
  if (result.changed.length > 0)
    lines.push(
      `Made ${result.changed.length} files and folders in ${dir} private to this user (0600/0700): ` +
        "they hold messages and the hub's identity key, and an older version left them readable to others.",
    );
  if (result.failed.length > 0)
    lines.push(
      `Could not make ${result.failed.length} files or folders in ${dir} private, for example ` +
        `${result.failed[0]}: change their owner or mode so that only this user can read them.`,
    );
  return lines.length > 0 ? lines.join(' ') : undefined;
}
