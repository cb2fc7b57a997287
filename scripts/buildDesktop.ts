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
 * Run: `npm run build:desktop` (the web client is built separately: `npm run build:web`).
 */
import { copyFile, mkdir, rm } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type BuildOptions } from 'rolldown';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const OUT = path.join(ROOT, 'dist', 'main');
const TRAY_ICONS = ['tray.png', 'tray@2x.png'];

function bundle(entry: string, file: string, external: string[]): BuildOptions {
  return {
    input: path.join(ROOT, entry),
    platform: 'node',
    external,
    tsconfig: path.join(ROOT, 'tsconfig.node.json'),
    logLevel: 'warn',
    output: { file: path.join(OUT, file), format: 'cjs', sourcemap: true },
  };
}

export async function buildDesktop(): Promise<void> {
  await rm(OUT, { recursive: true, force: true });
  await mkdir(OUT, { recursive: true });
  await build(bundle('main/electron/main.ts', 'main.cjs', ['electron', 'bufferutil', 'utf-8-validate']));
  await build(bundle('main/electron/preload.ts', 'preload.cjs', ['electron']));
  for (const icon of TRAY_ICONS) {
    const from = path.join(ROOT, 'build', 'icons', icon);
    // The app falls back to an empty tray image without them; a build on a checkout without icons still works.
    if (existsSync(from)) await copyFile(from, path.join(OUT, icon));
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  buildDesktop().then(
    () => console.log(`roost: desktop bundles written to ${path.relative(ROOT, OUT)}/`),
    (err: unknown) => {
      console.error(`roost: the desktop build failed: ${err instanceof Error ? err.message : String(err)}`);
      process.exit(1);
    },
  );
}
