/**
 * Electron's fuses as electron-builder.yml sets them, and a check that a packed app carries exactly
 * those. The package layout test runs it on the stand-in Electron here; the GitHub workflow's
 * packaging job runs it on the real app of each platform:
 *
 *   tsx scripts/packedFuses.ts release      checks every unpacked app under release/
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { FuseState, FuseV1Options, getCurrentFuseWire } from '@electron/fuses';
import yaml from 'js-yaml';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** electron-builder's `electronFuses` keys, by the fuse each one sets. */
const CONFIG_KEYS: Record<string, FuseV1Options> = {
  runAsNode: FuseV1Options.RunAsNode,
  enableCookieEncryption: FuseV1Options.EnableCookieEncryption,
  enableNodeOptionsEnvironmentVariable: FuseV1Options.EnableNodeOptionsEnvironmentVariable,
  enableNodeCliInspectArguments: FuseV1Options.EnableNodeCliInspectArguments,
  enableEmbeddedAsarIntegrityValidation: FuseV1Options.EnableEmbeddedAsarIntegrityValidation,
  onlyLoadAppFromAsar: FuseV1Options.OnlyLoadAppFromAsar,
  loadBrowserProcessSpecificV8Snapshot: FuseV1Options.LoadBrowserProcessSpecificV8Snapshot,
  grantFileProtocolExtraPrivileges: FuseV1Options.GrantFileProtocolExtraPrivileges,
};

/** The fuses electron-builder.yml sets, by @electron/fuses' name: true on, false off. */
export function configuredFuses(configFile = path.join(REPO, 'electron-builder.yml')): Record<string, boolean> {
  const config = yaml.load(readFileSync(configFile, 'utf8')) as { electronFuses?: Record<string, unknown> };
  const fuses: Record<string, boolean> = {};
  for (const [key, value] of Object.entries(config.electronFuses ?? {})) {
    const fuse = CONFIG_KEYS[key];
    // resetAdHocDarwinSignature is an instruction to electron-builder, not a fuse.
    if (fuse === undefined || typeof value !== 'boolean') continue;
    fuses[FuseV1Options[fuse]] = value;
  }
  return fuses;
}

/** Where a fuse in `expected` differs in the packed executable or app bundle, one line each. */
export async function fuseMismatches(app: string, expected = configuredFuses()): Promise<string[]> {
  const wire = await getCurrentFuseWire(app);
  return Object.entries(expected).flatMap(([name, on]) => {
    const state = wire[FuseV1Options[name as keyof typeof FuseV1Options]];
    const actual = state === FuseState.ENABLE ? true : state === FuseState.DISABLE ? false : undefined;
    return actual === on ? [] : [`${app}: ${name} is ${actual ?? 'absent'}, electron-builder.yml sets ${on}`];
  });
}

/** The unpacked apps electron-builder leaves under release/ on each platform. */
function unpackedApps(release: string): string[] {
  const found = [path.join(release, 'linux-unpacked', 'roost'), path.join(release, 'win-unpacked', 'Roost.exe')];
  for (const dir of existsSync(release) ? readdirSync(release) : []) {
    if (dir.startsWith('mac')) found.push(path.join(release, dir, 'Roost.app'));
  }
  return found.filter((app) => existsSync(app));
}

async function main(release: string): Promise<void> {
  const apps = unpackedApps(release);
  if (apps.length === 0) throw new Error(`no unpacked app under ${release}`);
  const problems = (await Promise.all(apps.map((app) => fuseMismatches(app)))).flat();
  for (const line of problems) console.error(line);
  if (problems.length > 0) process.exit(1);
  console.log(`fuses as configured in: ${apps.join(', ')}`);
}

if (process.argv[1] && path.resolve(process.argv[1]) === import.meta.filename) await main(process.argv[2] ?? 'release');
