/**
 * The desktop app's pin check: which TLS certificates the renderer may accept, decided for each of
 * Chromium's certificate verifications (Electron's `session.setCertificateVerifyProc`). Plain Node and
 * pure (the proofs seen so far are passed in), so every rule is tested without Electron.
 *
 * The app pins the joined hub's identity (the SHA-256 of its identity key's SPKI, appendix C), never a
 * certificate: the hub's own certificate is self-signed for that key, and an owner's CA-trusted
 * certificate (`--tls-cert`) carries another key, behind which the hub proves its identity key inside
 * the TLS session. Chromium cannot check that proof, so for such a certificate Node asks the hub
 * itself (`probeHubProof`) and the answer is remembered for that exact certificate.
 */
import { createHash, X509Certificate } from 'node:crypto';
import { identityOf } from '../hub/identity/identityKey';

/** Electron's answers to a certificate verification. */
export const CERT_ACCEPT = 0;
export const CERT_REFUSE = -2;
/** Use Chromium's own verification result: for every host but the pinned hub's. */
export const CERT_USE_CHROMIUM = -3;

/** The part of Electron's request the check reads (`Electron.Request` of setCertificateVerifyProc). */
export type CertificateRequest = {
  hostname: string;
  certificate: { data: string };
  /** `OK` when Chromium trusts the chain for this host (an owner's certificate), else an error name. */
  verificationResult: string;
  errorCode: number;
};

/** The hub this app joined: where it is, and the identity it paired with. */
export type PinnedHub = { host: string; port: number; identity: string };

/** Identities that a Node-side probe saw proven behind one certificate at one host:port. */
export type ProvenCertificates = { get(hostPort: string, certificateSha256: string): string | undefined };

export type PinRefusal = {
  code: 'HUB_IDENTITY_CHANGED' | 'HUB_IDENTITY_UNPROVEN';
  /** The identity the hub at this address showed instead, when it showed one. */
  presented?: string;
  message: string;
};

export type PinDecision =
  | { verdict: 'chromium' }
  | { verdict: 'accept' }
  /** A CA-trusted certificate nobody has vouched for yet: prove the pinned identity behind it from Node. */
  | { verdict: 'probe'; hostPort: string; certificateSha256: string }
  | ({ verdict: 'refuse' } & PinRefusal);

export const IDENTITY_CHANGED_MESSAGE =
  'The hub at this address has a different identity than the one this app paired with. Someone may be ' +
  'pretending to be your hub, or its owner gave it a new identity. Check with the hub’s owner; then forget ' +
  'this hub and pair again.';

export const IDENTITY_UNPROVEN_MESSAGE =
  'The hub at this address did not prove the identity this app paired with, so Roost did not connect. ' +
  'Check that the hub runs and is reachable; if its owner changed its certificate or identity, forget this ' +
  'hub and pair again.';

/** Host names as Chromium and URLs write them: no IPv6 brackets, lower case. */
export function normalizeHost(host: string): string {
  return host.replace(/^\[|\]$/g, '').toLowerCase();
}

export function hostPortOf(pinned: PinnedHub): string {
  return `${normalizeHost(pinned.host)}:${pinned.port}`;
}

/** The hex SHA-256 of a certificate's DER, as liveness.ProvenInfo.certificateSha256 has it. */
export function certificateSha256(der: Buffer): string {
  return createHash('sha256').update(der).digest('hex');
}

/**
 * Decides one verification. Only the pinned hub's host is judged: any other host keeps Chromium's result.
 * For the pinned host a certificate is accepted iff its own key is the pinned identity key (the hub's
 * self-signed certificate, whatever Chromium thinks of its chain or names), or Chromium trusts it and a
 * Node-side probe has seen the hub prove the pinned identity behind this very certificate. Everything else
 * is refused, and never re-pinned.
 */
export function decideCertificate(
  request: CertificateRequest,
  pinned: PinnedHub | undefined,
  proven: ProvenCertificates,
): PinDecision {
  if (!pinned || normalizeHost(request.hostname) !== normalizeHost(pinned.host)) return { verdict: 'chromium' };
  let certificate: X509Certificate;
  try {
    certificate = new X509Certificate(request.certificate.data);
  } catch {
    return { verdict: 'refuse', code: 'HUB_IDENTITY_UNPROVEN', message: IDENTITY_UNPROVEN_MESSAGE };
  }
  const keyIdentity = identityOf(certificate.publicKey);
  if (keyIdentity === pinned.identity) return { verdict: 'accept' };
  const trusted = request.errorCode === 0 && /^(net::)?OK$/.test(request.verificationResult);
  if (!trusted) {
    // Not the pinned key, and nobody vouches for it: the hub's certificate was replaced by another key's.
    return {
      verdict: 'refuse',
      code: 'HUB_IDENTITY_CHANGED',
      presented: keyIdentity,
      message: IDENTITY_CHANGED_MESSAGE,
    };
  }
  const hostPort = hostPortOf(pinned);
  const sha = certificateSha256(certificate.raw);
  const seen = proven.get(hostPort, sha);
  if (seen === undefined) return { verdict: 'probe', hostPort, certificateSha256: sha };
  if (seen === pinned.identity) return { verdict: 'accept' };
  return { verdict: 'refuse', code: 'HUB_IDENTITY_CHANGED', presented: seen, message: IDENTITY_CHANGED_MESSAGE };
}

/** Bounded: one pinned hub has one or two certificates at a time; old entries go first. */
export const MAX_PROVEN_CERTIFICATES = 16;

/** What Node-side probes proved: host:port and certificate → identity, at most MAX_PROVEN_CERTIFICATES. */
export class ProofCache implements ProvenCertificates {
  private readonly entries = new Map<string, string>();

  get(hostPort: string, sha: string): string | undefined {
    return this.entries.get(`${hostPort} ${sha}`);
  }

  set(hostPort: string, sha: string, identity: string): void {
    const key = `${hostPort} ${sha}`;
    this.entries.delete(key);
    this.entries.set(key, identity);
    if (this.entries.size > MAX_PROVEN_CERTIFICATES) this.entries.delete(this.entries.keys().next().value!);
  }

  clear(): void {
    this.entries.clear();
  }
}
