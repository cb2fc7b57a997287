import type { HubLogger } from '../HubContext';
import { machineNames } from './hubNames';
import { HubTls } from './HubTls';
import { readOwnerCertificate } from './ownerCertificate';

export type HubTlsSettings = {
  /**
   * Serve the hub over plain HTTP to LAN browsers too, not only the page that sends them to HTTPS. Off by
   * default: plain HTTP protects nothing (docs/THREAT-MODEL.md). Loopback is always served plain.
   */
  allowPlainHttp?: boolean;
  /** A certificate (PEM, chain allowed) and key the owner got for a name they own; browsers then trust the hub. */
  certFile?: string;
  keyFile?: string;
  /** Treat loopback like a LAN address (tests of what LAN devices see). */
  loopbackIsLan?: boolean;
  /** How often to look for changed addresses, to re-issue the certificate for them. */
  refreshMs?: number;
  /** Start with a new identity (the old key is kept aside): every device that pinned the old one must pair again. */
  newIdentity?: boolean;
};

/** Addresses change with DHCP and Wi-Fi; a certificate that no longer names them makes browsers refuse the hub. */
export const CERT_REFRESH_MS = 60_000;

/** The hub's identity key and the certificate it serves (its own, or the owner's when both files are given). */
export async function startHubTls(
  settings: HubTlsSettings | undefined,
  context: { dataDir: string; allowedHosts?: readonly string[]; now: () => number; logger: HubLogger },
): Promise<HubTls> {
  const { certFile, keyFile } = settings ?? {};
  if ((certFile === undefined) !== (keyFile === undefined)) {
    throw new Error('give both the certificate and its key (--tls-cert and --tls-key), or neither');
  }
  const { dataDir, allowedHosts, now, logger } = context;
  const owner = certFile && keyFile ? await readOwnerCertificate(certFile, keyFile, now()) : undefined;
  return HubTls.start({
    dataDir,
    now,
    names: () => machineNames(allowedHosts),
    owner,
    log: (m) => logger.info(m),
    warn: (m) => logger.warn(m),
    newIdentity: settings?.newIdentity,
  });
}

/** Re-issues the self-signed certificate when the machine's addresses change, then `update` serves it. */
export function refreshCertificateEvery(
  tls: HubTls,
  intervalMs: number,
  update: () => void,
  logger: HubLogger,
): NodeJS.Timeout {
  const timer = setInterval(() => {
    tls
      .refresh()
      .then((changed) => changed && update())
      .catch((err: unknown) => logger.error('could not re-issue the hub certificate', err));
  }, intervalMs);
  timer.unref();
  return timer;
}
