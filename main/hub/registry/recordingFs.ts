/**
 * Test support: a DurableFs over the real one that records every call, so a
 * test can check the order of writes and fsyncs, and can hold a call (a
 * pending directory fsync) or fail it (ENOSPC) before it reaches the disk.
 */
import path from 'node:path';
import { nodeDurableFs, type DurableFileHandle, type DurableFs } from './durableWrite';

export type FsCall = {
  op: 'open' | 'write' | 'sync' | 'close' | 'rename' | 'unlink' | 'readFile' | 'chmod';
  path: string;
  to?: string;
  flags?: string;
  mode?: number;
  /** For writes: the bytes asked to be written, as text. */
  text?: string;
};

/** Runs before the call reaches the real file system: throw to fail it, return a promise to hold it. */
export type BeforeCall = (call: FsCall) => void | Promise<void>;

export type RecordingFs = DurableFs & {
  calls: FsCall[];
  /** The calls as short lines: `dir` for the directory, `tmp` for any temp file, other files by name. */
  trace: () => string[];
  /** Adds a line to the trace, so a test can see where something happened between calls. */
  mark: (line: string) => void;
};

export function errnoError(code: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`${code} (injected by the test)`), { code });
}

export function recordingFs(dir: string, before: BeforeCall = () => {}, real: DurableFs = nodeDurableFs): RecordingFs {
  const calls: FsCall[] = [];
  const lines: string[] = [];
  const label = (p: string) => (p === dir ? 'dir' : p.endsWith('.tmp') ? 'tmp' : path.relative(dir, p));

  async function record(call: FsCall): Promise<void> {
    calls.push(call);
    const mode = call.mode === undefined ? '' : ` ${call.mode.toString(8)}`;
    const to = call.to === undefined ? '' : ` ${label(call.to)}`;
    lines.push(`${call.op} ${label(call.path)}${to}${call.flags ? ` ${call.flags}` : ''}${mode}`);
    await before(call);
  }

  function wrap(file: string, handle: DurableFileHandle): DurableFileHandle {
    return {
      async write(buffer, offset, length, position) {
        const text = Buffer.from(buffer.subarray(offset, offset + length)).toString('utf8');
        await record({ op: 'write', path: file, text });
        return handle.write(buffer, offset, length, position);
      },
      async sync() {
        await record({ op: 'sync', path: file });
        return handle.sync();
      },
      async close() {
        await record({ op: 'close', path: file });
        return handle.close();
      },
    };
  }

  return {
    calls,
    trace: () => [...lines],
    mark: (line) => lines.push(line),
    async open(file, flags, mode) {
      await record({ op: 'open', path: file, flags, ...(mode === undefined ? {} : { mode }) });
      return wrap(file, await real.open(file, flags, mode));
    },
    async rename(from, to) {
      await record({ op: 'rename', path: from, to });
      return real.rename(from, to);
    },
    async unlink(file) {
      await record({ op: 'unlink', path: file });
      return real.unlink(file);
    },
    async readFile(file, encoding) {
      await record({ op: 'readFile', path: file });
      return real.readFile(file, encoding);
    },
    async chmod(file, mode) {
      await record({ op: 'chmod', path: file, mode });
      return real.chmod(file, mode);
    },
  };
}

/**
 * Holds the first call that matches in flight until `release()`; `reached`
 * resolves when that call has been asked for.
 */
export function holdAt(matches: (call: FsCall) => boolean): {
  before: BeforeCall;
  reached: Promise<void>;
  release: () => void;
} {
  let reach = () => {};
  let release = () => {};
  const reached = new Promise<void>((resolve) => {
    reach = resolve;
  });
  const released = new Promise<void>((resolve) => {
    release = resolve;
  });
  let held = false;
  return {
    reached,
    release,
    before(call) {
      if (held || !matches(call)) return;
      held = true;
      reach();
      return released;
    },
  };
}

/** Whether a promise settles within `ms` (false: still pending then). */
export async function settlesWithin(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let settled = false;
  const note = () => {
    settled = true;
  };
  promise.then(note, note);
  await new Promise((resolve) => setTimeout(resolve, ms));
  return settled;
}
