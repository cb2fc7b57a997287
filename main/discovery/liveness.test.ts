import { generateKeyPairSync } from 'node:crypto';
import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROTOCOL_VERSION, type HubInfo } from '../../shared/protocol';
import { issueCertificate } from '../hub/identity/certificate';
import { identityKeyFrom, type IdentityKey } from '../hub/identity/identityKey';
import { PROOF_HEADER, proveIdentity, sessionExporter } from '../hub/identity/identityProof';
import { startTestHub } from '../hub/testing/testHub';
import { startTlsRelay } from '../hub/testing/tlsRelay';
import {
  fetchHubInfo,
  findLiveUrl,
  hubBaseUrl,
  isDialable,
  limitConcurrency,
  MAX_INFO_BYTES,
  pickDialAddresses,
  type FetchInfo,
} from './liveness';

type Started = Awaited<ReturnType<typeof startTestHub>>;
let testHub: Started;
const servers: Array<Server | ReturnType<typeof createHttpServer>> = [];
let serverKey: IdentityKey;
let serverCert: string;

/**
 * An HTTPS server on 127.0.0.1, port 0, with a self-signed certificate of its own key (not a hub's) that it proves
 * in each session as a hub does, unless `prove` is false: so the checks after the proof are reached.
 */
async function serve(handler: (req: IncomingMessage, res: ServerResponse) => void, prove = true): Promise<number> {
  const key = serverKey.privateKey.export({ type: 'pkcs8', format: 'pem' });
  const server = createServer({ key, cert: serverCert }, (req, res) => {
    const exporter = sessionExporter(req.socket as TLSSocket);
    if (prove) res.setHeader(PROOF_HEADER, proveIdentity(exporter, serverKey.privateKey, serverKey.spki));
    handler(req, res);
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

/** A port nothing listens on (bound, then closed). */
async function closedPort(): Promise<number> {
  const server = createHttpServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

beforeAll(async () => {
  testHub = await startTestHub({ name: 'Liveness hub' });
  serverKey = identityKeyFrom(generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).privateKey);
  serverCert = await issueCertificate(serverKey, { dnsNames: ['localhost'], ipAddresses: ['127.0.0.1'] }, Date.now());
});
afterAll(async () => {
  for (const s of servers) s.closeAllConnections();
  await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
  await testHub.cleanup();
});

const options = { timeoutMs: 5_000 };

describe('fetchHubInfo', () => {
  it("returns a real hub's validated info over HTTPS, with the identity it proved and its certificate", async () => {
    const answer = await fetchHubInfo(hubBaseUrl('127.0.0.1', testHub.hub.port), options);
    expect(answer).toEqual({
      info: {
        id: testHub.hub.info().id,
        identity: testHub.hub.identity,
        name: 'Liveness hub',
        protocolVersion: PROTOCOL_VERSION,
        appVersion: expect.any(String),
      },
      identity: testHub.hub.identity,
      certificateSha256: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
  });

  it('lists nobody who cannot prove an identity key for this TLS session', async () => {
    const body = JSON.stringify(testHub.hub.info());
    // A copy of the hub's info, without a proof: a page anyone can serve.
    const unproven = await serve((_req, res) => res.end(body), false);
    await expect(fetchHubInfo(hubBaseUrl('127.0.0.1', unproven), options)).rejects.toMatchObject({
      code: 'HUB_IDENTITY_UNPROVEN',
    });
    // Someone in the middle with its own certificate, relaying the hub's answer and proof: made for another session.
    const relay = await startTlsRelay(testHub.hub.port);
    try {
      await expect(fetchHubInfo(hubBaseUrl('127.0.0.1', relay.port), options)).rejects.toMatchObject({
        code: 'HUB_IDENTITY_UNPROVEN',
        message: expect.stringMatching(/someone may be in the middle/),
      });
    } finally {
      await relay.stop();
    }
    // A real proof of its own key, with info naming the hub's identity.
    const claims = await serve((_req, res) => res.end(body));
    await expect(fetchHubInfo(hubBaseUrl('127.0.0.1', claims), options)).rejects.toMatchObject({
      code: 'HUB_IDENTITY_UNPROVEN',
      message: expect.stringContaining(`proved ${serverKey.identity}`),
    });
  });

  it('does not speak plain HTTP', async () => {
    const plain = createHttpServer((_req, res) => res.end(JSON.stringify(testHub.hub.info())));
    servers.push(plain);
    await new Promise<void>((resolve) => plain.listen(0, '127.0.0.1', resolve));
    const port = (plain.address() as AddressInfo).port;
    await expect(fetchHubInfo(hubBaseUrl('127.0.0.1', port), options)).rejects.toMatchObject({
      code: expect.stringMatching(/^(EPROTO|ERR_SSL_.*|ECONNRESET)$/),
    });
  });

  it('rejects a server that is not a hub', async () => {
    const html = await serve((_req, res) => res.end('<html>router admin</html>'));
    await expect(fetchHubInfo(hubBaseUrl('127.0.0.1', html), options)).rejects.toMatchObject({ code: 'NOT_HUB_INFO' });
    const otherJson = await serve((_req, res) => res.end(JSON.stringify({ id: 'x', hello: 'world' })));
    await expect(fetchHubInfo(hubBaseUrl('127.0.0.1', otherJson), options)).rejects.toMatchObject({
      code: 'NOT_HUB_INFO',
    });
    const notFound = await serve((_req, res) => {
      res.statusCode = 404;
      res.end();
    });
    await expect(fetchHubInfo(hubBaseUrl('127.0.0.1', notFound), options)).rejects.toMatchObject({
      code: 'HTTP_STATUS',
    });
  });

  it("stops reading a body larger than a hub's info could be", async () => {
    const huge = await serve((_req, res) => res.end(`{"id":"${'x'.repeat(MAX_INFO_BYTES * 4)}"}`));
    await expect(fetchHubInfo(hubBaseUrl('127.0.0.1', huge), options)).rejects.toMatchObject({ code: 'TOO_LARGE' });
  });

  it('gives up on a server that accepts but never answers', async () => {
    const hanging = await serve(() => {});
    await expect(fetchHubInfo(hubBaseUrl('127.0.0.1', hanging), { timeoutMs: 300 })).rejects.toMatchObject({
      code: 'TIMEOUT',
    });
    // Headers sent, body never finished: the deadline covers the whole exchange.
    const trickle = await serve((_req, res) => res.write('{"id":'));
    await expect(fetchHubInfo(hubBaseUrl('127.0.0.1', trickle), { timeoutMs: 300 })).rejects.toMatchObject({
      code: 'TIMEOUT',
    });
  });

  it('reports a closed port with its network code', async () => {
    await expect(fetchHubInfo(hubBaseUrl('127.0.0.1', await closedPort()), options)).rejects.toMatchObject({
      code: 'ECONNREFUSED',
    });
  });

  it('can be cancelled', async () => {
    const hanging = await serve(() => {});
    const abort = new AbortController();
    const pending = fetchHubInfo(hubBaseUrl('127.0.0.1', hanging), { timeoutMs: 10_000, signal: abort.signal });
    abort.abort();
    await expect(pending).rejects.toMatchObject({ code: 'ABORTED' });
  });
});

describe('findLiveUrl', () => {
  it('tries each address and answers with the first, in the given order, that is the hub', async () => {
    // 127.0.0.2 is loopback too, but the hub listens on 127.0.0.1 only: refused.
    const answer = await findLiveUrl(['127.0.0.2', '127.0.0.1'], testHub.hub.port, {
      fetchInfo: fetchHubInfo,
      timeoutMs: 5_000,
    });
    expect(answer).toEqual({
      url: `https://127.0.0.1:${testHub.hub.port}/`,
      info: expect.objectContaining({ id: testHub.hub.info().id }),
      identity: testHub.hub.identity,
      certificateSha256: expect.any(String),
    });
  });

  it('asks the address that answered last time alone first', async () => {
    const asked: string[] = [];
    const info: HubInfo = { id: 'h1', identity: 'A'.repeat(52), name: 'Hub', protocolVersion: 1, appVersion: '1' };
    const fetchInfo: FetchInfo = async (url) => {
      asked.push(url);
      return { info, identity: info.identity, certificateSha256: '00' };
    };
    await findLiveUrl(['10.0.0.1', '10.0.0.2'], 7420, {
      fetchInfo,
      timeoutMs: 100,
      preferredUrl: 'https://10.0.0.2:7420/',
    });
    expect(asked).toEqual(['https://10.0.0.2:7420/']);
  });

  it('rejects when no address answers, and never dials link-local IPv6', async () => {
    const port = await closedPort();
    await expect(findLiveUrl(['127.0.0.1'], port, { fetchInfo: fetchHubInfo, timeoutMs: 5_000 })).rejects.toMatchObject(
      { code: 'ECONNREFUSED' },
    );
    await expect(findLiveUrl(['fe80::1'], port, { fetchInfo: fetchHubInfo, timeoutMs: 5_000 })).rejects.toMatchObject({
      code: 'NO_ADDRESS',
    });
    expect(isDialable('fe80::1')).toBe(false);
    expect(isDialable('fd00::1')).toBe(true);
    expect(hubBaseUrl('fd00::1', 80)).toBe('https://[fd00::1]:80/');
  });
});

describe('bounds on what an advertiser can make us request', () => {
  const info: HubInfo = { id: 'h1', identity: 'A'.repeat(52), name: 'Hub', protocolVersion: 1, appVersion: '1' };
  const hubInfo = { info, identity: info.identity, certificateSha256: '00' };

  it('dials the sender first, then announced addresses, at most 4; no loopback/multicast for a LAN sender', () => {
    const announced = [
      '10.0.0.1',
      '127.0.0.1',
      '0.0.0.0',
      '224.0.0.251',
      '255.255.255.255',
      'fe80::1',
      '::1',
      'ff02::fb',
      'example.com',
      '10.0.0.2',
      '10.0.0.3',
      '10.0.0.4',
    ];
    expect(pickDialAddresses(announced, '192.168.1.9')).toEqual(['192.168.1.9', '10.0.0.1', '10.0.0.2', '10.0.0.3']);
    expect(pickDialAddresses(['10.0.0.1', '192.168.1.9'], '192.168.1.9')).toEqual(['192.168.1.9', '10.0.0.1']);
    // An advert from this machine may point at loopback (a hub on this computer).
    expect(pickDialAddresses(['127.0.0.1', '10.0.0.1'], '127.0.0.1')).toEqual(['127.0.0.1', '10.0.0.1']);
    expect(pickDialAddresses(['10.0.0.1'])).toEqual(['10.0.0.1']);
  });

  it('asks at most 2 addresses at once and at most 4 in all', async () => {
    let inFlight = 0;
    let maxInFlight = 0;
    const asked: string[] = [];
    const fetchInfo: FetchInfo = async (url) => {
      asked.push(url);
      maxInFlight = Math.max(maxInFlight, ++inFlight);
      await new Promise((r) => setTimeout(r, 5));
      inFlight--;
      if (url === 'https://10.0.0.4:7420/') return hubInfo;
      throw Object.assign(new Error('refused'), { code: 'ECONNREFUSED' });
    };
    const addresses = Array.from({ length: 10 }, (_, i) => `10.0.0.${i + 1}`);
    await expect(findLiveUrl(addresses, 7420, { fetchInfo, timeoutMs: 100 })).resolves.toMatchObject({
      url: 'https://10.0.0.4:7420/',
    });
    expect(maxInFlight).toBe(2);
    expect(asked).toHaveLength(4);
    asked.length = 0;
    await expect(findLiveUrl(addresses.slice(4), 7420, { fetchInfo, timeoutMs: 100 })).rejects.toMatchObject({
      code: 'ECONNREFUSED',
    });
    expect(asked).toHaveLength(4);
  });

  it('limitConcurrency queues requests beyond the limit and drops aborted waiters', async () => {
    let inFlight = 0;
    let maxInFlight = 0;
    const limited = limitConcurrency(async () => {
      maxInFlight = Math.max(maxInFlight, ++inFlight);
      await new Promise((r) => setTimeout(r, 2));
      inFlight--;
      return hubInfo;
    }, 3);
    const results = await Promise.all(
      Array.from({ length: 20 }, () => limited('https://10.0.0.1:1/', { timeoutMs: 10 })),
    );
    expect(results).toHaveLength(20);
    expect(maxInFlight).toBe(3);
    const abort = new AbortController();
    const running = Array.from({ length: 3 }, () => limited('https://10.0.0.1:1/', { timeoutMs: 10 }));
    const waiting = limited('https://10.0.0.1:1/', { timeoutMs: 10, signal: abort.signal });
    abort.abort();
    await expect(waiting).rejects.toMatchObject({ code: 'ABORTED' });
    await Promise.all(running);
  });
});
