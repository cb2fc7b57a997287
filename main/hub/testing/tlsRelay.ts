import { generateKeyPairSync } from 'node:crypto';
import { connect as tlsConnect, createServer as createTlsServer, type Server, type TLSSocket } from 'node:tls';
import { issueCertificate } from '../identity/certificate';
import { identityKeyFrom } from '../identity/identityKey';

/**
 * Someone in the middle, on loopback: terminates TLS with its own certificate and key and relays every byte
 * to the hub over a second TLS session of its own, as an attacker on the LAN path (ARP or DHCP spoofing)
 * would. Returns its port and a stop.
 */
export async function startTlsRelay(
  hubPort: number,
  where: { listenHost?: string; listenPort?: number; targetHost?: string; maxVersion?: 'TLSv1.2' } = {},
): Promise<{ port: number; stop(): Promise<void> }> {
  const own = identityKeyFrom(generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).privateKey);
  const cert = await issueCertificate(own, { dnsNames: ['localhost'], ipAddresses: ['127.0.0.1'] }, Date.now());
  const key = own.privateKey.export({ type: 'pkcs8', format: 'pem' });
  const sockets = new Set<TLSSocket>();
  const relay: Server = createTlsServer({ key, cert, maxVersion: where.maxVersion }, (victim: TLSSocket) => {
    const upstream = tlsConnect({ host: where.targetHost ?? '127.0.0.1', port: hubPort, rejectUnauthorized: false });
    for (const s of [victim, upstream]) {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
    }
    victim.pipe(upstream).pipe(victim);
    victim.on('error', () => upstream.destroy());
    upstream.on('error', () => victim.destroy());
  });
  await new Promise<void>((resolve) => relay.listen(where.listenPort ?? 0, where.listenHost ?? '127.0.0.1', resolve));
  return {
    port: (relay.address() as { port: number }).port,
    stop: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        relay.close(() => resolve());
      }),
  };
}
