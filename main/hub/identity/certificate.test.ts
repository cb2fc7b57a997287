import { generateKeyPairSync, X509Certificate } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { CERT_VALIDITY_DAYS, issueCertificate, namesOf, reissueReason } from './certificate';
import { identityKeyFrom } from './identityKey';

const key = identityKeyFrom(generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).privateKey);
const names = { dnsNames: ['localhost', 'den.local'], ipAddresses: ['127.0.0.1', '192.168.1.20', '::1'] };
const now = Date.parse('2026-12-07T12:00:00Z');
const DAY = 86_400_000;

describe('the hub certificate', () => {
  it('is self-signed for the identity key, for a server, for at most 825 days, naming every address', async () => {
    const cert = new X509Certificate(await issueCertificate(key, names, now));
    expect(cert.publicKey.export({ type: 'spki', format: 'der' }).equals(key.spki)).toBe(true);
    expect(cert.verify(key.publicKey)).toBe(true);
    expect(cert.ca).toBe(false);
    expect(cert.keyUsage).toEqual(['1.3.6.1.5.5.7.3.1']);
    expect(Date.parse(cert.validTo) - Date.parse(cert.validFrom)).toBeLessThanOrEqual(CERT_VALIDITY_DAYS * DAY);
    expect(namesOf(cert)).toEqual(names);
    expect(cert.checkHost('den.local')).toBe('den.local');
    expect(cert.checkIP('192.168.1.20')).toBe('192.168.1.20');
  });

  it('is kept while it fits, and re-issued for new addresses, near expiry, or another key', async () => {
    const pem = await issueCertificate(key, names, now);
    expect(reissueReason(pem, key, { ...names, ipAddresses: [...names.ipAddresses].reverse() }, now)).toBeUndefined();
    expect(reissueReason(pem, key, { ...names, ipAddresses: ['127.0.0.1', '10.0.0.7', '::1'] }, now)).toMatch(
      /addresses changed/,
    );
    expect(reissueReason(pem, key, names, now + (CERT_VALIDITY_DAYS - 20) * DAY)).toMatch(/expires soon/);
    const other = identityKeyFrom(generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).privateKey);
    expect(reissueReason(pem, other, names, now)).toMatch(/another key/);
    expect(reissueReason('not a certificate', key, names, now)).toMatch(/cannot be read/);
    expect(reissueReason(undefined, key, names, now)).toMatch(/there was none/);
  });

  it('keeps the identity when re-issued: the identity is of the key, not of the certificate', async () => {
    const first = new X509Certificate(await issueCertificate(key, names, now));
    const second = new X509Certificate(await issueCertificate(key, { ...names, ipAddresses: ['10.0.0.7'] }, now));
    expect(first.fingerprint256).not.toBe(second.fingerprint256);
    expect(identityKeyFrom(key.privateKey).identity).toBe(key.identity);
    expect(second.publicKey.export({ type: 'spki', format: 'der' }).equals(key.spki)).toBe(true);
  });
});
