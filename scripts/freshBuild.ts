import { spawn } from 'node:child_process';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { mtimeOf, newestMtime } from '../main/cli/fileTimes';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Each part of dist/: what it is built from, what proves it was built, and the script that builds it. */
const PARTS = [
  {
    name: 'web client',
    sources: ['renderer', 'shared', 'vite.config.ts'],
    outputs: ['dist/renderer/index.html'],
    script: 'build:web',
  },
  {
    name: 'main process and preload',
    sources: ['main', 'shared', 'scripts/buildDesktop.ts', 'build/icons'],
    outputs: ['dist/main/main.cjs', 'dist/main/preload.cjs'],
    script: 'build:desktop',
  },
] as const;

/**
 * Rebuilds each part of dist/ that is missing or older than its sources (test
 * files aside), with the same npm script `npm run build` runs, so what is
 * checked is what `npm run dist` would pack.
 */
export async function ensureBuilt(log: (line: string) => void): Promise<void> {
  for (const part of PARTS) {
    const newestSource = await newestMtime(
      part.sources.map((p) => path.join(REPO_ROOT, p)),
      /\.test\.[jt]sx?$/,
    );
    const outputTimes = await Promise.all(part.outputs.map((p) => mtimeOf(path.join(REPO_ROOT, p))));
    const oldestOutput = Math.min(...outputTimes);
    if (oldestOutput > 0 && oldestOutput >= newestSource) continue;
    log(`${oldestOutput === 0 ? 'building' : 'rebuilding'} the ${part.name} (npm run ${part.script})`);
    await run('npm', ['run', part.script]);
  }
}

/** Every file under dist/main and dist/renderer, repo-relative and `/`-separated. */
export async function builtFiles(): Promise<string[]> {
  const files: string[] = [];
  for (const dir of ['dist/main', 'dist/renderer']) {
    const entries = await readdir(path.join(REPO_ROOT, dir), { recursive: true, withFileTypes: true });
    for (const e of entries)
      if (e.isFile()) files.push(path.relative(REPO_ROOT, path.join(e.parentPath, e.name)).split(path.sep).join('/'));
  }
  return files;
}

function run(command: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    let output = '';
    const child = spawn(command, args, {
      cwd: REPO_ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
      shell: process.platform === 'win32',
    });
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`${command} ${args.join(' ')} failed (exit ${code}):\n${output}`)),
    );
  });
}
