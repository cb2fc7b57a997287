import { afterEach, describe, expect, it, vi } from 'vitest';
import { PROTOCOL_VERSION } from '../../shared/protocol';
import type { DiscoveredHub } from '../../shared/discovery/discoveredHub';
import type { FetchInfo, ProvenInfo } from './liveness';

/**
 * browseHubs against a flood of adverts from one hostile LAN peer, with bonjour-service
 * replaced by a fake (no socket, no multicast): only the browser's own bounds are tested.
 */
const fakes = vi.hoisted(() => ({
  browsers: [] as Array<import('node:events').EventEmitter & { services: unknown[] }>,
}));
vi.mock('bonjour-service', async () => {
  const { EventEmitter: Emitter } = await import('node:events');
  class FakeBrowser extends Emitter {
    services: unknown[] = [];
    update() {}
    stop() {}
  }
  class Bonjour {
    server = { mdns: Object.assign(new Emitter(), { send: () => {} }) };
    find() {
      const browser = new FakeBrowser();
      fakes.browsers.push(browser);
      return browser;
    }
    destroy(cb: () => void) {
      cb();
    }
  }
  return { Bonjour };
});

const { browseHubs } = await import('./browse');

function service(i: number, addressCount = 16) {
  return {
    name: `Fake ${i}`,
    fqdn: `Fake ${i}._roost._tcp.local`,
    port: 7420,
    txt: { v: '1', id: `fake${i}`, name: `Fake ${i}`, proto: String(PROTOCOL_VERSION) },
    addresses: Array.from({ length: addressCount }, (_, k) => `10.${i % 250}.${k}.1`),
    referer: { address: `192.168.1.${(i % 250) + 1}` },
  };
}

const stops: Array<() => Promise<void>> = [];
afterEach(async () => {
  await Promise.all(stops.splice(0).map((s) => s()));
  fakes.browsers.length = 0;
});

describe('browseHubs against a flood of adverts', () => {
  it('keeps at most 8 /api/info requests in flight and at most 4 addresses per check, and warns once', async () => {
    let inFlight = 0;
    let maxInFlight = 0;
    const asked = new Map<string, number>();
    const fetchInfo: FetchInfo = (url, { signal }) => {
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      const host = new URL(url).hostname;
      asked.set(host, (asked.get(host) ?? 0) + 1);
      return new Promise<ProvenInfo>((_resolve, reject) => {
        const done = () => {
          clearTimeout(timer);
          signal?.removeEventListener('abort', done);
          inFlight--;
          reject(Object.assign(new Error('timeout'), { code: 'TIMEOUT' }));
        };
        const timer = setTimeout(done, 5);
        signal?.addEventListener('abort', done);
      });
    };
    const warnings: Error[] = [];
    const browser = browseHubs({ onChange: () => {}, onWarning: (e) => warnings.push(e), fetchInfo, timeoutMs: 5 });
    stops.push(() => browser.stop());
    const [mdns] = fakes.browsers;
    for (let i = 0; i < 500; i++) mdns!.emit('up', service(i));
    await vi.waitFor(() => expect(asked.size).toBeGreaterThan(100), { timeout: 10_000 });
    expect(maxInFlight).toBeLessThanOrEqual(8);
    expect(maxInFlight).toBeGreaterThan(1);
    // Sender first, then at most 3 announced addresses: of each advert's 16, the 4th and later are never asked.
    expect([...asked.keys()].some((h) => h.startsWith('192.168.1.'))).toBe(true);
    expect([...asked.keys()].filter((h) => /^10\.\d+\.(\d+)\.1$/.test(h) && Number(h.split('.')[2]) >= 3)).toEqual([]);
    expect(warnings.map((w) => (w as Error & { code?: string }).code)).toEqual(['TOO_MANY_ADVERTS']);
  });

  it('still lists a real hub announced after the flood; never aims requests at loopback for a LAN peer', async () => {
    const asked: string[] = [];
    const fetchInfo: FetchInfo = async (url) => {
      asked.push(url);
      await new Promise((r) => setTimeout(r, 2));
      if (url === 'https://192.168.1.200:7420/') {
        const info = { id: 'real', identity: 'A'.repeat(52), name: 'Real hub', protocolVersion: PROTOCOL_VERSION };
        return { info: { ...info, appVersion: '1' }, identity: info.identity, certificateSha256: '00' };
      }
      throw Object.assign(new Error('refused'), { code: 'ECONNREFUSED' });
    };
    const lists: DiscoveredHub[][] = [];
    const browser = browseHubs({ onChange: (hubs) => lists.push(hubs), fetchInfo, timeoutMs: 5 });
    stops.push(() => browser.stop());
    const [mdns] = fakes.browsers;
    for (let i = 0; i < 100; i++)
      mdns!.emit('up', { ...service(i, 2), addresses: ['127.0.0.1', '0.0.0.0', '224.0.0.251', '10.9.9.9'] });
    const real = {
      ...service(0, 1),
      name: 'Real hub',
      fqdn: 'Real hub._roost._tcp.local',
      txt: { v: '1', id: 'real', name: 'Real hub', proto: String(PROTOCOL_VERSION) },
      addresses: ['192.168.1.200'],
      referer: { address: '192.168.1.200' },
    };
    mdns!.emit('up', real);
    await vi.waitFor(() => expect(lists.at(-1)?.map((h) => h.hubId)).toEqual(['real']), { timeout: 10_000 });
    expect(asked.filter((u) => /127\.0\.0\.1|0\.0\.0\.0|224\./.test(u))).toEqual([]);
  });

  it('warns once, and lists nothing, when what answers proves another identity than the advert announces', async () => {
    const proven = 'A'.repeat(52);
    const fetchInfo: FetchInfo = async () => {
      const info = { id: 'real', identity: proven, name: 'Real hub', protocolVersion: PROTOCOL_VERSION };
      return { info: { ...info, appVersion: '1' }, identity: proven, certificateSha256: '00' };
    };
    const warnings: Array<Error & { code?: string }> = [];
    const lists: DiscoveredHub[][] = [];
    const browser = browseHubs({
      onChange: (hubs) => lists.push(hubs),
      onWarning: (e) => warnings.push(e),
      fetchInfo,
      timeoutMs: 5,
      checkIntervalMs: 10,
    });
    stops.push(() => browser.stop());
    const [mdns] = fakes.browsers;
    const txt = { v: '1', id: 'real', name: 'Real hub', proto: String(PROTOCOL_VERSION) };
    mdns!.emit('up', { ...service(0, 1), txt: { ...txt, ik: 'B'.repeat(52) } });
    await vi.waitFor(() => expect(warnings).toHaveLength(1));
    expect(warnings[0]).toMatchObject({ code: 'HUB_IDENTITY_MISMATCH' });
    browser.refresh();
    mdns!.emit('up', { ...service(1, 1), txt: { ...txt, ik: proven } });
    await vi.waitFor(() => expect(lists.at(-1)).toMatchObject([{ hubId: 'real', identity: proven }]));
    expect(warnings).toHaveLength(1);
  });
});
