import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createNetwork, netnsUnavailableReason, NsProcess, runSuffix, vethOf } from './testing/netns';
import { makeTempDir } from './testing/tempDir';

/**
 * The transport for real, between processes in private network namespaces (never this machine's own
 * interfaces): a passive observer captures a whole session with tcpdump and finds no secret in it; someone
 * on the path between a device and its hub, relaying with its own certificate, is refused by pinned clients;
 * a rogue hub on the LAN, relaying frames to the real hub under its own proven identity, gets no device paired
 * in by a code typed into a device that found it instead of the hub (trust on first use, nothing pinned).
 */
const PROBE = 'main/hub/testing/transport.nsprobe.ts';
const ROGUE_PROBE = 'main/hub/testing/rogueHub.nsprobe.ts';
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
  const dataDirs: string[] = [];
  const start = (namespace: string, args: string[], script = PROBE) => {
    const p = NsProcess.tsx(namespace, script, args);
    processes.push(p);
    return p;
  };
  /** A real hub (transport.nsprobe.ts `hub`) on 0.0.0.0:PORT in `namespace`, listening. */
  const startHub = async (namespace: string) => {
    const hub = start(namespace, ['hub', String(PORT)]);
    const listening = await hub.waitFor('the hub', (l) => l.event === 'listening');
    dataDirs.push(String(listening.dataDir));
    return { hub, listening };
  };

  beforeAll(() => {
    // dev ↔ hub for the capture; dev ↔ mid ↔ far for the on-path attacker, who holds the address the device
    // believes is its hub's (as ARP or DHCP spoofing would give it) and reaches the real hub behind it; mid ↔ hub
    // for the rogue hub, another machine on the hub's LAN with an address of its own.
    teardown = createNetwork(
      [ns.dev, ns.hub, ns.mid, ns.far],
      [
        { a: ns.dev, aAddr: '10.79.0.2', b: ns.hub, bAddr: '10.79.0.1' },
        { a: ns.dev, aAddr: '10.80.0.2', b: ns.mid, bAddr: '10.80.0.1' },
        { a: ns.mid, aAddr: '10.81.0.2', b: ns.far, bAddr: '10.81.0.1' },
        { a: ns.mid, aAddr: '10.82.0.2', b: ns.hub, bAddr: '10.82.0.1' },
      ],
    );
  });

  // Each test's processes end with it: the next one may listen on the same port in the same namespace.
  afterEach(async () => {
    await Promise.all(processes.splice(0).map((p) => p.stop('SIGKILL')));
    await Promise.all(dataDirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
  });

  afterAll(() => teardown());

  it('shows a passive observer no message, code, token or device key; a replayed auth is refused', async () => {
    const temp = await makeTempDir('roost-capture-');
    const pcap = path.join(temp.dir, 'session.pcap');
    const { hub, listening } = await startHub(ns.hub);
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
    const { identity } = (await startHub(ns.far)).listening;
    const relay = start(ns.mid, ['relay', String(PORT), '10.81.0.1']);
    await relay.waitFor('the relay', (l) => l.event === 'listening');
    const victim = start(ns.dev, ['mitm', '10.80.0.1', String(PORT), String(identity)]);
    const told = await victim.waitFor('the verdicts', (l) => l.event === 'mitm');
    expect(told).toMatchObject({ client: 'HUB_IDENTITY_UNPROVEN', syncClient: 'HUB_IDENTITY_UNPROVEN' });
  });

  /**
   * The real hub in `hub`, on the LAN at 10.79.0.1 (where devices reach it) and 10.82.0.1 (where the attacker's
   * machine does), and a rogue hub in `mid` on its own address, 10.80.0.1, relaying to it: discovery led the victim
   * there (a spoofed mDNS answer, or simply the name "Roost hub").
   */
  async function rogueOnTheLan(claim: 'own' | 'real') {
    const { hub, listening } = await startHub(ns.hub);
    const rogue = start(ns.mid, ['rogue', '10.80.0.1', String(PORT), '10.82.0.1', claim], ROGUE_PROBE);
    const { identity: rogueIdentity } = await rogue.waitFor('the rogue hub', (l) => l.event === 'listening');
    return { hub, identity: String(listening.identity), code: String(listening.code), rogue, rogueIdentity };
  }

  async function hubState(hub: NsProcess) {
    const from = hub.mark();
    hub.send('state');
    return hub.waitFor("the hub's state", (l) => l.event === 'state', from);
  }

  /** The victim, unpinned, goes to the rogue and types `code` if it gets as far as pairing. */
  async function victimTypes(code: string) {
    const victim = start(ns.dev, ['victim', '10.80.0.1', String(PORT), code], ROGUE_PROBE);
    return victim.waitFor('the victim', (l) => l.event === 'victim');
  }

  /** Everything the victim sent the rogue, once its connection has closed (so nothing is still on the way). */
  async function sentToRogue(rogue: NsProcess) {
    const closed = await rogue.waitFor('the victim to hang up', (l) => l.event === 'deviceClosed');
    const frames = closed.frames as string[];
    return { frames, types: frames.map((text) => (JSON.parse(text) as { type: string }).type) };
  }

  it('pairs nobody in with a code typed into a device that reached a rogue hub under its own identity', async () => {
    const { hub, identity, code, rogue, rogueIdentity } = await rogueOnTheLan('own');
    const before = await hubState(hub);
    expect(before).toMatchObject({ wrongGuesses: 0, code });

    const told = await victimTypes(code);
    // It took the identity the rogue proved, and bound the code exchange to it: the real hub's confirmation fails.
    expect(told).toMatchObject({
      trusted: rogueIdentity,
      pairing: 'PAIRING_CODE_INVALID',
      session: { phase: 'unpaired' },
    });
    expect(rogueIdentity).not.toBe(identity);
    const { frames, types } = await sentToRogue(rogue);
    expect(types).toEqual(['hello', 'pakeStart']);
    expect(frames.join('\n')).not.toContain(code);

    // The real hub paired nobody and counted the one guess, from the rogue's machine (it relayed across the link),
    // listed once its side of the exchange ended; its code still pairs a device that reaches it.
    const listed = await hub.waitFor(
      'the guess to be listed',
      (l) => l.event === 'pairing' && (l.failures as unknown[]).length > 0,
    );
    expect(listed).toMatchObject({
      users: before.users,
      wrongGuesses: 1,
      failures: [{ address: '10.82.0.2', outcome: 'wrong', count: 1 }],
      code,
    });
    const ann = start(ns.dev, ['genuine', '10.79.0.1', String(PORT), identity, code], ROGUE_PROBE);
    await ann.waitFor('the genuine device', (l) => l.event === 'genuine');
    expect((await hubState(hub)).users).toEqual([...(before.users as string[]), 'Ann']);
  });

  it('is refused before anything but hello when the rogue claims the real identity it cannot prove', async () => {
    const { hub, code, rogue } = await rogueOnTheLan('real');
    const before = await hubState(hub);

    const told = await victimTypes(code);
    expect(told.session).toEqual({ phase: 'identityRefused', reason: 'HUB_IDENTITY_UNPROVEN' });
    expect(told.pairing).toBeUndefined();
    expect((await sentToRogue(rogue)).types).toEqual(['hello']);
    expect(await hubState(hub)).toMatchObject({ users: before.users, wrongGuesses: 0, code });
  });
});
