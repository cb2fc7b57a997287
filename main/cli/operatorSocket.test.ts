import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readdir, readFile, readlink, stat } from 'node:fs/promises';
import net from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AuditEntry } from '../../shared/hub/operatorViews';
import { runOperatorCli } from './operatorCli';
import { DATA_DIR_LOCKED } from '../hub/dataDirLock';
import type { Hub } from '../hub/Hub';
import { pairRequest } from '../hub/testing/devicePairing';
import { httpGet } from '../hub/testing/httpGet';
import { pairNewUser, startTestHub } from '../hub/testing/testHub';
import { operatorSocketPath } from '../hub/operator/operatorSocketPath';

const posix = process.platform !== 'win32';

let hub: Hub;
let dataDir: string;
let cleanup: () => Promise<void>;

beforeEach(async () => {
  ({ hub, dataDir, cleanup } = await startTestHub({
    operator: { socketLimits: { maxConnections: 2, maxRequestBytes: 1024 } },
  }));
});

afterEach(async () => {
  await cleanup();
});

async function cli(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runOperatorCli(
    [...argv, '--data-dir', dataDir],
    { out: (l) => out.push(l), err: (l) => err.push(l) },
    {},
  );
  return { code, out: out.join('\n'), err: err.join('\n') };
}

/** Opens a raw connection to the operator socket; `lines` collects what the hub answers. */
async function rawConnection(): Promise<{ socket: net.Socket; lines: string[]; closed: Promise<void> }> {
  const socket = net.connect({ path: operatorSocketPath(dataDir) });
  const lines: string[] = [];
  let buffered = '';
  socket.setEncoding('utf8');
  socket.on('data', (chunk: string) => {
    buffered += chunk;
    for (let nl = buffered.indexOf('\n'); nl !== -1; nl = buffered.indexOf('\n')) {
      lines.push(buffered.slice(0, nl));
      buffered = buffered.slice(nl + 1);
    }
  });
  const closed = new Promise<void>((resolve) => socket.on('close', () => resolve()));
  socket.on('error', () => {});
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  return { socket, lines, closed };
}

async function nextLine(lines: string[], count: number): Promise<unknown> {
  for (let i = 0; i < 200 && lines.length < count; i++) await new Promise((r) => setTimeout(r, 10));
  return JSON.parse(lines[count - 1]!);
}

