/** How big the file benchmark is (`--only=files`, `--file-size=`, `BENCH_FILE_SIZE`). */
export type FilesConfig = {
  /** Bytes of the large file, uploaded to and downloaded from the hub and the peer in each run. */
  fileBytes: number;
  /** Timed runs of the large file per server, interleaved (after one untimed warm-up). */
  runs: number;
  /** Bytes per PATCH: the web client's chunk (UPLOAD_CHUNK_BYTES in renderer/files/uploadFile.ts). */
  chunkBytes: number;
  images: {
    count: number;
    /** Each image's size is spread evenly between these, deterministically. */
    minBytes: number;
    maxBytes: number;
    /** Downloads at once, as a browser opens 6 connections to one host over HTTP/1.1. */
    concurrency: number;
    /** Timed catch-ups of the same messages, each on a fresh connection and file session. */
    runs: number;
  };
};

const MiB = 1024 * 1024;

export const FILES_FULL: FilesConfig = {
  fileBytes: 1024 * MiB,
  runs: 5,
  chunkBytes: 16 * MiB,
  images: { count: 100, minBytes: 50_000, maxBytes: 200_000, concurrency: 6, runs: 5 },
};

export const FILES_QUICK: FilesConfig = {
  ...FILES_FULL,
  fileBytes: 64 * MiB,
  runs: 3,
  images: { ...FILES_FULL.images, runs: 2 },
};

const UNITS: Record<string, number> = { '': 1, b: 1, kb: 1e3, mb: 1e6, gb: 1e9, kib: 1024, mib: MiB, gib: 1024 * MiB };

/** `65536`, `64MiB`, `1GiB`, `500MB` (case ignored) as bytes; throws on anything else, naming it. */
export function parseByteSize(text: string): number {
  const match = /^(\d+(?:\.\d+)?)\s*([a-z]*)$/i.exec(text.trim());
  const unit = match ? UNITS[match[2]!.toLowerCase()] : undefined;
  const bytes = match && unit !== undefined ? Math.round(Number(match[1]) * unit) : NaN;
  if (!Number.isSafeInteger(bytes) || bytes < 1)
    throw new Error(`file size "${text}": give bytes, or a number with KB, MB, GB, KiB, MiB or GiB (e.g. 64MiB)`);
  return bytes;
}

/** The mode's sizes, with the large file's size from `--file-size=` or else `BENCH_FILE_SIZE`. */
export function filesConfigFor(quick: boolean, args: readonly string[], env: NodeJS.ProcessEnv): FilesConfig {
  const config = quick ? FILES_QUICK : FILES_FULL;
  const size = args.find((a) => a.startsWith('--file-size='))?.slice(12) ?? env.BENCH_FILE_SIZE;
  return size === undefined ? config : { ...config, fileBytes: parseByteSize(size) };
}

export function describeFilesConfig(c: FilesConfig): string {
  return (
    `file ${formatSize(c.fileBytes)} in ${formatSize(c.chunkBytes)} PATCHes, ${c.runs} runs; ` +
    `${c.images.count} images of ${c.images.minBytes / 1000}-${c.images.maxBytes / 1000} KB, ` +
    `${c.images.concurrency} at a time, ${c.images.runs} runs`
  );
}

/** 1 GiB, 64 MiB, 1.5 MiB, 300 B. */
export function formatSize(bytes: number): string {
  for (const [unit, size] of [
    ['GiB', 1024 * MiB],
    ['MiB', MiB],
    ['KiB', 1024],
  ] as const) {
    if (bytes >= size) return `${Number((bytes / size).toFixed(2))} ${unit}`;
  }
  return `${bytes} B`;
}
