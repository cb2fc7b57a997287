/**
 * Runs the pin check (./certificatePin) for Electron's certificate verifications: decides, and when a
 * CA-trusted certificate needs it, asks the hub from Node for its identity proof behind that certificate
 * (discovery's fetchHubInfo: TLS, proof checked against that session, size cap, deadline, no pooled socket).
 * A refusal is reported once per pinned hub and certificate, for the renderer's HUB_IDENTITY_CHANGED screen.
 */
import { fetchHubInfo, type FetchInfo } from '../discovery/liveness';
import {
  CERT_ACCEPT,
  CERT_REFUSE,
  CERT_USE_CHROMIUM,
  decideCertificate,
  IDENTITY_UNPROVEN_MESSAGE,
  ProofCache,
  type CertificateRequest,
  type PinDecision,
  type PinnedHub,
  type PinRefusal,
} from './certificatePin';

export type HubPinGuardOptions = {
  /** The joined hub and its pinned identity; read at every verification (the setup may change). */
  pinned: () => PinnedHub | undefined;
  /** Told of each refusal of the pinned hub's certificate. */
  onRefused: (refusal: PinRefusal, pinned: PinnedHub) => void;
  /** GET /api/info with the identity proof; default discovery's fetchHubInfo. */
  fetchInfo?: FetchInfo;
  /** Deadline of one Node-side probe. Default 5 s (Chromium waits for the answer meanwhile). */
  timeoutMs?: number;
};

export const DEFAULT_PROBE_TIMEOUT_MS = 5_000;

export class HubPinGuard {
  private readonly proven = new ProofCache();
  /** One probe per host:port and certificate at a time; Chromium verifies several connections at once. */
  private readonly probes = new Map<string, Promise<void>>();

  constructor(private readonly options: HubPinGuardOptions) {}

  /** Electron's answer for one verification: CERT_ACCEPT, CERT_REFUSE or CERT_USE_CHROMIUM. Never rejects. */
  async verify(request: CertificateRequest): Promise<number> {
    const pinned = this.options.pinned();
    let decision = decideCertificate(request, pinned, this.proven);
    if (decision.verdict === 'probe' && pinned) {
      await this.probe(pinned, decision.hostPort, decision.certificateSha256);
      decision = decideCertificate(request, this.options.pinned(), this.proven);
      // Node saw another certificate there, or no proof at all: nothing vouches for this one.
      if (decision.verdict === 'probe')
        decision = { verdict: 'refuse', code: 'HUB_IDENTITY_UNPROVEN', message: IDENTITY_UNPROVEN_MESSAGE };
    }
    return this.answer(decision, pinned);
  }

  /** Forgets what probes proved (a new pin: its hub proves itself again). */
  reset(): void {
    this.proven.clear();
  }

  private answer(decision: PinDecision, pinned: PinnedHub | undefined): number {
    if (decision.verdict === 'chromium') return CERT_USE_CHROMIUM;
    if (decision.verdict === 'accept') return CERT_ACCEPT;
    const refusal: PinRefusal =
      decision.verdict === 'refuse'
        ? {
            code: decision.code,
            message: decision.message,
            ...(decision.presented ? { presented: decision.presented } : {}),
          }
        : { code: 'HUB_IDENTITY_UNPROVEN', message: IDENTITY_UNPROVEN_MESSAGE };
    if (pinned) this.options.onRefused(refusal, pinned);
    return CERT_REFUSE;
  }

  private probe(pinned: PinnedHub, hostPort: string, sha: string): Promise<void> {
    const key = `${hostPort} ${sha}`;
    let running = this.probes.get(key);
    if (running) return running;
    const host = pinned.host.includes(':') && !pinned.host.startsWith('[') ? `[${pinned.host}]` : pinned.host;
    const fetchInfo = this.options.fetchInfo ?? fetchHubInfo;
    running = fetchInfo(`https://${host}:${pinned.port}/`, {
      timeoutMs: this.options.timeoutMs ?? DEFAULT_PROBE_TIMEOUT_MS,
    })
      .then((answer) => {
        // Only for the certificate Node was shown: the proof is bound to that TLS session.
        if (answer.certificateSha256 === sha) this.proven.set(hostPort, sha, answer.identity);
      })
      .catch(() => {})
      .finally(() => this.probes.delete(key));
    this.probes.set(key, running);
    return running;
  }
}
