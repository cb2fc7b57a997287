/**
 * Everything the desktop app and its hosted hub write is private to the user:
 * folders 0700, files 0600, whatever the umask. The hub's data holds every
 * message and who may connect; settings.json says which hub this is.
 */
import { chmod, lstat, readdir } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cleanupsAfterEach } from '../hub/testing/cleanups';
import { expectPaired } from '../hub/testing/devicePairing';
import { TestClient } from '../hub/testing/TestClient';
import { makeTempDir, quietLogger } from '../hub/testing/testHub';
import type { HubLogger } from '../hub/HubContext';
import { Hub } from '../hub/Hub';
import { HUB_DATA_DIR_NAME } from './DesktopServices';
import { SettingsStore } from './SettingsStore';

const cleanups = cleanupsAfterEach();
const posix = process.platform !== 'win32';

let umask: number;
beforeEach(() => {
  // The usual default, under which plain writes come out group- and world-readable.
  umask = process.umask(0o022);
});
afterEach(() => {
  process.umask(umask);
});

/** What the desktop app writes in its user-data folder: settings.json, and the hosted hub's data in `hub/`. */
async function openDesktop(userDataDir: string, logger: HubLogger = quietLogger): Promise<Hub> {
  const settings = await SettingsStore.open({ dir: userDataDir, warn: (m) => logger.warn(m) });
  await settings.update({ setup: { mode: 'host', hosting: { name: 'Home', port: 0 } } });
  await settings.update({ windowBounds: { x: 0, y: 0, width: 800, height: 600, maximized: false } });
  const hub = await Hub.start({
    dataDir: path.join(userDataDir, HUB_DATA_DIR_NAME),
    port: 0,
    host: '127.0.0.1',
    logger,
    // A sparse-index entry per message and a new segment every few: every kind of log file gets written.
    log: { indexInterval: 1, segmentBytes: 512 },
  });
  cleanups.push(() => hub.stop());
  return hub;
}

/** Pairs a user with a join token (they work whether or not pairing is open) and sends `count` messages. */
async function chat(hub: Hub, count: number): Promise<void> {
  const client = await TestClient.connect(hub.port);
  cleanups.push(() => client.close());
  await client.hello();
  await expectPaired(client, {
    credential: { kind: 'joinToken', token: hub.createJoinToken().token, displayName: 'Ann' },
    device: { name: 'Ann laptop', platform: 'linux' },
  });
  for (let i = 0; i < count; i++) {
    await client.expect(
      { type: 'send', conversationId: 'general', clientMsgId: `message-${i}-xxxxxx`, text: `hello number ${i}` },
      'ack',
    );
  }
}

/** Every entry under `root` (itself included) with its permission bits, as "relative/path 700". */
async function modes(root: string): Promise<string[]> {
  const out: string[] = [];
  const walk = async (dir: string): Promise<void> => {
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      const mode = (await lstat(full)).mode & 0o777;
      out.push(`${path.relative(root, full)} ${mode.toString(8)}`);
      if (entry.isDirectory()) await walk(full);
    }
  };
  out.push(`. ${((await lstat(root)).mode & 0o777).toString(8)}`);
  await walk(root);
  return out.sort();
}

/** What versions before issue #13 wrote in the user-data folder (newer files are created private). */
const OLD_VERSION_WROTE = /^(\.|settings\.json|hub|hub\/(hub\.lock|registry\.json|messages(\/.*)?))$/;

const isPrivate = (line: string) => line.endsWith(' 700') || line.endsWith(' 600');

describe.skipIf(!posix)('file modes', () => {
  it('a hosting desktop creates every folder 0700 and every file 0600 under umask 022', async () => {
    const temp = await makeTempDir('roost-modes-');
    cleanups.push(temp.remove);
    const userData = path.join(temp.dir, 'profile');
    await chat(await openDesktop(userData), 12);
    const seen = await modes(userData);
    // Every kind of file is there: settings, lock, registry, log format, segments and their indexes.
    for (const name of [/^settings\.json /, /^hub\/hub\.lock /, /^hub\/registry\.json /, /log-format\.json /]) {
      expect(seen.some((line) => name.test(line))).toBe(true);
    }
    expect(seen.filter((line) => line.endsWith('.idx 600')).length).toBeGreaterThan(1);
    expect(seen.filter((line) => line.endsWith('.jsonl 600')).length).toBeGreaterThan(1);
    expect(seen.filter((line) => !isPrivate(line))).toEqual([]);
    expect(seen.filter((line) => /\.(jsonl|idx|json|lock) /.test(line)).every((l) => l.endsWith(' 600'))).toBe(true);
  });

  it('makes the files an older version left readable to others private at the next start, and says so', async () => {
    const temp = await makeTempDir('roost-modes-');
    cleanups.push(temp.remove);
    const userData = path.join(temp.dir, 'profile');
    const first = await openDesktop(userData);
    await chat(first, 4);
    await first.stop();
    // As a version before issue #13 left what it wrote: folders 0755, files 0644.
    for (const line of await modes(userData)) {
      const relative = line.slice(0, line.lastIndexOf(' '));
      if (!OLD_VERSION_WROTE.test(relative)) continue;
      const full = path.join(userData, relative);
      await chmod(full, (await lstat(full)).isDirectory() ? 0o755 : 0o644);
    }
    const warnings: string[] = [];
    await openDesktop(userData, { ...quietLogger, warn: (m) => warnings.push(m) });
    expect((await modes(userData)).filter((line) => !isPrivate(line))).toEqual([]);
    expect(warnings.join('\n')).toMatch(/private/);
  });
});
