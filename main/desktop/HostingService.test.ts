import { describe, expect, it } from 'vitest';
import { HostingStatusSchema, type HostingStatus, type PairingState } from '../../shared/desktop';
import { PROTOCOL_VERSION } from '../../shared/protocol';
import type { AdvertiseOptions } from '../discovery/advertise';
import { Hub } from '../hub/Hub';
import { expectPaired, pairRequest } from '../hub/testing/devicePairing';
import { httpGet } from '../hub/testing/httpGet';
import { TestClient } from '../hub/testing/TestClient';
import { makeTempDir, quietLogger } from '../hub/testing/testHub';
import { HostingService, startError, type HostingServiceOptions } from './HostingService';
import { cleanupsAfterEach } from '../hub/testing/cleanups';

const cleanups = cleanupsAfterEach();

async function service(
  options: Partial<HostingServiceOptions> = {},
): Promise<{ hosting: HostingService; dataDir: string; statuses: HostingStatus[] }> {
  const temp = await makeTempDir('roost-hosting-');
  // Loopback only and no mDNS: tests never reach the real network.
  const hosting = new HostingService({
    dataDir: temp.dir,
    host: '127.0.0.1',
    advertise: false,
    logger: quietLogger,
    ...options,
  });
  const statuses: HostingStatus[] = [];
  hosting.onStatus((s) => statuses.push(HostingStatusSchema.parse(s)));
  cleanups.push(async () => {
    await hosting.stop();
    await temp.remove();
  });
  return { hosting, dataDir: temp.dir, statuses };
}

function running(status: HostingStatus): Extract<HostingStatus, { state: 'running' }> {
  if (status.state !== 'running') throw new Error(`expected running, got ${JSON.stringify(status)}`);
  return status;
}

function waitForStatus(hosting: HostingService, match: (s: HostingStatus) => boolean): Promise<HostingStatus> {
  const now = hosting.status();
  if (match(now)) return Promise.resolve(now);
  return new Promise((resolve) => {
    const off = hosting.onStatus((s) => {
      if (!match(s)) return;
      off();
      resolve(s);
    });
  });
}

/** Pairs a device with a join token, as a phone opening the join link does. */
async function joinWith(port: number, token: string, displayName: string, deviceName: string): Promise<TestClient> {
  const client = await TestClient.connect(port);
  await client.hello();
  await expectPaired(client, {
    credential: { kind: 'joinToken', token, displayName },
    device: { name: deviceName, platform: 'macos' },
  });
  return client;
}

