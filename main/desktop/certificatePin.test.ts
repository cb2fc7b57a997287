import { generateKeyPairSync, X509Certificate } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { issueCertificate } from '../hub/identity/certificate';
import { identityKeyFrom, type IdentityKey } from '../hub/identity/identityKey';
import {
  certificateSha256,
  decideCertificate,
  MAX_PROVEN_CERTIFICATES,
  ProofCache,
  type CertificateRequest,
  type PinnedHub,
} from './certificatePin';

const newKey = () => identityKeyFrom(generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).privateKey);
let hubKey: IdentityKey;
let otherKey: IdentityKey;
let hubCert: string;
let otherCert: string;
let pinned: PinnedHub;

beforeAll(async () => {
  hubKey = newKey();
  otherKey = newKey();
  const names = { dnsNames: ['localhost'], ipAddresses: ['192.168.1.20'] };
  hubCert = await issueCertificate(hubKey, names, Date.now());
  otherCert = await issueCertificate(otherKey, names, Date.now());
  pinned = { host: '192.168.1.20', port: 7420, identity: hubKey.identity };
});

/** Chromium's request for a certificate it does not trust (a self-signed one), or one it does. */
const request = (pem: string, trusted = false, hostname = '192.168.1.20'): CertificateRequest => ({
  hostname,
  certificate: { data: pem },
  verificationResult: trusted ? 'OK' : 'net::ERR_CERT_AUTHORITY_INVALID',
  errorCode: trusted ? 0 : -202,
});
const sha = (pem: string) => certificateSha256(new X509Certificate(pem).raw);
const nothingProven = new ProofCache();

describe('decideCertificate', () => {
  it('leaves every other host to Chromium, and every host when nothing is pinned', () => {
    expect(decideCertificate(request(otherCert, false, 'example.com'), pinned, nothingProven)).toEqual({
      verdict: 'chromium',
    });
    expect(decideCertificate(request(otherCert), undefined, nothingProven)).toEqual({ verdict: 'chromium' });
  });

  it("accepts the hub's self-signed certificate for its pinned key, whatever Chromium thinks of the chain", () => {
    expect(decideCertificate(request(hubCert), pinned, nothingProven)).toEqual({ verdict: 'accept' });
    expect(decideCertificate(request(hubCert, true), pinned, nothingProven)).toEqual({ verdict: 'accept' });
  });

  it('refuses a certificate of another key that nobody vouches for, naming the identity shown instead', () => {
    expect(decideCertificate(request(otherCert), pinned, nothingProven)).toEqual({
      verdict: 'refuse',
      code: 'HUB_IDENTITY_CHANGED',
      presented: otherKey.identity,
      message: expect.stringMatching(/^The hub at this address has a different identity than the one this app paired/),
    });
  });

  it("asks for a Node-side proof behind an owner's CA-trusted certificate, then accepts it only for the pin", () => {
    const hostPort = '192.168.1.20:7420';
    expect(decideCertificate(request(otherCert, true), pinned, nothingProven)).toEqual({
      verdict: 'probe',
      hostPort,
      certificateSha256: sha(otherCert),
    });
    const proven = new ProofCache();
    proven.set(hostPort, sha(otherCert), hubKey.identity);
    expect(decideCertificate(request(otherCert, true), pinned, proven)).toEqual({ verdict: 'accept' });
    // The same proof does not vouch for another certificate, nor for another port.
    const third = new ProofCache();
    third.set(hostPort, sha(hubCert), hubKey.identity);
    third.set('192.168.1.20:7421', sha(otherCert), hubKey.identity);
    expect(decideCertificate(request(otherCert, true), pinned, third)).toMatchObject({ verdict: 'probe' });
    // Behind it, another identity was proven: a changed hub, not re-pinned.
    const changed = new ProofCache();
    changed.set(hostPort, sha(otherCert), otherKey.identity);
    expect(decideCertificate(request(otherCert, true), pinned, changed)).toMatchObject({
      verdict: 'refuse',
      code: 'HUB_IDENTITY_CHANGED',
      presented: otherKey.identity,
    });
  });

  it('refuses what cannot be read as a certificate', () => {
    expect(decideCertificate(request('not a certificate'), pinned, nothingProven)).toMatchObject({
      verdict: 'refuse',
      code: 'HUB_IDENTITY_UNPROVEN',
    });
  });

  it('compares hosts as URLs and Chromium write them (IPv6 brackets, case)', () => {
    const v6: PinnedHub = { host: '[FD00::20]', port: 7420, identity: hubKey.identity };
    expect(decideCertificate(request(hubCert, false, 'fd00::20'), v6, nothingProven)).toEqual({ verdict: 'accept' });
    expect(decideCertificate(request(otherCert, false, '[fd00::20]'), v6, nothingProven)).toMatchObject({
      verdict: 'refuse',
    });
    const named: PinnedHub = { host: 'Hub.Home.Example', port: 443, identity: hubKey.identity };
    expect(decideCertificate(request(otherCert, true, 'hub.home.example'), named, nothingProven)).toMatchObject({
      verdict: 'probe',
      hostPort: 'hub.home.example:443',
    });
  });
});

describe('ProofCache', () => {
  it(`keeps at most ${MAX_PROVEN_CERTIFICATES} proofs, the oldest going first`, () => {
    const cache = new ProofCache();
    for (let i = 0; i <= MAX_PROVEN_CERTIFICATES; i++) cache.set('h:1', String(i), 'ID');
    expect(cache.get('h:1', '0')).toBeUndefined();
    expect(cache.get('h:1', String(MAX_PROVEN_CERTIFICATES))).toBe('ID');
    cache.clear();
    expect(cache.get('h:1', '1')).toBeUndefined();
  });
});
