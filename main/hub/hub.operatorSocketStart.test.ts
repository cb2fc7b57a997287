import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Hub } from './Hub';
import { operatorSocketPath } from './operator/operatorSocketPath';
import { makeTempDir, quietLogger } from './testing/testHub';

const posix = process.platform !== 'win32';
const MAX_CYCLES = 200;
const MAX_MS = 15_000;
/** Far longer than a stop takes; a stop that needs it is one that waits on a connection for good. */
const STOP_BOUND_MS = 5_000;

let temp: Awaited<ReturnType<typeof makeTempDir>>;

beforeEach(async () => {
  temp = await makeTempDir();
});

afterEach(async () => {
  await temp.remove();
});

/**
 * Another process of the hub's user (a CLI, a monitor retrying a command) connecting to the operator socket
 * over and over, whatever the hub is doing; it prints a line per connection the socket accepted.
 */
function spinner(socketPath: string, untilMs: number) {
  const code = `
    const net = require('node:net');
    const end = Date.now() + ${untilMs};
    (function loop() {
      if (Date.now() > end) process.exit(0);
      const s = net.connect(${JSON.stringify(socketPath)});
      s.on('connect', () => { process.stdout.write('c\\n'); s.write('{"id":"1","command":"users"}\\n'); });
      s.on('error', () => {});
      s.on('close', () => setImmediate(loop));
    })();`;
  const child = spawn(process.execPath, ['-e', code], { stdio: ['ignore', 'pipe', 'inherit'] });
  let connected = 0;
  child.stdout.on('data', (chunk: Buffer) => (connected += chunk.toString().split('\n').length - 1));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    connected: () => connected,
    stop: async () => {
      child.kill();
      await exited;
    },
  };
}

function within<T>(promise: Promise<T>, ms: number): Promise<T | 'timed out'> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timed out'>((resolve) => (timer = setTimeout(() => resolve('timed out'), ms)));
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

describe('the operator socket while the hub starts', () => {
  it.skipIf(!posix)(
    'a connection made while the operator socket starts does not keep the hub from stopping',
    async () => {
      const dataDir = temp.dir;
      const socketPath = operatorSocketPath(dataDir);
      const client = spinner(socketPath, MAX_MS + 5_000);
      try {
        const until = Date.now() + MAX_MS;
        let cycles = 0;
        for (; cycles < MAX_CYCLES && Date.now() < until; cycles++) {
          const hub = await Hub.start({ port: 0, host: '127.0.0.1', logger: quietLogger, dataDir });
          const stopped = await within(
            hub.stop().then(() => 'stopped'),
            STOP_BOUND_MS,
          );
          // A stop that hangs leaves the lock behind: `npm run hub` would never finish its SIGTERM.
          expect(stopped, `stop of start #${cycles + 1}`).toBe('stopped');
          expect(existsSync(path.join(dataDir, 'hub.lock'))).toBe(false);
        }
        // The spinner did reach the socket: the cycles raced it, not an absent socket.
        expect(client.connected()).toBeGreaterThan(0);
        expect(cycles).toBeGreaterThan(0);
      } finally {
        await client.stop();
      }
    },
    MAX_MS + STOP_BOUND_MS + 10_000,
  );
});
