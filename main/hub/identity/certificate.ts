// tsyringe, which @peculiar/x509 uses inside, needs the Reflect metadata API before the library loads.
import 'reflect-metadata';
import { randomBytes, webcrypto, X509Certificate } from 'node:crypto';
import { isIP } from 'node:net';
import * as x509 from '@peculiar/x509';
import type { IdentityKey } from './identityKey';

x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);

/** Apple's limit for a TLS server certificate (825 days); we issue exactly that. */
export const CERT_VALIDITY_DAYS = 825;
/** Re-issued this long before it expires, so no device ever meets an expired one. */
export const REISSUE_BEFORE_DAYS = 30;
/** notBefore this far in the past: a device whose clock is a little behind still accepts a fresh certificate. */
const CLOCK_SKEW_MS = 60 * 60_000;
const DAY_MS = 86_400_000;

/** The names and addresses a certificate is for: what a browser may put in the address bar. */
export type CertificateNames = { dnsNames: string[]; ipAddresses: string[] };

const ECDSA_P256 = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;

/**
 * A self-signed certificate for the hub's identity key: serverAuth, not a CA,
 * its names in the subject alternative names. Browsers show a warning for it
 * (nobody vouches for it); native clients pin the key, not the certificate.
 */
export async function issueCertificate(key: IdentityKey, names: CertificateNames, now: number): Promise<string> {
  const keys = {
    privateKey: await webcrypto.subtle.importKey(
      'pkcs8',
      key.privateKey.export({ type: 'pkcs8', format: 'der' }),
      ECDSA_P256,
      false,
      ['sign'],
    ),
    publicKey: await webcrypto.subtle.importKey('spki', key.spki, ECDSA_P256, true, ['verify']),
  };
  const notBefore = new Date(now - CLOCK_SKEW_MS);
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    // 16 random bytes, top bit clear: a positive serial, unique per issue as RFC 5280 asks.
    serialNumber: (randomBytes(16)[0]! & 0x7f).toString(16).padStart(2, '0') + randomBytes(15).toString('hex'),
    name: `CN=Roost hub ${key.identity.slice(0, 8)}`,
    notBefore,
    notAfter: new Date(notBefore.getTime() + CERT_VALIDITY_DAYS * DAY_MS),
    keys,
    signingAlgorithm: ECDSA_P256,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
      new x509.SubjectAlternativeNameExtension([
        ...names.dnsNames.map((value) => ({ type: 'dns' as const, value })),
        ...names.ipAddresses.map((value) => ({ type: 'ip' as const, value })),
      ]),
    ],
  });
  return cert.toString('pem');
}

/**
 * Why the stored certificate must be issued again, or undefined when it is
 * still right: missing or unreadable, for another key, not covering exactly
 * these names, or within REISSUE_BEFORE_DAYS of expiry.
 */
export function reissueReason(
  pem: string | undefined,
  key: IdentityKey,
  names: CertificateNames,
  now: number,
): string | undefined {
  if (pem === undefined) return 'there was none';
  let cert: X509Certificate;
  try {
    cert = new X509Certificate(pem);
  } catch {
    return 'the stored one cannot be read';
  }
  if (!cert.publicKey.export({ type: 'spki', format: 'der' }).equals(key.spki)) return 'it is for another key';
  if (Date.parse(cert.validTo) - now < REISSUE_BEFORE_DAYS * DAY_MS) return 'it expires soon';
  if (Date.parse(cert.validFrom) > now) return 'it is not valid yet';
  if (sameNames(namesOf(cert), names)) return undefined;
  return 'the names or addresses changed';
}

/** The DNS names and IP addresses in a certificate's subject alternative names. */
export function namesOf(cert: X509Certificate): CertificateNames {
  const names: CertificateNames = { dnsNames: [], ipAddresses: [] };
  for (const entry of (cert.subjectAltName ?? '').split(', ')) {
    if (entry.startsWith('DNS:')) names.dnsNames.push(entry.slice(4).toLowerCase());
    else if (entry.startsWith('IP Address:')) names.ipAddresses.push(canonicalIp(entry.slice(11)));
  }
  return names;
}

function sameNames(a: CertificateNames, b: CertificateNames): boolean {
  const key = (n: CertificateNames) =>
    JSON.stringify([
      [...new Set(n.dnsNames.map((d) => d.toLowerCase()))].sort(),
      [...new Set(n.ipAddresses.map(canonicalIp))].sort(),
    ]);
  return key(a) === key(b);
}

/** Node prints IPv6 in full (0:0:0:0:0:0:0:1); compare in the URL form (::1). */
function canonicalIp(address: string): string {
  if (isIP(address) !== 6) return address;
  return new URL(`http://[${address}]/`).hostname.slice(1, -1);
}
