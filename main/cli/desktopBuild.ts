/**
 * Builds the desktop app's main-process bundles with rolldown:
 *
 *   main/electron/main.ts    → dist/main/main.cjs     (Electron's entry, package.json "main")
 *   main/electron/preload.ts → dist/main/preload.cjs  (the sandboxed preload)
 *
 * Both are CommonJS: Electron loads a sandboxed preload only as a script, and
 * main is CJS to match. Everything is bundled except electron itself (and
 * ws's optional native add-ons, which ws does without), so the packaged app
 * needs no node_modules. The tray icons are copied beside the bundles.
 *
 * Here, beside webBuild.ts, because `npm start` rebuilds the bundles before it
 * launches Electron; `npm run build:desktop` runs it through scripts/buildDesktop.ts.
 */
import { existsSync } from 'node:fs';
import { copyFile, mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { build, type BuildOptions } from 'rolldown';
import { REPO_ROOT } from './webBuild';

export const DESKTOP_BUILD_DIR = path.join(REPO_ROOT, 'dist', 'main');
const TRAY_ICONS = ['tray.png', 'tray@2x.png'];

function bundle(entry: string, file: string, external: string[]): BuildOptions {
  return {
    input: path.join(REPO_ROOT, entry),
    platform: 'node',
    external,
    tsconfig: path.join(REPO_ROOT, 'tsconfig.node.json'),
    logLevel: 'warn',
    output: { file: path.join(DESKTOP_BUILD_DIR, file), format: 'cjs', sourcemap: true },
  };
}

export async function buildDesktop(): Promise<void> {
  await rm(DESKTOP_BUILD_DIR, { recursive: true, force: true });
  await mkdir(DESKTOP_BUILD_DIR, { recursive: true });
  await build(bundle('main/electron/main.ts', 'main.cjs', ['electron', 'bufferutil', 'utf-8-validate']));
  await build(bundle('main/electron/preload.ts', 'preload.cjs', ['electron']));
  for (const icon of TRAY_ICONS) {
    const from = path.join(REPO_ROOT, 'build', 'icons', icon);
    // The app falls back to an empty tray image without them; a build on a checkout without icons still works.
    if (existsSync(from)) await copyFile(from, path.join(DESKTOP_BUILD_DIR, icon));
  }
}
