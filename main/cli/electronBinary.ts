import { createRequire } from 'node:module';

/**
 * The Electron binary's path, or why there is none. The electron package
 * exports the path once its install step has downloaded the binary, and
 * throws otherwise; that download is skipped here (.npmrc ignore-scripts).
 */
export function findElectronBinary(): { path: string } | { missing: string } {
  try {
    const found: unknown = createRequire(import.meta.url)('electron');
    if (typeof found === 'string' && found.length > 0) return { path: found };
    return { missing: 'the electron package did not report a binary' };
  } catch {
    return {
      missing: 'the Electron binary is not installed (its download needs the internet and is skipped at install time)',
    };
  }
}
