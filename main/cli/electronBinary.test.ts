/**
 * findElectronBinary against stand-in electron package folders. Electron 42+'s
 * own `require('electron')` downloads a missing binary; this must only look.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { makeTempDir } from '../hub/testing/tempDir';
import { findElectronBinary } from './electronBinary';

const temp = await makeTempDir('roost-electron-binary-');
afterAll(() => temp.remove());

async function packageDir(name: string, files: Record<string, string>): Promise<string> {
  const dir = path.join(temp.dir, name);
  for (const [file, text] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(dir, file)), { recursive: true });
    await writeFile(path.join(dir, file), text);
  }
  await mkdir(dir, { recursive: true });
  return dir;
}

describe('findElectronBinary', () => {
  it('finds the executable path.txt names inside dist/', async () => {
    const dir = await packageDir('installed', { 'path.txt': 'electron', 'dist/electron': '' });
    expect(findElectronBinary({ packageDir: dir, env: {} })).toEqual({ path: path.join(dir, 'dist', 'electron') });
  });

  it('reports a package whose install step never ran, without trying to download', async () => {
    const dir = await packageDir('not-installed', { 'package.json': '{}' });
    const found = findElectronBinary({ packageDir: dir, env: {} });
    expect(found).toEqual({
      missing: expect.stringMatching(/not downloaded.*node node_modules\/electron\/install\.js/),
    });
  });

  it('reports a path.txt whose executable is gone', async () => {
    const dir = await packageDir('dist-removed', { 'path.txt': 'electron' });
    expect(findElectronBinary({ packageDir: dir, env: {} })).toHaveProperty('missing');
  });

  it('honours ELECTRON_OVERRIDE_DIST_PATH, as the electron package does', async () => {
    const dir = await packageDir('override-pkg', {});
    const dist = await packageDir('override-dist', { electron: '' });
    expect(findElectronBinary({ packageDir: dir, env: { ELECTRON_OVERRIDE_DIST_PATH: dist } })).toEqual({
      path: path.join(dist, 'electron'),
    });
    const empty = await packageDir('override-empty', {});
    expect(findElectronBinary({ packageDir: dir, env: { ELECTRON_OVERRIDE_DIST_PATH: empty } })).toEqual({
      missing: expect.stringContaining('ELECTRON_OVERRIDE_DIST_PATH'),
    });
  });

  it('answers for this checkout without starting a download', () => {
    // The electron package's index.js logs "Downloading Electron binary..." before it spawns its installer.
    const log = vi.spyOn(console, 'log');
    try {
      const found = findElectronBinary();
      expect(Object.keys(found)).toHaveLength(1);
      if ('path' in found) expect(path.isAbsolute(found.path)).toBe(true);
      expect(log).not.toHaveBeenCalled();
    } finally {
      log.mockRestore();
    }
  });
});
