import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROTOCOL_VERSION } from '../../shared/protocol';
import { DiscoveredHubSchema, type DiscoveredHub } from '../../shared/discovery/discoveredHub';
import { netnsUnavailableReason, NsProcess, sh, type Line } from '../hub/testing/netns';
import { makeTempDir } from '../hub/testing/tempDir';

/**
 * Discovery end to end, for real: a hub process in one private network namespace, a
 * browser process in another, joined by a veth pair (see /work/shared/LAB.md). Multicast
 * must never go out on this machine's interfaces, so without root and `ip` this is skipped.
 */
const skipReason = netnsUnavailableReason();
if (skipReason) console.log(`browse.test.ts: skipping mDNS discovery between network namespaces: ${skipReason}`);

const PROBE = 'main/discovery/browse.nsprobe.ts';
const WAIT_MS = 20_000;

// Unique per run: interface names must fit in 15 bytes.
const suffix = `${process.pid.toString(36)}${randomBytes(2).toString('hex')}`.slice(-8);
const NS_HUB = `roostHub${suffix}`;
const NS_BROWSER = `roostBrw${suffix}`;
const HUB_ADDR = '10.78.0.1';

function createNamespaces(): void {
  // The veth pair is created straight inside the namespaces: it never exists on the host.
  const setup = sh(`set -e
    ip netns add ${NS_HUB}; ip netns add ${NS_BROWSER}
    ip -n ${NS_HUB} link add vethH${suffix} type veth peer name vethB${suffix} netns ${NS_BROWSER}
    ip -n ${NS_HUB} addr add ${HUB_ADDR}/24 dev vethH${suffix}
    ip -n ${NS_BROWSER} addr add 10.78.0.2/24 dev vethB${suffix}
    ip -n ${NS_HUB} link set lo up; ip -n ${NS_HUB} link set vethH${suffix} up
    ip -n ${NS_BROWSER} link set lo up; ip -n ${NS_BROWSER} link set vethB${suffix} up
    ip -n ${NS_HUB} route add 224.0.0.0/4 dev vethH${suffix}
    ip -n ${NS_BROWSER} route add 224.0.0.0/4 dev vethB${suffix}`);
  if (!setup.ok) throw new Error(`could not build the network namespaces:\n${setup.output}`);
}

function deleteNamespaces(): void {
  // Deleting a namespace deletes the veth end inside it, and with it the pair.
  sh(`ip netns del ${NS_HUB} 2>/dev/null; ip netns del ${NS_BROWSER} 2>/dev/null; true`);
}

const isChange = (browser: 'fast' | 'slow') => (l: Line) => l.event === 'change' && l.browser === browser;
const hubsOf = (l: Line) => l.hubs as DiscoveredHub[];
const lists = (hubId: string) => (l: Line) => hubsOf(l).some((h) => h.hubId === hubId);

