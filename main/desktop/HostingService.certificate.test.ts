import { generateKeyPairSync, X509Certificate } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { issueCertificate } from '../hub/identity/certificate';
import { identityKeyFrom } from '../hub/identity/identityKey';
import { cleanupsAfterEach } from '../hub/testing/cleanups';
import { httpsGet } from '../hub/testing/httpGet';
import { makeTempDir, quietLogger } from '../hub/testing/testHub';
import { HostingService } from './HostingService';

const cleanups = cleanupsAfterEach();

async function setUp() {
  const temp = await makeTempDir('roost-hosting-cert-');
  const hosting = new HostingService({
    dataDir: path.join(temp.dir, 'hub'),
    host: '127.0.0.1',
    advertise: false,
    logger: quietLogger,
  });
  cleanups.push(async () => {
    await hosting.stop();
    await temp.remove();
  });
  const owner = identityKeyFrom(generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).privateKey);
  const certPem = await issueCertificate(owner, { dnsNames: ['hub.home.example'], ipAddresses: [] }, Date.now());
  const certificate = { certFile: path.join(temp.dir, 'hub.crt'), keyFile: path.join(temp.dir, 'hub.key') };
  await writeFile(certificate.certFile, certPem);
  await writeFile(certificate.keyFile, owner.privateKey.export({ type: 'pkcs8', format: 'pem' }));
  return { hosting, certificate, certPem };
}

describe("the hosted hub with the owner's certificate", () => {
  it('serves it after a restart, keeps the identity, and goes back to its own when asked', async () => {
    const { hosting, certificate, certPem } = await setUp();
    const first = await hosting.start({ name: 'Den', port: 0 });
    if (first.state !== 'running') throw new Error(JSON.stringify(first));
    const port = first.port;
    const withOwner = await hosting.start({ name: 'Den', port, certificate });
    expect(withOwner).toMatchObject({ state: 'running', identity: first.identity });
    const served = await httpsGet(port, '/api/info', { pin: first.identity });
    expect(new X509Certificate(served.peerCertificate.raw).fingerprint256).toBe(
      new X509Certificate(certPem).fingerprint256,
    );
    expect(served.proof).toEqual({ ok: true, identity: first.identity });
    expect(hosting.runningConfig()).toEqual({ name: 'Den', port, certificate });

    await hosting.start({ name: 'Den', port });
    const own = await httpsGet(port, '/api/info');
    expect(new X509Certificate(own.peerCertificate.raw).fingerprint256).not.toBe(
      new X509Certificate(certPem).fingerprint256,
    );
  });

  it('refuses a certificate not for the key given (TLS_CERT_INVALID) and keeps the hub running', async () => {
    const { hosting, certificate } = await setUp();
    const first = await hosting.start({ name: 'Den', port: 0 });
    if (first.state !== 'running') throw new Error(JSON.stringify(first));
    const other = identityKeyFrom(generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).privateKey);
    await writeFile(certificate.keyFile, other.privateKey.export({ type: 'pkcs8', format: 'pem' }));
    const refused = await hosting.start({ name: 'Den', port: first.port, certificate });
    expect(refused).toMatchObject({ state: 'error', code: 'TLS_CERT_INVALID' });
    expect(hosting.status()).toMatchObject({ state: 'running', port: first.port });
  });
});
