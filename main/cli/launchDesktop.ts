import { spawn } from 'node:child_process';
import { buildDesktop } from './desktopBuild';
import { ensureWebBuild, REPO_ROOT } from './webBuild';

/**
 * `npm start` with Electron present: builds what is stale (web client) or
 * cheap to rebuild (the main-process bundles), then runs the app on this
 * checkout and exits with its exit code.
 */
export async function launchDesktop(electronBinary: string, argv: string[]): Promise<void> {
  await ensureWebBuild((line) => console.log(`roost: ${line}`));
  await buildDesktop();
  const env = { ...process.env };
  // Set by some shells and tools; it would make Electron behave as plain Node and ignore the app.
  delete env.ELECTRON_RUN_AS_NODE;
  const child = spawn(electronBinary, [REPO_ROOT, ...argv], { stdio: 'inherit', env });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => child.kill(signal));
  await new Promise<void>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code, signal) => {
      process.exitCode = code ?? (signal ? 1 : 0);
      resolve();
    });
  });
}
