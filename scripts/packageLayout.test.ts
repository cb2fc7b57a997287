/**
 * What electron-builder puts into the packaged app, checked without Electron.
 *
 * electron-builder's `dir` target packs this repository (electron-builder.yml,
 * the real file patterns, the real dist/) against a stand-in Electron
 * distribution: a directory with one `electron` file that only refuses to run.
 * No Electron binary exists on machines without internet, and the layout of
 * app.asar does not depend on it. The test then reads resources/app.asar, and
 * the fuse wire electron-builder flipped in the stand-in (electronFuses).
 *
 * dist/ is rebuilt first (`npm run build:web` / `build:desktop`) when it is
 * missing or older than its sources. The installers (AppImage, deb, nsis, dmg)
 * are built by CI's package job, not here: they download tools.
 */
import { spawn } from 'node:child_process';
import { chmod, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { isBuiltin } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { extractFile, listPackage, statFile } from '@electron/asar';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { builtFiles, ensureBuilt, REPO_ROOT } from './freshBuild';
import { configuredFuses, fuseMismatches } from './packedFuses';

const STAND_IN_NAME = 'standin-electron-dist-NOT-ELECTRON';

/**
 * Electron's fuse wire, version 1 (electron/electron build/fuses/fuses.json5 and
 * docs/tutorial/fuses.md): the sentinel, then the version byte, the length byte and
 * one byte per fuse, '1' on and '0' off, in this order.
 */
const FUSE_SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX';
const FUSE_WIRE_VERSION = 1;
const FUSE_ON = 0x31;
const FUSE_OFF = 0x30;
const FUSES = [
  'runAsNode',
  'cookieEncryption',
  'nodeOptions',
  'nodeCliInspect',
  'embeddedAsarIntegrityValidation',
  'onlyLoadAppFromAsar',
  'loadBrowserProcessSpecificV8Snapshot',
  'grantFileProtocolExtraPrivileges',
  'wasmTrapHandlers',
] as const;
/** Electron 45's defaults, in FUSES order. */
const ELECTRON_DEFAULT_FUSES = [true, false, true, true, false, false, false, true, true];

let work: string;
let asarPath: string;
let resourcesDir: string;
/** Every file in app.asar, `/`-separated, without a leading slash. */
let packed: string[];

beforeAll(async () => {
  await ensureBuilt((line) => console.log(`packageLayout: ${line}`));
  work = await mkdtemp(path.join(tmpdir(), 'roost-package-layout-'));
  const electronDist = await makeStandInElectronDist(work);
  const output = path.join(work, 'release');
  await electronBuilder([
    '--linux',
    'dir',
    '--publish',
    'never',
    `-c.electronDist=${electronDist}`,
    `-c.directories.output=${output}`,
  ]);
  resourcesDir = path.join(output, 'linux-unpacked', 'resources');
  asarPath = path.join(resourcesDir, 'app.asar');
  packed = listPackage(asarPath, { isPack: false })
    .map((entry) => entry.replaceAll('\\', '/').replace(/^\//, ''))
    .filter((entry) => asarIsFile(entry))
    .sort();
}, 180_000);

afterAll(async () => {
  if (work) await rm(work, { recursive: true, force: true });
});

describe('the packaged app (app.asar from the electron-builder dir target)', () => {
  it('starts at package.json main, dist/main/main.cjs, next to the preload', () => {
    const pkg = JSON.parse(readPacked('package.json')) as { main?: string; name?: string };
    expect(pkg.main).toBe('dist/main/main.cjs');
    expect(packed).toContain('dist/main/main.cjs');
    expect(packed).toContain('dist/main/preload.cjs');
  });

  it('holds the built renderer: index.html and every file it references', () => {
    expect(packed).toContain('dist/renderer/index.html');
    const html = readPacked('dist/renderer/index.html');
    const references = [...html.matchAll(/\b(?:src|href)="([^"]+)"/g)]
      .map((m) => m[1]!)
      .filter((ref) => !/^[a-z]+:/i.test(ref));
    expect(references.length).toBeGreaterThan(0);
    for (const ref of references) expect(packed).toContain(path.posix.join('dist/renderer', ref.replace(/^\.?\//, '')));
  });

  it('holds exactly dist/main and dist/renderer as built, minus source maps, plus package.json', async () => {
    const expected = ['package.json', ...(await builtFiles())].filter((file) => !file.endsWith('.map')).sort();
    expect(packed).toEqual(expected);
  });

  it('holds nothing else: no sources, tests, docs, node_modules, source maps or secrets', () => {
    const forbidden: Array<[string, RegExp]> = [
      ['TypeScript source', /\.(?:[cm]?ts|tsx)$/],
      ['test file', /\.(?:test|spec|e2e)\.[cm]?[jt]sx?$/],
      ['source map', /\.map$/],
      ['development folder', /(?:^|\/)(?:node_modules|e2e|docs|scripts|bench|test-results|\.git)\//],
      ['secret or local config', /(?:^|\/)(?:\.env(?:\..*)?|\.npmrc)$/],
    ];
    const found = packed.flatMap((file) =>
      forbidden.filter(([, pattern]) => pattern.test(file)).map(([what]) => `${what}: ${file}`),
    );
    expect(found).toEqual([]);
  });

  it('runs without node_modules: the bundles require only Node built-ins and electron', () => {
    // ws loads these optional native add-ons inside try/catch and works without them.
    const optional = new Set(['bufferutil', 'utf-8-validate']);
    const external = requiredModules(readPacked('dist/main/main.cjs')).filter(
      (m) => !isBuiltin(m) && m !== 'electron' && !optional.has(m),
    );
    expect(external).toEqual([]);
    // A sandboxed preload can require only electron (and a few polyfilled built-ins);
    // it must be one self-contained file.
    expect(requiredModules(readPacked('dist/main/preload.cjs'))).toEqual(['electron']);
  });

  it('packs the app into app.asar alone: nothing unpacked beside it', async () => {
    expect(await readdir(resourcesDir)).toEqual(['app.asar']);
  });

  it('flips the executable’s fuses electron-builder.yml sets, leaving the others at Electron’s defaults', async () => {
    expect(await readFuses(path.join(resourcesDir, '..', 'roost'))).toEqual({
      runAsNode: false,
      cookieEncryption: true,
      nodeOptions: false,
      nodeCliInspect: false,
      embeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      loadBrowserProcessSpecificV8Snapshot: false,
      grantFileProtocolExtraPrivileges: false,
      wasmTrapHandlers: true,
    });
  });

  it('names every fuse electron-builder.yml must set, with the value intended', () => {
    // Stated here a second time on purpose: an edit to the config that weakens a fuse fails this.
    expect(configuredFuses()).toEqual({
      RunAsNode: false,
      EnableCookieEncryption: true,
      EnableNodeOptionsEnvironmentVariable: false,
      EnableNodeCliInspectArguments: false,
      EnableEmbeddedAsarIntegrityValidation: true,
      OnlyLoadAppFromAsar: true,
      GrantFileProtocolExtraPrivileges: false,
    });
  });

  it('passes the check the workflow runs on each platform’s real packed app (@electron/fuses)', async () => {
    const app = path.join(resourcesDir, '..', 'roost');
    expect(await fuseMismatches(app)).toEqual([]);
    // And the check can fail: a fuse the config turns off reads as on here.
    expect(await fuseMismatches(app, { RunAsNode: true })).toEqual([
      `${app}: RunAsNode is false, electron-builder.yml sets true`,
    ]);
  });

  it('ships package.json without scripts or devDependencies', () => {
    const pkg = JSON.parse(readPacked('package.json')) as Record<string, unknown>;
    expect(pkg).not.toHaveProperty('scripts');
    expect(pkg).not.toHaveProperty('devDependencies');
  });
});

function readPacked(file: string): string {
  return extractFile(asarPath, file).toString('utf8');
}

/** The distinct module names a CommonJS bundle passes to require() with a string literal. */
function requiredModules(source: string): string[] {
  return [...new Set([...source.matchAll(/\brequire\((["'])([^"']+)\1\)/g)].map((m) => m[2]!))].sort();
}

function asarIsFile(entry: string): boolean {
  // listPackage lists folders too: they are the entries with `files`.
  return !('files' in statFile(asarPath, entry));
}

/**
 * A stand-in for an unpacked Electron on Linux. electron-builder 26 needs only
 * the `electron` file (it renames it to the app's executable, and creates
 * resources/ if missing); resources/ is there to look like the real layout.
 * The file refuses to run, so nothing can mistake it for Electron. After its
 * `exit`, where the shell never reads, it carries a fuse wire laid out as in
 * Electron's binary (the sentinel, the wire's version and length, one byte per
 * fuse) with Electron 45's defaults, for electron-builder's electronFuses to flip.
 */
async function makeStandInElectronDist(parent: string): Promise<string> {
  const dir = path.join(parent, STAND_IN_NAME);
  await mkdir(path.join(dir, 'resources'), { recursive: true });
  const executable = path.join(dir, 'electron');
  const script =
    '#!/bin/sh\n' +
    'echo "stand-in for the Electron binary, made by scripts/packageLayout.test.ts: not runnable" >&2\n' +
    'exit 1\n';
  const wire = Buffer.from(ELECTRON_DEFAULT_FUSES.map((on) => (on ? FUSE_ON : FUSE_OFF)));
  await writeFile(
    executable,
    Buffer.concat([
      Buffer.from(`${script}# fuse wire: ${FUSE_SENTINEL}`),
      Buffer.from([FUSE_WIRE_VERSION, wire.length]),
      wire,
      Buffer.from('\n'),
    ]),
  );
  await chmod(executable, 0o755);
  return dir;
}

/** The fuse wire of an Electron binary, by fuse name (FUSES order): true on, false off. */
async function readFuses(binary: string): Promise<Record<string, boolean>> {
  const bytes = await readFile(binary);
  const at = bytes.indexOf(FUSE_SENTINEL);
  if (at < 0) throw new Error(`no fuse wire in ${binary}`);
  const start = at + FUSE_SENTINEL.length;
  expect(bytes[start]).toBe(FUSE_WIRE_VERSION);
  const length = bytes[start + 1]!;
  return Object.fromEntries(FUSES.slice(0, length).map((name, i) => [name, bytes[start + 2 + i] === FUSE_ON] as const));
}

function electronBuilder(args: string[]): Promise<void> {
  const cli = path.join(REPO_ROOT, 'node_modules', 'electron-builder', 'cli.js');
  return new Promise((resolve, reject) => {
    let output = '';
    const child = spawn(process.execPath, [cli, ...args], {
      cwd: REPO_ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, CSC_IDENTITY_AUTO_DISCOVERY: 'false' },
    });
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0
        ? resolve()
        : reject(new Error(`electron-builder ${args.join(' ')} failed (exit ${code}):\n${output}`)),
    );
  });
}
