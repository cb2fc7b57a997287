import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { mtimeOf, newestMtime } from './fileTimes';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const WEB_BUILD_DIR = path.join(REPO_ROOT, 'dist', 'renderer');

/**
 * Makes sure the built web client exists and is newer than its sources, so
 * `npm run hub` serves a working client on a fresh checkout. Returns the
 * build folder, or undefined when this checkout has no web client.
 */
export async function ensureWebBuild(log: (line: string) => void): Promise<string | undefined> {
  const sources = path.join(REPO_ROOT, 'renderer');
  const newestSource = await newestMtime([
    sources,
    path.join(REPO_ROOT, 'shared'),
    path.join(REPO_ROOT, 'vite.config.ts'),
  ]);
  if (newestSource === 0) return undefined;
  const built = await mtimeOf(path.join(WEB_BUILD_DIR, 'index.html'));
  if (built >= newestSource) return WEB_BUILD_DIR;
  log(
    built === 0 ? 'Building the web client (first run, a few seconds)...' : 'Web client sources changed; rebuilding...',
  );
  await run(
    process.execPath,
    [path.join(REPO_ROOT, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--logLevel', 'warn'],
    REPO_ROOT,
  );
  return WEB_BUILD_DIR;
}

function run(command: string, args: string[], cwd: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, stdio: ['ignore', 'inherit', 'inherit'] });
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`web client build failed (exit ${code})`))));
  });
}
