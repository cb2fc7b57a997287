import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';

/**
 * Private network namespaces for tests that need a real network between processes (a capture, someone in
 * the middle): created by the test, joined by veth pairs made straight inside them, so nothing ever touches
 * this machine's own interfaces. Root and iproute2 only; otherwise the test skips with the reason.
 */
export function netnsUnavailableReason(): string | undefined {
  if (process.platform !== 'linux') return 'not Linux';
  if (process.getuid?.() !== 0) return 'not root (network namespaces need it)';
  const probe = spawnSync('sh', ['-c', 'command -v ip && ip netns list'], { stdio: 'ignore' });
  return probe.status === 0 ? undefined : '`ip netns` (iproute2) is unavailable';
}

export const REPO_ROOT = fileURLToPath(new URL('../../..', import.meta.url));

export function sh(script: string): { ok: boolean; output: string } {
  const result = spawnSync('sh', ['-c', script], { encoding: 'utf8' });
  return { ok: result.status === 0, output: `${result.stdout}${result.stderr}` };
}

/** Unique per run; interface names must fit in 15 bytes. */
export const runSuffix = `${process.pid.toString(36)}${randomBytes(2).toString('hex')}`.slice(-6);

export type Link = { a: string; aAddr: string; b: string; bAddr: string };

/** Namespaces `names`, and a veth pair per link with /24 addresses; returns the teardown. Throws with ip's output. */
export function createNetwork(names: string[], links: Link[]): () => void {
  const lines = ['set -e', ...names.map((n) => `ip netns add ${n}; ip -n ${n} link set lo up`)];
  links.forEach((link, i) => {
    const [va, vb] = [`va${i}${runSuffix}`, `vb${i}${runSuffix}`];
    lines.push(
      `ip -n ${link.a} link add ${va} type veth peer name ${vb} netns ${link.b}`,
      `ip -n ${link.a} addr add ${link.aAddr}/24 dev ${va}; ip -n ${link.a} link set ${va} up`,
      `ip -n ${link.b} addr add ${link.bAddr}/24 dev ${vb}; ip -n ${link.b} link set ${vb} up`,
    );
  });
  const teardown = () => void sh(names.map((n) => `ip netns del ${n} 2>/dev/null`).join('; ') + '; true');
  const setup = sh(lines.join('\n'));
  if (!setup.ok) {
    teardown();
    throw new Error(`could not create the network namespaces: ${setup.output}`);
  }
  return teardown;
}

/** The veth end in `namespace` of link number `index` (for tcpdump -i). */
export function vethOf(index: number, side: 'a' | 'b'): string {
  return `v${side}${index}${runSuffix}`;
}

export type Line = Record<string, unknown> & { event: string };

/** A process in a namespace (`ip netns exec`), its stdout read as JSON lines, its stdin open for commands. */
export class NsProcess {
  readonly lines: Line[] = [];
  private output = '';
  private exited: string | undefined;
  private readonly waiters = new Set<() => void>();
  private readonly child: ChildProcess;
  readonly done: Promise<void>;

  constructor(namespace: string, command: string[], waitMs = 30_000) {
    this.waitMs = waitMs;
    this.child = spawn('ip', ['netns', 'exec', namespace, ...command], {
      cwd: REPO_ROOT,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let partial = '';
    this.child.stdout!.on('data', (chunk: Buffer) => {
      this.output += chunk.toString();
      const parts = (partial + chunk.toString()).split('\n');
      partial = parts.pop()!;
      for (const part of parts) if (part.startsWith('{')) this.lines.push(JSON.parse(part) as Line);
      this.wake();
    });
    this.child.stderr!.on('data', (chunk: Buffer) => {
      this.output += chunk.toString();
      this.wake();
    });
    this.done = new Promise((resolve) =>
      this.child.on('exit', (code, signal) => {
        this.exited = `exited (code ${code}, signal ${signal})`;
        this.wake();
        resolve();
      }),
    );
  }

  private readonly waitMs: number;

  /** A TypeScript probe run with tsx. */
  static tsx(namespace: string, script: string, args: string[], waitMs?: number): NsProcess {
    return new NsProcess(namespace, [process.execPath, '--import', 'tsx', script, ...args], waitMs);
  }

  /** Index of the next line: pass to waitFor to look only at what comes after now. */
  mark(): number {
    return this.lines.length;
  }

  send(line: string): void {
    this.child.stdin!.write(`${line}\n`);
  }

  /**
   * Waits for a JSON line from index `from` on that matches (or, with `text`, for output containing it); fails
   * with the process's output on exit or timeout.
   */
  waitFor(what: string, matches: (line: Line) => boolean, from?: number): Promise<Line>;
  waitFor(what: string, matches: { text: string }): Promise<undefined>;
  waitFor(what: string, matches: ((line: Line) => boolean) | { text: string }, from = 0): Promise<Line | undefined> {
    return new Promise((resolve, reject) => {
      const check = () => {
        if ('text' in matches) {
          if (this.output.includes(matches.text)) return done(() => resolve(undefined));
        } else {
          const found = this.lines.slice(from).find(matches);
          if (found) return done(() => resolve(found));
        }
        if (this.exited) done(() => reject(new Error(`${this.exited} before ${what}:\n${this.output.slice(-4000)}`)));
      };
      const timer = setTimeout(
        () => done(() => reject(new Error(`timed out waiting for ${what}:\n${this.output.slice(-4000)}`))),
        this.waitMs,
      );
      const done = (settle: () => void) => {
        clearTimeout(timer);
        this.waiters.delete(check);
        settle();
      };
      this.waiters.add(check);
      check();
    });
  }

  signal(signal: NodeJS.Signals): void {
    if (!this.exited) this.child.kill(signal);
  }

  async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    this.signal(signal);
    await this.done;
  }

  private wake(): void {
    // A Set may lose entries while iterated: a waiter that settles removes itself.
    for (const waiter of this.waiters) waiter();
  }
}
