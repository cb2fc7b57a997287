import { X509Certificate } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { cleanupsAfterEach } from '../testing/cleanups';
import { makeTempDir } from '../testing/tempDir';
import type { CertificateNames } from './certificate';
import { HubTls } from './HubTls';

const cleanups = cleanupsAfterEach();

async function start(names: () => CertificateNames) {
  const temp = await makeTempDir('roost-hubtls-');
  cleanups.push(temp.remove);
  const options = { dataDir: temp.dir, now: Date.now, names, log: () => {}, warn: () => {} };
  return { tls: await HubTls.start(options), restart: () => HubTls.start(options) };
}

const served = (tls: HubTls) => new X509Certificate(String(tls.secureContext().cert));

describe('HubTls', () => {
  it('re-issues the certificate for new addresses with the same identity, and keeps it while they stay', async () => {
    let names: CertificateNames = { dnsNames: ['localhost'], ipAddresses: ['127.0.0.1', '192.168.1.20'] };
    const { tls, restart } = await start(() => names);
    const before = served(tls);
    expect(await tls.refresh()).toBe(false);
    names = { dnsNames: ['localhost'], ipAddresses: ['127.0.0.1', '10.0.0.7'] };
    expect(await tls.refresh()).toBe(true);
    const after = served(tls);
    expect(after.checkIP('10.0.0.7')).toBe('10.0.0.7');
    expect(after.fingerprint256).not.toBe(before.fingerprint256);
    // Stored: a restart with the same addresses serves the same certificate and the same identity.
    const again = await restart();
    expect(served(again).fingerprint256).toBe(after.fingerprint256);
    expect(again.identity).toBe(tls.identity);
  });
});
