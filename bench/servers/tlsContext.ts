import { generateKeyPairSync } from 'node:crypto';
import type { SecureContextOptions } from 'node:tls';
import { issueCertificate } from '../../main/hub/identity/certificate';
import { identityKeyFrom } from '../../main/hub/identity/identityKey';
import { HOST } from './RunningServer';

/**
 * What the hub serves over TLS, for a bare server to serve the same: a fresh
 * P-256 key with a self-signed certificate for the loopback address, issued
 * by the hub's own code, TLS 1.3 only (HubTls.secureContext). So the two
 * servers differ in what they do per message, not in their TLS.
 */
export async function selfSignedContext(): Promise<SecureContextOptions> {
  const key = identityKeyFrom(generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).privateKey);
  const cert = await issueCertificate(key, { dnsNames: ['localhost'], ipAddresses: [HOST] }, Date.now());
  return { key: key.privateKey.export({ type: 'pkcs8', format: 'pem' }), cert, minVersion: 'TLSv1.3' };
}
