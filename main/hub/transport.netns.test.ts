import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNetwork, netnsUnavailableReason, NsProcess, runSuffix, vethOf } from './testing/netns';
import { makeTempDir } from './testing/tempDir';

/**
 * The transport for real, between processes in private network namespaces (never this machine's own
 * interfaces): a passive observer captures a whole session with tcpdump and finds no secret in it; someone
 * on the path between a device and its hub, relaying with its own certificate, is refused by pinned clients.
 */
const PROBE = 'main/hub/testing/transport.nsprobe.ts';
const PORT = 7420;
const tcpdumpMissing = spawnSync('sh', ['-c', 'command -v tcpdump'], { stdio: 'ignore' }).status !== 0;
const skipReason =
  netnsUnavailableReason() ??
  (tcpdumpMissing ? 'tcpdump is not installed (apt-get install tcpdump; .ci/run installs it)' : undefined);
if (skipReason) console.log(`transport.netns.test.ts: skipping the capture and on-path tests: ${skipReason}`);

describe.skipIf(skipReason)('the transport between network namespaces', () => {
  const ns = { dev: `rDev${runSuffix}`, hub: `rHub${runSuffix}`, mid: `rMid${runSuffix}`, far: `rFar${runSuffix}` };
  let teardown: () => void = () => {};
  const processes: NsProcess[] = [];
  const start = (namespace: string, args: string[]) => {
    const p = NsProcess.tsx(namespace, PROBE, args);
    processes.push(p);
    return p;
  };

  beforeAll(() => {
    // dev ↔ hub for the capture; dev ↔ mid ↔ far for the on-path attacker, who holds the address the device
    // believes is its hub's (as ARP or DHCP spoofing would give it) and reaches the real hub behind it.
    teardown = createNetwork(
      [ns.dev, ns.hub, ns.mid, ns.far],
      [
        { a: ns.dev, aAddr: '10.79.0.2', b: ns.hub, bAddr: '10.79.0.1' },
        { a: ns.dev, aAddr: '10.80.0.2', b: ns.mid, bAddr: '10.80.0.1' },
        { a: ns.mid, aAddr: '10.81.0.2', b: ns.far, bAddr: '10.81.0.1' },
      ],
    );
  });

  afterAll(async () => {
    await Promise.all(processes.map((p) => p.stop('SIGKILL')));
    teardown();
  });

  it('shows a passive observer no message, code, token or device key; a replayed auth is refused', async () => {
    const temp = await makeTempDir('roost-capture-');
    const pcap = path.join(temp.dir, 'session.pcap');
    const hub = start(ns.hub, ['hub', String(PORT)]);
    const listening = (await hub.waitFor('the hub', (l) => l.event === 'listening'))!;
    const { identity, code, joinToken } = listening;
    const legacy = listening.legacy as { deviceId: string; token: string };
    // Immediate mode: libpcap otherwise hands packets over in blocks, and the last one is lost on SIGINT.
    const tcpdump = ['tcpdump', '--immediate-mode', '-Z', 'root', '-i', vethOf(0, 'a'), '-U', '-s', '0', '-w', pcap];
    const capture = new NsProcess(ns.dev, [...tcpdump, 'tcp']);
    processes.push(capture);
    await capture.waitFor('tcpdump to listen', { text: 'listening on' });

    const marker = `roost-marker-${randomBytes(6).toString('hex')}`;
    const control = `roost-control-${randomBytes(6).toString('hex')}`;
    const credentials = [String(code), String(joinToken), legacy.deviceId, legacy.token];
    const args = ['session', '10.79.0.1', String(PORT), String(identity), ...credentials, marker, control];
    const device = start(ns.dev, args);
    const session = (await device.waitFor('the session', (l) => l.event === 'session'))!;
    // An `auth` is good for its own connection only: the same frame on a new one (a new challenge) is refused.
    expect(session.replay).toBe('AUTH_FAILED');
    hub.send(`remove ${String(session.removable)}`);
    await hub.waitFor('the removal', (l) => l.event === 'removed');
    device.send('recheck');
    const recheck = await device.waitFor('the removed device to try again', (l) => l.event === 'recheck');
    expect(recheck).toMatchObject({ answer: 'AUTH_FAILED', closeCode: 4003 });

    await capture.stop('SIGINT');
    const bytes = await readFile(pcap);
    await temp.remove();
    // The capture works: the one plain request of the session (the page that sends people to HTTPS) is in it.
    expect(session.control).toBe(200);
    expect(bytes.includes(control)).toBe(true);
    // Every secret of the session, and every device's private key, raw and as text. Public keys may show: they
    // are public, and no signature in the session is worth anything on another connection (the replay above).
    const secrets = session.secrets as Array<{ what: string; hex: string }>;
    expect(secrets.map((s) => s.what)).toEqual([
      'pairing code',
      'join token',
      'protocol-1 token',
      'link code',
      'message',
      'later message',
      ...['ann', 'phone', 'bob', 'old'].flatMap((d) => [`${d} private key`, `${d} private key (base64url)`]),
    ]);
    for (const { what, hex } of secrets) {
      expect({ what, seen: bytes.includes(Buffer.from(hex, 'hex')) }).toEqual({ what, seen: false });
    }
  });

  it('refuses someone on the path who relays to the real hub with its own certificate', async () => {
    const hub = start(ns.far, ['hub', String(PORT)]);
    const { identity } = (await hub.waitFor('the hub', (l) => l.event === 'listening'))!;
    const relay = start(ns.mid, ['relay', String(PORT), '10.81.0.1']);
    await relay.waitFor('the relay', (l) => l.event === 'listening');
    const victim = start(ns.dev, ['mitm', '10.80.0.1', String(PORT), String(identity)]);
    const told = await victim.waitFor('the verdicts', (l) => l.event === 'mitm');
    expect(told).toMatchObject({ client: 'HUB_IDENTITY_UNPROVEN', syncClient: 'HUB_IDENTITY_UNPROVEN' });
  });
});
