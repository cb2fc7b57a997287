import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { PROTOCOL_VERSION } from '../../shared/protocol';
import { advertiseHub, instanceNameFor } from './advertise';

describe('instanceNameFor', () => {
  it('uses the hub name, then numbered variants, within one 63-byte DNS label', () => {
    expect(instanceNameFor('Kitchen', 1)).toBe('Kitchen');
    expect(instanceNameFor('Kitchen', 2)).toBe('Kitchen (2)');
    expect(instanceNameFor('v1.2 hub', 1)).toBe('v1-2 hub');
    const long = instanceNameFor('é'.repeat(64), 12);
    expect(Buffer.byteLength(long)).toBeLessThanOrEqual(63);
    expect(long.endsWith(' (12)')).toBe(true);
  });
});

const IDENTITY = 'OMYIJF5G5YLBKQM3ILPCFCBP7VBQNCF7ZZJYVCN6WV2DJQUUAFTA';

describe('advertiseHub arguments', () => {
  // Both throw before any socket is opened, so nothing is sent from this (real) network namespace.
  it('rejects a port the hub cannot be listening on, such as 0', () => {
    expect(() => advertiseHub({ port: 0, hubId: 'h1', identity: IDENTITY, name: 'Hub', protocolVersion: 1 })).toThrow(
      /port 0/,
    );
  });
  it('rejects an invalid identity', () => {
    expect(() => advertiseHub({ port: 4000, hubId: 'h1', identity: 'x', name: 'Hub', protocolVersion: 1 })).toThrow();
  });
  it('rejects an invalid hub id', () => {
    expect(() =>
      advertiseHub({ port: 4000, hubId: 'bad id', identity: IDENTITY, name: 'Hub', protocolVersion: 1 }),
    ).toThrow();
  });
});

/**
 * The real thing runs only in a private network namespace: multicast must never go out
 * on this machine's interfaces. That needs root, `unshare` and `ip`.
 */
function netnsUnavailableReason(): string | undefined {
  if (process.platform !== 'linux') return 'not Linux';
  if (process.getuid?.() !== 0) return 'not root';
  const probe = spawnSync('sh', ['-c', 'command -v unshare && command -v ip && unshare -n true'], { stdio: 'ignore' });
  return probe.status === 0 ? undefined : '`unshare -n` or `ip` (iproute2) is unavailable';
}
const skipReason = netnsUnavailableReason();
if (skipReason) console.log(`advertise.test.ts: skipping mDNS tests in a network namespace: ${skipReason}`);

const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));
const PROBE = 'main/discovery/advertise.nsprobe.ts';
/** Printed by the probe before its JSON result (not imported: importing the probe runs it). */
const RESULT_MARKER = 'ROOST_PROBE_RESULT ';
const LOOPBACK_WITH_MULTICAST = 'ip link set lo up; ip link set lo multicast on; ip route add 224.0.0.0/4 dev lo';

const children: ChildProcess[] = [];
afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
});

/** Runs the probe in a fresh network namespace and returns its result line, parsed. */
async function runProbe(scenario: string, setup: string): Promise<Record<string, unknown>> {
  const script = `${setup ? `${setup}; ` : ''}exec node --import tsx ${PROBE} ${scenario}`;
  const child = spawn('unshare', ['-n', 'sh', '-c', script], { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d));
  child.stderr.on('data', (d: Buffer) => (stderr += d));
  const [code] = await once(child, 'close');
  const line = stdout.split('\n').find((l) => l.startsWith(RESULT_MARKER));
  if (code !== 0 || !line) throw new Error(`probe ${scenario} exited ${code}\nstdout:\n${stdout}\nstderr:\n${stderr}`);
  return JSON.parse(line.slice(RESULT_MARKER.length));
}

describe.skipIf(skipReason)('advertiseHub in a private network namespace', () => {
  it(
    'is found with its TXT record, renames on a name conflict without evicting the other hub, and says goodbye on stop',
    { timeout: 30_000 },
    async () => {
      const result = await runProbe('discover', LOOPBACK_WITH_MULTICAST);
      expect(result).toEqual({
        alpha: {
          name: 'Roost Probe',
          port: 40001,
          txt: {
            ok: true,
            advert: { id: 'hubAlpha', name: 'Roost Probe', protocolVersion: PROTOCOL_VERSION, identity: IDENTITY },
          },
          instanceName: 'Roost Probe',
        },
        beta: {
          name: 'Roost Probe (2)',
          port: 40002,
          txt: {
            ok: true,
            advert: { id: 'hubBeta', name: 'Roost Probe', protocolVersion: PROTOCOL_VERSION, identity: IDENTITY },
          },
          instanceName: 'Roost Probe (2)',
        },
        // bonjour-service on its own sends a goodbye for the taken name here, dropping Alpha.
        downsBeforeStop: [],
        downs: ['Roost Probe', 'Roost Probe (2)'],
        errors: [],
      });
    },
  );

  it('reports, instead of crashing on, port 5353 held by another responder', { timeout: 30_000 }, async () => {
    const result = await runProbe('port-taken', LOOPBACK_WITH_MULTICAST);
    expect(result).toEqual({ error: { code: 'EADDRINUSE', message: expect.any(String) }, stopped: true });
  });

  it('reports a missing multicast route', { timeout: 30_000 }, async () => {
    const result = await runProbe('no-route', '');
    expect(result).toEqual({ error: { code: 'ENETUNREACH', message: expect.any(String) }, stopped: true });
  });
});
