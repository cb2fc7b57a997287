import { chmod, lstat, mkdir, stat, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cleanupsAfterEach } from './testing/cleanups';
import { makeTempDir } from './testing/tempDir';
import { describeMadePrivate, makeDataDirPrivate, makeEntryPrivate, makePrivate } from './privateFiles';

const cleanups = cleanupsAfterEach();
const mode = async (p: string) => (await lstat(p)).mode & 0o777;

/** A data directory as a version before issue #13 left it, with a link out and a file that is not the hub's. */
async function oldDataDir(): Promise<{ dir: string; outside: string }> {
  const temp = await makeTempDir('roost-private-');
  cleanups.push(temp.remove);
  const dir = path.join(temp.dir, 'hub');
  await mkdir(path.join(dir, 'messages', 'general'), { recursive: true });
  await writeFile(path.join(dir, 'registry.json'), '{}');
  await writeFile(path.join(dir, 'hub.lock'), '{}');
  await writeFile(path.join(dir, 'messages', 'log-format.json'), '{}');
  await writeFile(path.join(dir, 'messages', 'general', '1.idx'), '');
  await writeFile(path.join(dir, 'notes.txt'), 'mine');
  const outside = path.join(temp.dir, 'elsewhere.txt');
  await writeFile(outside, 'not the hub');
  await symlink(outside, path.join(dir, 'messages', 'link'));
  for (const d of [dir, path.join(dir, 'messages'), path.join(dir, 'messages', 'general')]) await chmod(d, 0o755);
  for (const f of ['registry.json', 'hub.lock', 'messages/log-format.json', 'messages/general/1.idx', 'notes.txt'])
    await chmod(path.join(dir, f), 0o644);
  await chmod(outside, 0o644);
  return { dir, outside };
}

describe.skipIf(process.platform === 'win32')('making a data directory private', () => {
  it("makes the hub's own files 0600 and folders 0700, once, and says so", async () => {
    const { dir, outside } = await oldDataDir();
    const warnings: string[] = [];
    await makeDataDirPrivate(dir, (m) => warnings.push(m));
    expect(await mode(dir)).toBe(0o700);
    for (const d of ['messages', 'messages/general']) expect(await mode(path.join(dir, d))).toBe(0o700);
    for (const f of ['registry.json', 'hub.lock', 'messages/log-format.json', 'messages/general/1.idx'])
      expect(await mode(path.join(dir, f))).toBe(0o600);
    // What is not the hub's stays as it was, and a link is not a way to change a file outside.
    expect(await mode(path.join(dir, 'notes.txt'))).toBe(0o644);
    expect((await stat(outside)).mode & 0o777).toBe(0o644);
    expect(warnings).toEqual([expect.stringMatching(/^Made 7 files and folders in .* private to this user/)]);
    await makeDataDirPrivate(dir, (m) => warnings.push(m));
    expect(warnings).toHaveLength(1);
  });

  it('leaves the mode of a folder chosen for a new hub, which holds no hub data yet', async () => {
    const temp = await makeTempDir('roost-private-');
    cleanups.push(temp.remove);
    await chmod(temp.dir, 0o755);
    const warnings: string[] = [];
    await makeDataDirPrivate(temp.dir, (m) => warnings.push(m));
    expect(await mode(temp.dir)).toBe(0o755);
    expect(warnings).toEqual([]);
  });

  it('walks a folder only while it is not private yet', async () => {
    const { dir } = await oldDataDir();
    const messages = path.join(dir, 'messages');
    await chmod(messages, 0o700);
    expect(await makePrivate(messages)).toEqual({ changed: [], failed: [] });
    // Nothing in it can be reached by others, and what is written now is created private.
    expect(await mode(path.join(messages, 'log-format.json'))).toBe(0o644);
  });

  it('makes one file private, and ignores one that is missing', async () => {
    const { dir } = await oldDataDir();
    expect((await makeEntryPrivate(path.join(dir, 'registry.json'))).changed).toHaveLength(1);
    expect(await mode(path.join(dir, 'registry.json'))).toBe(0o600);
    expect(await makeEntryPrivate(path.join(dir, 'missing.json'))).toEqual({ changed: [], failed: [] });
  });

  it('says what it could not change instead of stopping the hub', () => {
    expect(describeMadePrivate('/d', { changed: [], failed: ['/d/x'] })).toBe(
      'Could not make 1 files or folders in /d private, for example /d/x: ' +
        'change their owner or mode so that only this user can read them.',
    );
    expect(describeMadePrivate('/d', { changed: [], failed: [] })).toBeUndefined();
  });
});
