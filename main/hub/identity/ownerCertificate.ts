import { createPrivateKey, X509Certificate } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { namesOf } from './certificate';

/** A certificate the owner got for a name they own (say from Let's Encrypt), so browsers trust the hub. */
export type OwnerCertificate = { certPem: string; keyPem: string; dnsNames: string[]; validTo: number };

export class OwnerCertificateError extends Error {
  readonly code = 'TLS_CERT_INVALID';

  constructor(message: string) {
    super(message);
    this.name = 'OwnerCertificateError';
  }
}

/**
 * Reads and checks the owner's certificate (PEM; a chain is fine, the first
 * is the hub's) and its private key. Refused with a message naming the file:
 * unreadable, not PEM, the key not the certificate's, expired.
 */
export async function readOwnerCertificate(certFile: string, keyFile: string, now: number): Promise<OwnerCertificate> {
  const certPem = await readText(certFile);
  const keyPem = await readText(keyFile);
  let cert: X509Certificate;
  try {
    cert = new X509Certificate(certPem);
  } catch (err) {
    throw new OwnerCertificateError(`${certFile} holds no PEM certificate (${(err as Error).message}).`);
  }
  let key;
  try {
    key = createPrivateKey({ key: keyPem, format: 'pem' });
  } catch (err) {
    throw new OwnerCertificateError(`${keyFile} holds no unencrypted PEM private key (${(err as Error).message}).`);
  }
  if (!cert.checkPrivateKey(key)) throw new OwnerCertificateError(`${keyFile} is not the key of ${certFile}.`);
  const validTo = Date.parse(cert.validTo);
  if (validTo <= now) throw new OwnerCertificateError(`${certFile} expired on ${cert.validTo}: renew it.`);
  return { certPem, keyPem, dnsNames: namesOf(cert).dnsNames, validTo };
}

async function readText(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (err) {
    throw new OwnerCertificateError(`${file} cannot be read: ${(err as NodeJS.ErrnoException).code ?? String(err)}.`);
  }
}
