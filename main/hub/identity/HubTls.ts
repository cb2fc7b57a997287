import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { SecureContextOptions } from 'node:tls';
import { writeFileDurably } from '../registry/durableWrite';
import { issueCertificate, reissueReason, type CertificateNames } from './certificate';
import { makeEntryPrivate } from '../privateFiles';
import { IDENTITY_KEY_FILE, loadOrCreateIdentityKey, retireIdentityKey, type IdentityKey } from './identityKey';
import type { OwnerCertificate } from './ownerCertificate';

/** The self-signed certificate for the identity key; re-issued whenever it no longer fits. */
export const CERTIFICATE_FILE = 'hub-certificate.pem';

export type HubTlsOptions = {
  dataDir: string;
  now: () => number;
  /** What the self-signed certificate must name; asked at start and at every refresh. */
  names: () => CertificateNames;
  /** Served instead of the self-signed certificate; the identity key stays the hub's own. */
  owner?: OwnerCertificate;
  log: (message: string) => void;
  warn: (message: string) => void;
  /** Retire the identity key and make a new one (retireIdentityKey): every device must pair again. */
  newIdentity?: boolean;
};

/**
 * The hub's TLS side: its identity key (which devices pin) and the
 * certificate served with it. The certificate may change (addresses, expiry,
 * an owner's own); the identity does not.
 */
export class HubTls {
  private constructor(
    readonly key: IdentityKey,
    private certPem: string,
    private readonly options: HubTlsOptions,
  ) {}

  static async start(options: HubTlsOptions): Promise<HubTls> {
    if (options.newIdentity) {
      const retired = await retireIdentityKey(options.dataDir, options.now());
      if (retired) options.log(`retired the hub's identity key to ${retired}: devices must pair again`);
    }
    const { key, created } = await loadOrCreateIdentityKey(options.dataDir);
    const keyFile = path.join(options.dataDir, IDENTITY_KEY_FILE);
    if (created) options.log(`made the hub's identity key (${keyFile})`);
    // Made 0600, but a copy restored from a backup or edited by hand may be wider: whoever reads it can be the hub.
    const { changed, failed } = await makeEntryPrivate(keyFile);
    if (changed.length > 0)
      options.warn(
        `${keyFile} was readable by other users of this computer; it is now private (0600). Anyone who copied it ` +
          'could pretend to be this hub: if that may have happened, start the hub once with --new-identity.',
      );
    if (failed.length > 0)
      options.warn(`${keyFile} is readable by other users and could not be made private: change its owner or mode.`);
    await makeEntryPrivate(path.join(options.dataDir, CERTIFICATE_FILE));
    const tls = new HubTls(key, '', options);
    if (options.owner) tls.certPem = options.owner.certPem;
    else
      tls.certPem = await tls.selfSignedCertificate(await readFile(tls.certificateFile, 'utf8').catch(() => undefined));
    return tls;
  }

  get identity(): string {
    return this.key.identity;
  }

  /** For tls.createServer / setSecureContext. TLS 1.3 only: every browser we support has it (DECISIONS.md). */
  secureContext(): SecureContextOptions {
    return {
      key: this.options.owner?.keyPem ?? this.key.privateKey.export({ type: 'pkcs8', format: 'pem' }),
      cert: this.certPem,
      minVersion: 'TLSv1.3',
    };
  }

  /** Names on the owner's certificate: the Host check accepts them. */
  ownerNames(): string[] {
    return this.options.owner?.dnsNames ?? [];
  }

  /**
   * Re-issues the self-signed certificate if the machine's addresses changed
   * or it nears expiry; true when it did (the server then takes the new one).
   */
  async refresh(): Promise<boolean> {
    if (this.options.owner) return false;
    // Against the certificate in memory: the file is read once, at start.
    const next = await this.selfSignedCertificate(this.certPem);
    if (next === this.certPem) return false;
    this.certPem = next;
    return true;
  }

  private get certificateFile(): string {
    return path.join(this.options.dataDir, CERTIFICATE_FILE);
  }

  /** `current` if it still fits the names and dates, else a new one, stored. */
  private async selfSignedCertificate(current: string | undefined): Promise<string> {
    const names = this.options.names();
    const now = this.options.now();
    const why = reissueReason(current, this.key, names, now);
    if (!why) return current!;
    const pem = await issueCertificate(this.key, names, now);
    await writeFileDurably(this.certificateFile, pem, { mode: 0o600 });
    this.options.log(`issued the hub's certificate (${why})`);
    return pem;
  }
}