describe.skipIf(skipReason)('browseHubs between two network namespaces', () => {
  const probes: NsProcess[] = [];
  let temp: Awaited<ReturnType<typeof makeTempDir>> | undefined;
  const start = (namespace: string, args: string[]) => {
    const probe = NsProcess.tsx(namespace, PROBE, args, WAIT_MS);
    probes.push(probe);
    return probe;
  };

  beforeAll(() => {
    deleteNamespaces();
    createNamespaces();
  });
  afterAll(async () => {
    for (const probe of probes) probe.signal('SIGKILL');
    await Promise.all(probes.map((p) => p.done));
    deleteNamespaces();
    await temp?.remove();
  });

  it(
    'lists a live hub with its TXT contents, drops it on goodbye, and after SIGKILL within seconds',
    { timeout: 90_000 },
    async () => {
      temp = await makeTempDir('roost-browse-');
      const browser = start(NS_BROWSER, ['browse']);
      await browser.waitFor('the browser to start', (l) => l.event === 'ready');

      // 1. Appears, once, with what the hub announced, at the address it answered on.
      const hub = start(NS_HUB, ['hub', temp.dir, HUB_ADDR, 'Roost NS']);
      const { hubId, identity, port } = await hub.waitFor('the hub to listen', (l) => l.event === 'listening');
      const seen = await browser.waitFor('the hub to be listed', (l) => isChange('fast')(l) && lists(String(hubId))(l));
      const expected: DiscoveredHub = {
        hubId: String(hubId),
        // Proven inside TLS over the veth pair: plain HTTP from a LAN address would get only 426 TLS_REQUIRED.
        identity: String(identity),
        name: 'Roost NS',
        protocolVersion: PROTOCOL_VERSION,
        compatible: true,
        url: `https://${HUB_ADDR}:${Number(port)}/`,
        addresses: expect.arrayContaining([HUB_ADDR]) as unknown as string[],
        port: Number(port),
      };
      expect(hubsOf(seen)).toEqual([expected]);
      expect(hubsOf(seen)[0]!.addresses[0]).toBe(HUB_ADDR); // IPv4 first
      expect(DiscoveredHubSchema.safeParse(hubsOf(seen)[0]).success).toBe(true);
      await browser.waitFor('the slow browser to list it too', (l) => isChange('slow')(l) && lists(String(hubId))(l));
      // The same hub under a second instance name must not be listed twice; the bad TXT is reported, and so is
      // the instance whose identity hint the hub's proof contradicts.
      await browser.waitFor(
        'a warning about the bad TXT record',
        (l) => l.event === 'warning' && l.code === 'BAD_TXT_RECORD',
      );
      await browser.waitFor(
        'a warning about the identity hint the proof contradicts',
        (l) => l.event === 'warning' && l.code === 'HUB_IDENTITY_MISMATCH',
      );

      // 2. Clean stop: the goodbye removes it, even from the browser that re-checks only every minute.
      const beforeStop = browser.mark();
      hub.signal('SIGTERM');
      await hub.waitFor('the hub to stop', (l) => l.event === 'stopped');
      await browser.waitFor(
        'the goodbye to reach the slow browser',
        (l) => isChange('slow')(l) && hubsOf(l).length === 0,
        beforeStop,
      );
      await browser.waitFor(
        'the fast browser to drop it',
        (l) => isChange('fast')(l) && hubsOf(l).length === 0,
        beforeStop,
      );
      await hub.done;

      // 3. The same hub comes back (same data directory, so same id, on a new port)...
      const beforeRestart = browser.mark();
      const again = start(NS_HUB, ['hub', temp.dir, HUB_ADDR, 'Roost NS']);
      const relisted = await again.waitFor('the hub to listen again', (l) => l.event === 'listening');
      expect(relisted.hubId).toBe(hubId);
      const back = await browser.waitFor(
        'the hub to be listed again',
        (l) => isChange('fast')(l) && lists(String(hubId))(l),
        beforeRestart,
      );
      expect(hubsOf(back)).toEqual([
        { ...expected, url: `https://${HUB_ADDR}:${Number(relisted.port)}/`, port: Number(relisted.port) },
      ]);
      await browser.waitFor(
        'the slow browser to list it again',
        (l) => isChange('slow')(l) && lists(String(hubId))(l),
        beforeRestart,
      );

      // 4. ...and crashes: no goodbye, so only the liveness check can drop it.
      const beforeKill = browser.mark();
      const killedAt = Date.now();
      again.signal('SIGKILL');
      await again.done;
      await browser.waitFor(
        'the fast browser to drop the crashed hub',
        (l) => isChange('fast')(l) && hubsOf(l).length === 0,
        beforeKill,
      );
      expect(Date.now() - killedAt).toBeLessThan(15_000); // defaults give about 2.5 s; mDNS alone would take hours
      // The slow browser, whose next check is a minute away, still lists it: mDNS said nothing.
      const slowChanges = browser.lines.filter(isChange('slow'));
      expect(hubsOf(slowChanges.at(-1)!).map((h) => h.hubId)).toEqual([hubId]);

      // Never two entries for one hub, though it was announced under three instance names (one disproven).
      for (const line of browser.lines.filter((l) => l.event === 'change'))
        expect(hubsOf(line).length).toBeLessThanOrEqual(1);
      const expectedWarnings = new Set(['BAD_TXT_RECORD', 'HUB_IDENTITY_MISMATCH']);
      expect(browser.lines.filter((l) => l.event === 'warning' && !expectedWarnings.has(String(l.code)))).toEqual([]);
    },
  );
});
