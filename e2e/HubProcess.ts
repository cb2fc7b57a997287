import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/**
 * A real headless hub process (`npm run hub`'s entry point) on a free loopback
 * port with a temporary data directory. It can be stopped and started again on
 * the same port and data, as a user restarting their hub would.
 */
export class HubProcess {
  private child: ChildProcess | undefined;
  private output = '';
  private codeWaiters: Array<(code: string) => void> = [];
  port = 0;
  url = '';
  joinLink = '';
  code = '';
  /** The hub's identity, as its output prints it (52 characters, without the dashes). */
  identity = '';

  private constructor(readonly dataDir: string) {}

  static async start(): Promise<HubProcess> {
    const dataDir = await mkdtemp(path.join(tmpdir(), 'roost-e2e-'));
    const hub = new HubProcess(dataDir);
    await hub.launch(0);
    return hub;
  }

  /** Resolves with the next pairing code the hub prints (after the current one was used, or pairing reopened). */
  nextCode(): Promise<string> {
    return new Promise((resolve) => this.codeWaiters.push(resolve));
  }

  async restart(): Promise<void> {
    await this.stop();
    await this.launch(this.port);
  }

  async stop(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  }

  async dispose(): Promise<void> {
    await this.stop();
    await rm(this.dataDir, { recursive: true, force: true });
  }

  private launch(port: number): Promise<void> {
    this.output = '';
    this.code = '';
    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        'main/cli/hub.ts',
        '--port',
        String(port),
        '--host',
        '127.0.0.1',
        '--data-dir',
        this.dataDir,
        '--no-mdns',
        '--name',
        'E2E hub',
      ],
      { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] },
    );
    this.child = child;
    return new Promise((resolve, reject) => {
      child.once('exit', (code) => reject(new Error(`hub exited (${code}) before it was ready:\n${this.output}`)));
      child.stdout!.on('data', (chunk: Buffer) => {
        this.output += chunk.toString();
        this.readCodes(chunk.toString());
        const portMatch = /Listening on port (\d+)/.exec(this.output);
        if (portMatch) this.port = Number(portMatch[1]);
        const join = /join link \([^)]*\): (\S+)/.exec(this.output);
        if (join) this.joinLink = join[1]!;
        const identity = /Hub identity[^:]*: ([A-Z2-7-]+)/.exec(this.output);
        if (identity) this.identity = identity[1]!.replaceAll('-', '');
        // The hub opens pairing at start and prints the code: tests pair with it (pairWithCode).
        if (this.port && this.code && /Press Ctrl\+C/.test(this.output)) {
          this.url = `http://127.0.0.1:${this.port}/`;
          resolve();
        }
      });
    });
  }

  private readCodes(text: string): void {
    for (const m of text.matchAll(/Pairing code: (\d{3}) (\d{3})/g)) {
      this.code = `${m[1]}${m[2]}`;
      const waiters = this.codeWaiters;
      this.codeWaiters = [];
      for (const w of waiters) w(this.code);
    }
  }
}
