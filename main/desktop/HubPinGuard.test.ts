/**
 * The pin check as Electron would run it, against real TLS on loopback: a real hub (its own self-signed
 * certificate, and an owner's certificate with the proof behind it), and someone in the middle
 * (main/hub/testing/tlsRelay.ts) with a certificate of its own. Chromium's side is the request it would
 * pass: the certificate the server presented and whether Chromium trusts its chain.
 */
import { generateKeyPairSync, X509Certificate } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { issueCertificate } from '../hub/identity/certificate';
import { identityKeyFrom } from '../hub/identity/identityKey';
import { cleanupsAfterEach } from '../hub/testing/cleanups';
import { presentedCertificate } from '../hub/testing/peerCertificate';
import { startTestHub, makeTempDir } from '../hub/testing/testHub';
import { startTlsRelay } from '../hub/testing/tlsRelay';
import {
  CERT_ACCEPT,
  CERT_REFUSE,
  CERT_USE_CHROMIUM,
  type CertificateRequest,
  type PinRefusal,
} from './certificatePin';
import { HubPinGuard } from './HubPinGuard';

const cleanups = cleanupsAfterEach();

const chromiumRequest = (pem: string, trusted: boolean): CertificateRequest => ({
  hostname: '127.0.0.1',
  certificate: { data: pem },
  verificationResult: trusted ? 'OK' : 'net::ERR_CERT_AUTHORITY_INVALID',
  errorCode: trusted ? 0 : -202,
});

async function hub(options: Parameters<typeof startTestHub>[0] = {}) {
  const started = await startTestHub(options);
  cleanups.push(() => started.cleanup());
  return started.hub;
}

function guardFor(port: number, identity: string) {
  const refusals: PinRefusal[] = [];
  const guard = new HubPinGuard({
    pinned: () => ({ host: '127.0.0.1', port, identity }),
    onRefused: (refusal) => refusals.push(refusal),
  });
  return { guard, refusals };
}

describe('HubPinGuard over real TLS', () => {
  it("accepts the pinned hub's own certificate, and leaves other hosts to Chromium", async () => {
    const h = await hub();
    const { guard, refusals } = guardFor(h.port, h.identity);
    const pem = await presentedCertificate(h.port);
    expect(await guard.verify(chromiumRequest(pem, false))).toBe(CERT_ACCEPT);
    expect(await guard.verify({ ...chromiumRequest(pem, false), hostname: 'example.com' })).toBe(CERT_USE_CHROMIUM);
    expect(refusals).toEqual([]);
  });

  it('refuses someone in the middle with its own certificate, and says which identity it showed', async () => {
    const h = await hub();
    const relay = await startTlsRelay(h.port);
    cleanups.push(() => relay.stop());
    const { guard, refusals } = guardFor(relay.port, h.identity);
    const pem = await presentedCertificate(relay.port);
    expect(await guard.verify(chromiumRequest(pem, false))).toBe(CERT_REFUSE);
    expect(refusals).toEqual([
      {
        code: 'HUB_IDENTITY_CHANGED',
        presented: expect.not.stringMatching(h.identity),
        message: expect.stringContaining('different identity'),
      },
    ]);
  });

  it("accepts an owner's CA-trusted certificate once Node saw the pinned identity proven behind it", async () => {
    const temp = await makeTempDir('roost-pin-owner-');
    cleanups.push(() => temp.remove());
    const ownerKey = identityKeyFrom(generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).privateKey);
    const names = { dnsNames: ['hub.home.example'], ipAddresses: ['127.0.0.1'] };
    const certFile = path.join(temp.dir, 'owner.crt');
    const keyFile = path.join(temp.dir, 'owner.key');
    await writeFile(certFile, await issueCertificate(ownerKey, names, Date.now()));
    await writeFile(keyFile, ownerKey.privateKey.export({ type: 'pkcs8', format: 'pem' }));
    const h = await hub({ dataDir: path.join(temp.dir, 'data'), tls: { certFile, keyFile } });
    const pem = await presentedCertificate(h.port);
    expect(new X509Certificate(pem).publicKey.equals(ownerKey.publicKey)).toBe(true);

    const { guard, refusals } = guardFor(h.port, h.identity);
    // Chromium does not trust it (no CA here): neither the pinned key nor vouched for.
    expect(await guard.verify(chromiumRequest(pem, false))).toBe(CERT_REFUSE);
    // Chromium trusts it (the owner's CA): Node asks the hub, which proves the pinned identity behind it.
    expect(await guard.verify(chromiumRequest(pem, true))).toBe(CERT_ACCEPT);
    expect(refusals.map((r) => r.code)).toEqual(['HUB_IDENTITY_CHANGED']);

    // Pinned to another identity, the same certificate is refused: what was proven there is not the pin.
    const other = guardFor(h.port, 'A'.repeat(52));
    expect(await other.guard.verify(chromiumRequest(pem, true))).toBe(CERT_REFUSE);
    expect(other.refusals).toEqual([expect.objectContaining({ code: 'HUB_IDENTITY_CHANGED', presented: h.identity })]);
  });

  it('vouches only for the certificate Node itself was shown behind the proof', async () => {
    const h = await hub();
    const { guard, refusals } = guardFor(h.port, h.identity);
    // Chromium's connection met a trusted certificate of another key, while Node reaches the real hub: someone
    // intercepts only some connections. The hub's proof is for its own certificate, not for the one Chromium saw.
    const stranger = identityKeyFrom(generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).privateKey);
    const names = { dnsNames: [], ipAddresses: ['127.0.0.1'] };
    const strangerCert = await issueCertificate(stranger, names, Date.now());
    expect(await guard.verify(chromiumRequest(strangerCert, true))).toBe(CERT_REFUSE);
    expect(refusals).toEqual([expect.objectContaining({ code: 'HUB_IDENTITY_UNPROVEN' })]);
  });

  it('refuses a CA-trusted certificate in the middle: the relay cannot prove the identity behind it', async () => {
    const h = await hub();
    const relay = await startTlsRelay(h.port);
    cleanups.push(() => relay.stop());
    const { guard, refusals } = guardFor(relay.port, h.identity);
    // As if the attacker's certificate chained to a root this computer trusts (a corporate proxy's, say).
    expect(await guard.verify(chromiumRequest(await presentedCertificate(relay.port), true))).toBe(CERT_REFUSE);
    expect(refusals).toEqual([expect.objectContaining({ code: 'HUB_IDENTITY_UNPROVEN' })]);
  });
});
