/**
 * The desktop app's own settings (`<userData>/settings.json`): what it was set
 * up to do, whether notifications are muted, and where its window was. Small
 * and rarely written, so each change rewrites the whole file the way the hub
 * writes its registry: a crash or power cut leaves the old file or the new
 * one, never half, and a change is reported saved only once it is durable.
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { MutedSchema, SetupSchema } from '../../shared/desktop';
import { runMigrations, type VersionedSchema } from '../../shared/util/migrations';
import { SerialQueue } from '../../shared/util/SerialQueue';
import { describeMadePrivate, makeEntryPrivate, PRIVATE_DIR_MODE, PRIVATE_FILE_MODE } from '../hub/privateFiles';
import { nodeDurableFs, writeFileDurably, type DurableFs } from '../hub/registry/durableWrite';
import { isLoopbackHost, joinedHubUrl } from './joinedHub';

export const SETTINGS_FILE_NAME = 'settings.json';
/** 2: a joined hub is reached over `wss://` (loopback aside) and carries the identity pinned for it. */
export const SETTINGS_SCHEMA_VERSION = 2;

export const WindowBoundsSchema = z.object({
  x: z.int(),
  y: z.int(),
  width: z.int().min(1),
  height: z.int().min(1),
  maximized: z.boolean(),
});
export type WindowBounds = z.infer<typeof WindowBoundsSchema>;

/** A joined hub off this computer is reached only over TLS: a plain address there could be anyone. */
const StoredSetupSchema = SetupSchema.refine(
  (setup) => setup.mode !== 'join' || setup.hubUrl.startsWith('wss:') || isLoopbackHost(new URL(setup.hubUrl).hostname),
  { message: 'a hub on another computer must be joined over wss://', path: ['hubUrl'] },
);

export const SettingsSchema = z.object({
  schemaVersion: z.literal(SETTINGS_SCHEMA_VERSION),
  setup: StoredSetupSchema,
  muted: MutedSchema,
  windowBounds: WindowBoundsSchema.optional(),
});
export type Settings = z.infer<typeof SettingsSchema>;

export const DEFAULT_SETTINGS: Settings = {
  schemaVersion: SETTINGS_SCHEMA_VERSION,
  setup: { mode: 'unset' },
  muted: false,
};

export type SettingsStoreOptions = {
  /** The app's user-data folder; the file is `settings.json` in it. */
  dir: string;
  /** Told once when the file exists but cannot be used (the defaults are used instead). */
  warn?: (message: string) => void;
  /** File operations on settings.json; tests record their order. */
  fs?: DurableFs;
};

/**
 * 1 → 2: a joined hub's `ws://` address becomes `wss://` (hubs answer plain HTTP from the LAN only with 426),
 * with no identity: nothing was pinned then, so the app asks which hub to join again and shows its identity
 * (DesktopServices.hubUrl). Its device credentials are kept (the renderer keys them by host and port).
 */
function pinJoinedHubOverTls(data: Record<string, unknown>): Record<string, unknown> {
  const setup = data.setup as { mode?: unknown; hubUrl?: unknown } | undefined;
  if (setup?.mode !== 'join' || typeof setup.hubUrl !== 'string' || !/^wss?:\/\/[^/]/.test(setup.hubUrl)) return data;
  let hubUrl: string;
  try {
    hubUrl = joinedHubUrl(setup.hubUrl);
  } catch {
    return data; // the schema says what is wrong with it
  }
  return { ...data, setup: { mode: 'join', hubUrl } };
}

/**
 * Older files are brought to the current shape one version at a time by
 * shared/util/migrations.ts: `steps[n]` upgrades version n to n + 1.
 * Anything else (another app's JSON, a newer version) is not ours to read.
 */
const SETTINGS_VERSIONS: VersionedSchema<Settings> = {
  current: SETTINGS_SCHEMA_VERSION,
  steps: { 1: pinJoinedHubOverTls },
  schema: SettingsSchema,
  wording: { root: 'the file' },
};

export class SettingsStore {
  private readonly writes = new SerialQueue();

  private constructor(
    private readonly file: string,
    private readonly fs: DurableFs,
    private current: Settings,
  ) {}

  /** Reads the file; a missing one gives the defaults silently, an unusable one with one warning. */
  static async open(options: SettingsStoreOptions): Promise<SettingsStore> {
    const file = path.join(options.dir, SETTINGS_FILE_NAME);
    const fs = options.fs ?? nodeDurableFs;
    await makeOwnFilesPrivate(options.dir, file, options.warn);
    const loaded = await load(fs, file);
    if (loaded.ok) return new SettingsStore(file, fs, loaded.settings);
    if (loaded.problem)
      options.warn?.(
        `Ignoring ${file} (${loaded.problem}); using default settings. It will be replaced on the next change.`,
      );
    return new SettingsStore(file, fs, DEFAULT_SETTINGS);
  }

  get(): Settings {
    return this.current;
  }

  /** Applies the change at once in memory; resolves when it is on disk. Writes happen one at a time, in order. */
  update(patch: Partial<Omit<Settings, 'schemaVersion'>>): Promise<void> {
    this.current = SettingsSchema.parse({ ...this.current, ...patch });
    const snapshot = this.current;
    // One failed write does not block later ones; the caller of this update still sees its failure.
    return this.writes.run(() => this.write(`${JSON.stringify(snapshot, null, 2)}\n`));
  }

  /** Waits for every write started so far. */
  flush(): Promise<void> {
    return this.writes.idle();
  }

  private async write(text: string): Promise<void> {
    // Which hub it joins and how is this user's business only; the folder also holds the hosted hub's data.
    await mkdir(path.dirname(this.file), { recursive: true, mode: PRIVATE_DIR_MODE });
    await writeFileDurably(this.file, text, { fs: this.fs, mode: PRIVATE_FILE_MODE });
  }
}

/**
 * The user-data folder and settings.json as an older version may have left them (the folder made with the umask's
 * mode when ROOST_USER_DATA named a new one): made private quietly, since nothing else changes for the user; only
 * a failure is worth a warning. Not walked: Chromium keeps its own files in it, and the hosted hub makes its own
 * folder private when it starts (makePrivate).
 */
async function makeOwnFilesPrivate(dir: string, file: string, warn?: (message: string) => void): Promise<void> {
  const failed = [...(await makeEntryPrivate(dir)).failed, ...(await makeEntryPrivate(file)).failed];
  const line = describeMadePrivate(dir, { changed: [], failed });
  if (line) warn?.(line);
}

type Loaded = { ok: true; settings: Settings } | { ok: false; problem?: string };

async function load(fs: DurableFs, file: string): Promise<Loaded> {
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    return code === 'ENOENT' ? { ok: false } : { ok: false, problem: `cannot read it: ${code ?? String(err)}` };
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return { ok: false, problem: 'not valid JSON' };
  }
  const loaded = runMigrations(raw, SETTINGS_VERSIONS);
  if (loaded.ok) return { ok: true, settings: loaded.value };
  return { ok: false, problem: loaded.problem === 'newer' ? loaded.reason : `not Roost settings: ${loaded.reason}` };
}
