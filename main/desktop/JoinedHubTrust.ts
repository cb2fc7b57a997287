import type { HubTrust, Setup } from '../../shared/desktop';
import type { FetchInfo } from '../discovery/liveness';
import type { HubLogger } from '../hub/HubContext';
import type { CertificateRequest, PinnedHub, PinRefusal } from './certificatePin';
import { HubPinGuard } from './HubPinGuard';
import { pinnedHubOf } from './joinedHub';

/**
 * Whether the joined hub is still the one pinned: runs Electron's certificate verifications through the pin
 * check, keeps the refusal (the `hubTrust` event) until the person re-pins or forgets the hub, and tells
 * whoever caches verdicts (Electron's session) each time the pin changes.
 */
export class JoinedHubTrust {
  private trust: HubTrust = { state: 'ok' };
  private readonly guard: HubPinGuard;
  private readonly pinListeners = new Set<() => void>();

  constructor(
    private readonly options: {
      setup: () => Setup;
      /** Told each change of the trust state (the bridge's `hubTrust` event). */
      onTrust: (trust: HubTrust) => void;
      logger: HubLogger;
      fetchInfo?: FetchInfo;
    },
  ) {
    this.guard = new HubPinGuard({
      pinned: () => pinnedHubOf(options.setup()),
      onRefused: (refusal, pinned) => this.refused(refusal, pinned),
      fetchInfo: options.fetchInfo,
    });
  }

  get state(): HubTrust {
    return this.trust;
  }

  /** Electron's answer for one certificate verification (./certificatePin's codes). Never rejects. */
  verify(request: CertificateRequest): Promise<number> {
    return this.guard.verify(request);
  }

  /** The person joined a hub (or another identity at the same address) or forgot it: trusted afresh. */
  repinned(): void {
    this.guard.reset();
    this.setTrust({ state: 'ok' });
    for (const listener of this.pinListeners) {
      try {
        listener();
      } catch (err) {
        this.options.logger.error('a pin-change listener failed', err);
      }
    }
  }

  /** Told whenever the pin changes; returns the unsubscribe. */
  onPinChange(listener: () => void): () => void {
    this.pinListeners.add(listener);
    return () => this.pinListeners.delete(listener);
  }

  private refused(refusal: PinRefusal, pinned: PinnedHub): void {
    const setup = this.options.setup();
    if (setup.mode !== 'join') return;
    this.setTrust({
      state: 'refused',
      code: refusal.code,
      hubUrl: setup.hubUrl,
      pinned: pinned.identity,
      ...(refusal.presented ? { presented: refusal.presented } : {}),
      message: refusal.message,
    });
  }

  private setTrust(trust: HubTrust): void {
    if (JSON.stringify(trust) === JSON.stringify(this.trust)) return;
    this.trust = trust;
    this.options.onTrust(trust);
  }
}
