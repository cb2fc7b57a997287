/**
 * What the hub remembers about join links (tokens from createJoinToken), so that claiming one
 * (PROTOCOL.md 6.3) can say why it fails: already claimed or used, expired, or never a link of this
 * hub. The tokens themselves, and whether they still pair, stay in PairingGate; a fresh token handed
 * out by a claim is not a link and is never recorded here, so it cannot be claimed in turn.
 *
 * Each link is remembered until an hour after it expired, like a replaced pairing code. Links are made
 * only by the hub's owner (and one per claim is replaced by the desktop app), so the table stays small.
 */
const REMEMBER_AFTER_EXPIRY_MS = 60 * 60_000;

export type LinkVerdict = 'claimable' | 'used' | 'expired' | 'unknown';

export class JoinLinkClaims {
  private readonly links = new Map<string, { expiresAt: number; spent: boolean }>();

  /** A join link was made. */
  issued(token: string, expiresAt: number, now: number): void {
    this.prune(now);
    this.links.set(token, { expiresAt, spent: false });
  }

  /**
   * Why a token may or may not be claimed now. `live` says whether PairingGate would still pair with
   * it: a link gone from there before its expiry was used by a `pair`.
   */
  verdict(token: string, live: boolean, now: number): LinkVerdict {
    const link = this.links.get(token);
    if (!link) return 'unknown';
    if (link.spent) return 'used';
    if (link.expiresAt <= now) return 'expired';
    return live ? 'claimable' : 'used';
  }

  /** The link was claimed: from now on it answers `used`. */
  spend(token: string): void {
    const link = this.links.get(token);
    if (link) link.spent = true;
  }

  private prune(now: number): void {
    for (const [token, link] of this.links)
      if (now - link.expiresAt >= REMEMBER_AFTER_EXPIRY_MS) this.links.delete(token);
  }
}