describe('the operator socket', () => {
  it.skipIf(!posix)('the operator socket is 0600 in a 0700 directory and refuses a second hub', async () => {
    const path = operatorSocketPath(dataDir);
    expect(hub.operatorSocketPath).toBe(path);
    const socket = await stat(path);
    expect(socket.isSocket()).toBe(true);
    expect(socket.mode & 0o777).toBe(0o600);
    expect((await stat(dataDir)).mode & 0o777).toBe(0o700);

    // A second hub on the same directory is refused before it touches the socket, which keeps working.
    await expect(startTestHub({ dataDir })).rejects.toMatchObject({ code: DATA_DIR_LOCKED });
    expect((await cli('users')).code).toBe(0);

    // A stopped hub takes its socket with it; the CLI then says no hub runs there.
    await hub.stop();
    expect(existsSync(path)).toBe(false);
    const none = await cli('users');
    expect(none.code).toBe(3);
    expect(none.err).toMatch(/No hub is running with the data directory/);
  });

  it.skipIf(!posix)('replaces the socket file a hub that died left behind, and the CLI says it is stale', async () => {
    await hub.stop();
    const path = operatorSocketPath(dataDir);
    // A process that dies without closing its socket leaves the file, as a crashed hub does.
    const child = spawn(
      process.execPath,
      ['-e', `require('net').createServer().listen(${JSON.stringify(path)}, () => console.log('up'))`],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    await new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
    child.kill('SIGKILL');
    await new Promise<void>((resolve) => child.once('exit', () => resolve()));
    expect((await stat(path)).isSocket()).toBe(true);
    const stale = await cli('users');
    expect(stale.code).toBe(3);
    expect(stale.err).toMatch(/left by a hub that stopped/);

    const restarted = await startTestHub({ dataDir });
    expect((await cli('users')).code).toBe(0);
    await restarted.hub.stop();
  });

  it('no operator command is reachable over the network', async () => {
    const mal = await pairNewUser(hub, 'Mallory');
    // Nothing on the hub's port: HTTP paths, and operator commands as WebSocket frames.
    for (const path of ['/operator', '/api/operator', '/api/v1/operator/users', '/operator.sock', '/api/users']) {
      const answer = await httpGet(hub.port, path);
      expect([404, 403]).toContain(answer.status);
      expect(answer.body).not.toContain(mal.credentials.userId);
    }
    // `deleteMessage` is a member's frame, for their own messages only (hub.deleteOwnMessage.test.ts).
    for (const type of ['users', 'remove-user', 'removeUser', 'delete-message', 'deleteAnyMessage', 'renameHub']) {
      const refused = await mal.client.request({ type, userId: mal.credentials.userId } as never);
      expect(refused).toMatchObject({ type: 'error', code: 'UNKNOWN_TYPE' });
    }
    expect(hub.operator.users()[0]?.removedAt).toBeUndefined();
    await mal.client.close();

    // And the hub listens on one TCP port only: the operator socket is no network listener.
    if (process.platform === 'linux') expect(await listeningTcpPorts()).toEqual([hub.port]);
  });

  it('answers malformed, unknown and oversized requests with an error, and limits connections', async () => {
    const a = await rawConnection();
    a.socket.write('not json\n');
    expect(await nextLine(a.lines, 1)).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
    a.socket.write(`${JSON.stringify({ id: '7', command: 'format-disk', args: {} })}\n`);
    expect(await nextLine(a.lines, 2)).toMatchObject({ id: '7', ok: false, error: { code: 'UNKNOWN_COMMAND' } });
    a.socket.write(`${JSON.stringify({ id: '8', command: 'remove-user', args: { userId: '../x' } })}\n`);
    expect(await nextLine(a.lines, 3)).toMatchObject({ id: '8', ok: false, error: { code: 'BAD_REQUEST' } });

    // Two connections are the limit here: a third is told so and closed; the first two are still served.
    const b = await rawConnection();
    const c = await rawConnection();
    expect(await nextLine(c.lines, 1)).toMatchObject({ ok: false, error: { code: 'BUSY' } });
    await c.closed;
    b.socket.write(`${JSON.stringify({ id: '9', command: 'users', args: {} })}\n`);
    expect(await nextLine(b.lines, 1)).toMatchObject({ id: '9', ok: true, result: [] });

    // A request past the size limit is refused and its connection closed, even without a newline.
    b.socket.write('x'.repeat(2000));
    expect(await nextLine(b.lines, 2)).toMatchObject({ ok: false, error: { code: 'TOO_LARGE' } });
    await b.closed;
    a.socket.write(`${JSON.stringify({ id: '10', command: 'pairing', args: {} })}\n`);
    expect(await nextLine(a.lines, 4)).toMatchObject({ id: '10', ok: true, result: { open: true } });
    a.socket.destroy();
  });

  it('operator actions and failed pairings are in the audit log', async () => {
    await hub.stop();
    const started = await startTestHub({ dataDir, operator: { failedPairings: { everyMs: 20 } } });
    hub = started.hub;
    const bob = await pairNewUser(hub, 'Bob');
    const eve = await pairNewUser(hub, 'Eve');
    const wrong = hub.pairingCode().code === '000000' ? '000001' : '000000';
    await eve.client.close();
    const guesser = await (await import('../hub/testing/TestClient')).TestClient.connect(hub.port);
    await guesser.hello();
    for (let i = 0; i < 3; i++)
      await pairRequest(guesser, {
        credential: { kind: 'code', code: wrong, displayName: 'Guess' },
        device: { name: 'x', platform: 'web' },
      });
    await guesser.close();

    await hub.operator.removeDevice(bob.credentials.deviceId, 'desktop');
    expect((await cli('remove-user', eve.credentials.userId)).code).toBe(0);
    expect((await cli('remove-device', 'nobody')).code).toBe(1);
    await cli('rename', 'Den');

    // Failed pairings are gathered (every 20 ms here) and may be written in more than one entry.
    const guessed = (entries: AuditEntry[]) =>
      entries
        .filter((e) => e.action === 'failedPairing' && e.target === '127.0.0.1' && e.result === 'wrong')
        .reduce((sum, e) => sum + Number(/^(\d+) pairing code attempt/.exec(e.detail ?? '')?.[1] ?? 0), 0);
    let entries = await hub.operator.readAudit(50);
    for (let i = 0; i < 200 && guessed(entries) < 3; i++) {
      await new Promise((r) => setTimeout(r, 20));
      entries = await hub.operator.readAudit(50);
    }
    expect(guessed(entries)).toBe(3);
    const lines = entries.map((e) => `${e.actor} ${e.action} ${e.result}`);
    expect(lines).toEqual(
      expect.arrayContaining([
        'desktop removeDevice ok',
        'cli removeUser ok',
        'cli removeDevice NOT_FOUND',
        'cli renameHub ok',
      ]),
    );
    expect(entries.find((e) => e.action === 'removeUser')?.target).toContain('"Eve"');
    // Newest first, and the CLI reads the same.
    const actions = entries.filter((e) => e.actor !== 'network').map((e) => e.action);
    expect(actions.slice(0, 4)).toEqual(['renameHub', 'removeDevice', 'removeUser', 'removeDevice']);
    const printed = await cli('audit', '10');
    expect(printed.out).toMatch(/owner via CLI: renameHub "Den"/);
    expect(printed.out).toMatch(/owner via desktop: removeDevice device "Bob's laptop"/);

    if (posix) {
      const file = (await readdir(dataDir)).find((f) => f === 'audit.jsonl')!;
      expect((await stat(`${dataDir}/${file}`)).mode & 0o777).toBe(0o600);
    }
    await bob.client.close();
  });

  it('keeps the audit log bounded: the file rotates once, the oldest entries go', async () => {
    await hub.stop();
    const started = await startTestHub({ dataDir, operator: { audit: { maxBytes: 600 } } });
    hub = started.hub;
    for (let i = 0; i < 30; i++) await hub.operator.closePairing('cli');
    const files = (await readdir(dataDir)).filter((f) => f.startsWith('audit')).sort();
    expect(files).toEqual(['audit.1.jsonl', 'audit.jsonl']);
    for (const f of files) expect((await readFile(`${dataDir}/${f}`)).length).toBeLessThanOrEqual(600);
    const entries = await hub.operator.readAudit(1000);
    expect(entries.length).toBeGreaterThan(0);
    expect(entries.length).toBeLessThan(30);
  });
});

/** TCP ports this process listens on (Linux: its socket descriptors matched against /proc/net/tcp{,6}). */
async function listeningTcpPorts(): Promise<number[]> {
  const inodes = new Set<string>();
  for (const fd of await readdir('/proc/self/fd')) {
    const target = await readlink(`/proc/self/fd/${fd}`).catch(() => '');
    const inode = /^socket:\[(\d+)\]$/.exec(target)?.[1];
    if (inode) inodes.add(inode);
  }
  const ports = new Set<number>();
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    const text = await readFile(table, 'utf8').catch(() => '');
    for (const row of text.split('\n').slice(1)) {
      const cols = row.trim().split(/\s+/);
      // local_address is HEX_IP:HEX_PORT; state 0A is LISTEN; the inode is the tenth column.
      if (cols[3] === '0A' && inodes.has(cols[9] ?? '')) ports.add(parseInt(cols[1]!.split(':')[1]!, 16));
    }
  }
  return [...ports].sort((a, b) => a - b);
}
