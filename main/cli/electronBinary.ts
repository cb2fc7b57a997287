import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

/** Fetches the binary where the internet is reachable: the electron package's own install step, as CI runs it. */
const INSTALL_COMMAND = 'node node_modules/electron/install.js';

/**
 * The Electron binary's path, or why there is none, without downloading it.
 *
 * Since Electron 42, `require('electron')` downloads the binary when it is
 * missing (synchronously, printing to the console) instead of throwing, so this
 * reads what that module would return: `path.txt`, written by the electron
 * package's install step, names the executable inside `dist/`, and
 * ELECTRON_OVERRIDE_DIST_PATH replaces that folder. The download itself stays
 * an explicit step (INSTALL_COMMAND); .npmrc skips install scripts.
 */
export function findElectronBinary(
  options: { packageDir?: string; env?: NodeJS.ProcessEnv } = {},
): { path: string } | { missing: string } {
  const env = options.env ?? process.env;
  let packageDir = options.packageDir;
  if (packageDir === undefined) {
    try {
      packageDir = path.dirname(createRequire(import.meta.url).resolve('electron/package.json'));
    } catch {
      return { missing: 'the electron package is not installed (npm ci)' };
    }
  }
  let executable: string | undefined;
  try {
    executable = readFileSync(path.join(packageDir, 'path.txt'), 'utf8');
  } catch {
    // No path.txt: the install step never ran, unless an override folder says where Electron is.
  }
  const override = env.ELECTRON_OVERRIDE_DIST_PATH;
  const found = override
    ? path.join(override, executable || 'electron')
    : executable && path.join(packageDir, 'dist', executable);
  if (found && existsSync(found)) return { path: found };
  return {
    missing: override
      ? `no Electron binary at ${found} (ELECTRON_OVERRIDE_DIST_PATH)`
      : `the Electron binary is not downloaded (\`${INSTALL_COMMAND}\` fetches it; that needs the internet)`,
  };
}