describe('HostingService', () => {
  it('starts a real hub and reports everything the hosting screen shows', async () => {
    const { hosting, statuses } = await service();
    expect(hosting.status()).toEqual({ state: 'off' });
    expect(hosting.ownerTicket()).toBeNull();
    expect(hosting.localWsUrl()).toBeUndefined();

    const status = running(await hosting.start({ name: 'Kitchen', port: 0 }));
    expect(HostingStatusSchema.parse(status)).toEqual(status);
    expect(status).toMatchObject({
      name: 'Kitchen',
      advertised: false,
      connected: [],
      urls: [`https://127.0.0.1:${status.port}/`],
    });
    // Pairing starts closed: the owner opens it from This hub.
    expect(status.pairing).toMatchObject({ open: false, wrongGuesses: 0, recentFailures: [] });
    expect(status.joinUrl).toMatch(
      new RegExp(`^https://127\\.0\\.0\\.1:${status.port}/#join=[\\w-]+&id=[A-Z2-7]{52}$`),
    );
    expect(hosting.localWsUrl()).toBe(`ws://127.0.0.1:${status.port}/ws`);
    expect(status.identity).toMatch(/^[A-Z2-7]{52}$/);
    expect(status.publicKeyFingerprint).toMatch(/^[0-9A-F]{2}( [0-9A-F]{2}){31}$/);
    expect(statuses.map((s) => s.state)).toEqual(['starting', 'running']);

    const info = await httpGet(status.port, '/api/info');
    expect(JSON.parse(info.body)).toMatchObject({ name: 'Kitchen', id: status.hubId });
  });

  it('lets the owner pair with the owner ticket and shows who is connected', async () => {
    const { hosting } = await service();
    const { port } = running(await hosting.start({ name: 'Home', port: 0 }));
    const ticket = hosting.ownerTicket();
    expect(ticket?.joinToken).toBeTruthy();

    const owner = await joinWith(port, ticket!.joinToken, 'Ann', 'Ann desktop');
    const withOwner = running(await waitForStatus(hosting, (s) => s.state === 'running' && s.connected.length === 1));
    expect(withOwner.connected).toEqual([
      { deviceId: expect.any(String), deviceName: 'Ann desktop', userName: 'Ann', platform: 'macos', connections: 1 },
    ]);

    await owner.close();
    await waitForStatus(hosting, (s) => s.state === 'running' && s.connected.length === 0);
  });

  it('replaces the join link once it has been used, and the pairing code once it was', async () => {
    const { hosting } = await service();
    const first = running(await hosting.start({ name: 'Home', port: 0 }));
    const token = new URLSearchParams(new URL(first.joinUrl).hash.slice(1)).get('join') ?? '';

    const phone = await joinWith(first.port, token, 'Bob', 'Bob phone');
    const after = running(await waitForStatus(hosting, (s) => s.state === 'running' && s.connected.length === 1));
    expect(after.joinUrl).not.toBe(first.joinUrl);
    await phone.close();

    const opened = openPairing(hosting.openPairing());
    const coder = await pairWithCode(first.port, opened.code, 'Cy');
    const rotated = running(
      await waitForStatus(hosting, (s) => s.state === 'running' && s.pairing.open && s.pairing.code !== opened.code),
    );
    expect(rotated.connected.map((d) => d.userName)).toContain('Cy');
    await coder.close();
  });

  it('opens and closes pairing, shows the code only while open, and lists failed attempts', async () => {
    const { hosting } = await service({ hubOptions: { pairing: { windowMs: 60_000 } } });
    const { port } = running(await hosting.start({ name: 'Home', port: 0 }));
    const before = Date.now();
    const opened = openPairing(hosting.openPairing());
    expect(opened.closesAt).toBeGreaterThanOrEqual(before + 60_000);
    expect(running(hosting.status()).pairing).toEqual(opened);

    const wrong = opened.code === '000000' ? '000001' : '000000';
    const refused = await TestClient.connect(port);
    await refused.hello();
    expect(
      await pairRequest(refused, {
        credential: { kind: 'code', code: wrong, displayName: 'Eve' },
        device: { name: 'e', platform: 'web' },
      }),
    ).toMatchObject({ type: 'error', code: 'PAIRING_CODE_INVALID' });
    await refused.close();
    const seen = running(
      await waitForStatus(hosting, (s) => s.state === 'running' && s.pairing.recentFailures.length === 1),
    );
    expect(seen.pairing).toMatchObject({
      open: true,
      wrongGuesses: 1,
      recentFailures: [{ address: '127.0.0.1', kind: 'code', outcome: 'wrong', count: 1 }],
    });

    const closed = running(hosting.closePairing());
    expect(closed.pairing.open).toBe(false);
    expect(closed.pairing).not.toHaveProperty('code');
    expect(JSON.stringify(closed)).not.toContain(opened.code);
  });

  it('tells listeners when pairing closes by itself', async () => {
    const { hosting } = await service({ hubOptions: { pairing: { windowMs: 100 } } });
    running(await hosting.start({ name: 'Home', port: 0 }));
    openPairing(hosting.openPairing());
    await waitForStatus(hosting, (s) => s.state === 'running' && !s.pairing.open);
  });

  it('replaces an expired join link and tells listeners', async () => {
    const { hosting } = await service({ hubOptions: { pairing: { joinTokenTtlMs: 300 } } });
    const first = running(await hosting.start({ name: 'Home', port: 0 }));
    const next = running(await waitForStatus(hosting, (s) => s.state === 'running' && s.joinUrl !== first.joinUrl));
    expect(next.joinUrlExpiresAt).toBeGreaterThan(first.joinUrlExpiresAt);
  });

  it('maps a taken port to PORT_IN_USE and a locked data folder to DATA_DIR_LOCKED', async () => {
    const { hosting, dataDir } = await service();
    const other = await service();
    const { port } = running(await other.hosting.start({ name: 'Other', port: 0 }));
    const inUse = await hosting.start({ name: 'Mine', port });
    expect(inUse).toMatchObject({ state: 'error', code: 'PORT_IN_USE' });
    expect(hosting.ownerTicket()).toBeNull();

    const squatter = await Hub.start({ dataDir, port: 0, host: '127.0.0.1', logger: quietLogger });
    cleanups.push(() => squatter.stop());
    const locked = await hosting.start({ name: 'Mine', port: 0 });
    expect(locked).toMatchObject({ state: 'error', code: 'DATA_DIR_LOCKED' });
    expect(startError(new Error('boom'), 1)).toEqual({ state: 'error', code: 'START_FAILED', message: 'boom' });
  });

  it('a restart onto a taken port reports the error and keeps the running hub, on its old port', async () => {
    const { hosting } = await service();
    const other = await service();
    const taken = running(await other.hosting.start({ name: 'Other', port: 0 })).port;
    const before = running(await hosting.start({ name: 'Mine', port: 0 }));

    const failed = await hosting.start({ name: 'Mine', port: taken });
    expect(failed).toMatchObject({ state: 'error', code: 'PORT_IN_USE' });
    const after = running(hosting.status());
    expect(after).toMatchObject({ hubId: before.hubId, port: before.port });
    expect((await httpGet(before.port, '/api/info')).status).toBe(200);
  });

  it('renames without a restart, keeps running when nothing changed, and stops cleanly', async () => {
    const { hosting, statuses } = await service();
    const a = running(await hosting.start({ name: 'One', port: 0 }));
    const same = running(await hosting.start({ name: 'One', port: a.port }));
    expect(same.hubId).toBe(a.hubId);
    expect(statuses.filter((s) => s.state === 'starting')).toHaveLength(1);

    const renamed = running(await hosting.start({ name: 'Two', port: 0 }));
    expect(renamed).toMatchObject({ name: 'Two', hubId: a.hubId });
    expect(await hosting.stop()).toEqual({ state: 'off' });
    expect(statuses.at(-1)).toEqual({ state: 'off' });
    await expect(httpGet(renamed.port, '/api/info')).rejects.toThrow();
  });

  it('renames in place: no restart, connections stay, advertised under the new name, in the audit log', async () => {
    const adverts: Array<{ name: string; stopped: boolean }> = [];
    const { hosting, statuses } = await service({
      advertise: (options) => {
        const advert = { name: options.name, stopped: false };
        adverts.push(advert);
        return { instanceName: options.name, stop: async () => void (advert.stopped = true) };
      },
    });
    const before = running(await hosting.start({ name: 'One', port: 0 }));
    const client = await joinWith(before.port, hosting.ownerTicket()!.joinToken, 'Ann', 'Ann laptop');
    cleanups.push(() => client.close());
    const after = running(await hosting.start({ name: 'Two', port: before.port }));
    expect(after).toMatchObject({ name: 'Two', port: before.port, hubId: before.hubId });
    expect(statuses.filter((s) => s.state === 'starting')).toHaveLength(1);
    expect(client.closed).toBeUndefined();
    expect(adverts.map((a) => [a.name, a.stopped])).toEqual([
      ['One', true],
      ['Two', false],
    ]);
    const audit = await hosting.operator()!.readAudit(5);
    expect(audit[0]).toMatchObject({ actor: 'desktop', action: 'renameHub', target: '"Two"', result: 'ok' });
  });

  it('advertises with the hub’s identity, reports failures, and says goodbye on stop', async () => {
    const adverts: Array<{ options: AdvertiseOptions; stopped: boolean }> = [];
    const { hosting } = await service({
      advertise: (options) => {
        const advert = { options, stopped: false };
        adverts.push(advert);
        return {
          instanceName: options.name,
          stop: async () => {
            advert.stopped = true;
          },
        };
      },
    });
    const status = running(await hosting.start({ name: 'Attic', port: 0 }));
    expect(status.advertised).toBe(true);
    expect(adverts[0]?.options).toMatchObject({
      port: status.port,
      hubId: status.hubId,
      identity: expect.stringMatching(/^[A-Z2-7]{52}$/),
      name: 'Attic',
      protocolVersion: PROTOCOL_VERSION,
    });

    adverts[0]!.options.onError?.(new Error('EADDRINUSE 5353'));
    await waitForStatus(hosting, (s) => s.state === 'running' && !s.advertised);

    await hosting.stop();
    expect(adverts[0]?.stopped).toBe(true);
  });
});

/** Pairs a device with the pairing code, as a phone typing it does. */
function openPairing(status: HostingStatus): Extract<PairingState, { open: true }> {
  const { pairing } = running(status);
  if (!pairing.open) throw new Error(`expected pairing open, got ${JSON.stringify(pairing)}`);
  return pairing;
}

async function pairWithCode(port: number, code: string, displayName: string): Promise<TestClient> {
  const client = await TestClient.connect(port);
  await client.hello();
  await expectPaired(client, {
    credential: { kind: 'code', code, displayName },
    device: { name: `${displayName} phone`, platform: 'android' },
  });
  return client;
}
