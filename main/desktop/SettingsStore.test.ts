import { readdir, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { recordingFs } from '../hub/registry/recordingFs';
import { makeTempDir } from '../hub/testing/tempDir';
import { DEFAULT_SETTINGS, SETTINGS_FILE_NAME, SETTINGS_SCHEMA_VERSION, SettingsStore } from './SettingsStore';

let dirs: Array<{ remove(): Promise<void> }> = [];
afterEach(async () => {
  for (const d of dirs) await d.remove();
  dirs = [];
});

async function tempDir(): Promise<string> {
  const d = await makeTempDir('roost-settings-');
  dirs.push(d);
  return d.dir;
}

async function openWith(
  content: string | undefined,
): Promise<{ store: SettingsStore; warnings: string[]; dir: string }> {
  const dir = await tempDir();
  if (content !== undefined) await writeFile(path.join(dir, SETTINGS_FILE_NAME), content);
  const warnings: string[] = [];
  const store = await SettingsStore.open({ dir, warn: (m) => warnings.push(m) });
  return { store, warnings, dir };
}

describe('SettingsStore', () => {
  it('starts from the defaults, silently, when there is no file', async () => {
    const { store, warnings } = await openWith(undefined);
    expect(store.get()).toEqual(DEFAULT_SETTINGS);
    expect(warnings).toEqual([]);
  });

  it('persists changes and reads them back', async () => {
    const { store, dir } = await openWith(undefined);
    await store.update({ setup: { mode: 'host', hosting: { name: 'Kitchen', port: 7420 } }, muted: true });
    await store.update({ windowBounds: { x: 10, y: 20, width: 800, height: 600, maximized: false } });
    const again = await SettingsStore.open({ dir });
    expect(again.get()).toEqual({
      schemaVersion: SETTINGS_SCHEMA_VERSION,
      setup: { mode: 'host', hosting: { name: 'Kitchen', port: 7420 } },
      muted: true,
      windowBounds: { x: 10, y: 20, width: 800, height: 600, maximized: false },
    });
    // Written through a temp file that is renamed into place: nothing else is left behind.
    expect(await readdir(dir)).toEqual([SETTINGS_FILE_NAME]);
  });

  it.each([
    ['not JSON', '{"setup": {"mode": "ho', /not valid JSON/],
    ['an empty file', '', /not valid JSON/],
    ['another app’s JSON', '{"theme": "dark"}', /not Roost settings/],
    ['a newer version', JSON.stringify({ ...DEFAULT_SETTINGS, schemaVersion: 99 }), /schemaVersion/],
    [
      'a bad value',
      JSON.stringify({ ...DEFAULT_SETTINGS, setup: { mode: 'join', hubUrl: 'file:///etc/passwd' } }),
      /setup/,
    ],
    [
      'a pinned identity that is not one',
      JSON.stringify({ ...DEFAULT_SETTINGS, setup: { mode: 'join', hubUrl: 'wss://10.0.0.5:7420/ws', identity: 'x' } }),
      /setup\.identity/,
    ],
  ])(
    'uses the defaults with one warning for %s, and replaces the file on the next change',
    async (_what, content, problem) => {
      const { store, warnings, dir } = await openWith(content);
      expect(store.get()).toEqual(DEFAULT_SETTINGS);
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toMatch(problem);
      await store.update({ muted: true });
      expect(JSON.parse(await readFile(path.join(dir, SETTINGS_FILE_NAME), 'utf8'))).toMatchObject({
        schemaVersion: SETTINGS_SCHEMA_VERSION,
        muted: true,
      });
    },
  );

  it('keeps the identity pinned for a joined hub', async () => {
    const { store, dir } = await openWith(undefined);
    const identity = 'OMYIJF5G5YLBKQM3ILPCFCBP7VBQNCF7ZZJYVCN6WV2DJQUUAFTA';
    await store.update({ setup: { mode: 'join', hubUrl: 'wss://10.0.0.5:7420/ws', identity } });
    expect((await SettingsStore.open({ dir })).get().setup).toEqual({
      mode: 'join',
      hubUrl: 'wss://10.0.0.5:7420/ws',
      identity,
    });
  });

  it('refuses an invalid change without touching what is saved', async () => {
    const { store } = await openWith(undefined);
    expect(() => store.update({ setup: { mode: 'join', hubUrl: 'http://not-a-ws-url/' } })).toThrow();
    expect(store.get()).toEqual(DEFAULT_SETTINGS);
  });

  it('writes changes in order, the last one wins', async () => {
    const { store, dir } = await openWith(undefined);
    await Promise.all([store.update({ muted: true }), store.update({ muted: false }), store.update({ muted: true })]);
    expect(JSON.parse(await readFile(path.join(dir, SETTINGS_FILE_NAME), 'utf8')).muted).toBe(true);
  });

  it('saves a change as durably as the hub saves its registry, readable by this user only', async () => {
    const dir = await tempDir();
    const fs = recordingFs(dir);
    const store = await SettingsStore.open({ dir, fs });
    const before = fs.trace().length;
    await store.update({ muted: true });
    const dirSync =
      process.platform === 'win32'
        ? ['open settings.json r+', 'sync settings.json', 'close settings.json']
        : ['open dir r', 'sync dir', 'close dir'];
    expect(fs.trace().slice(before)).toEqual([
      'open tmp wx 600',
      'write tmp',
      'sync tmp',
      'close tmp',
      'rename tmp settings.json',
      ...dirSync,
    ]);
    if (process.platform !== 'win32') expect((await stat(path.join(dir, SETTINGS_FILE_NAME))).mode & 0o777).toBe(0o600);
  });
});
