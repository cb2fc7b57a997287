/**
 * The browse side's state, with no sockets and no timers: announced candidates in,
 * the list of confirmed hubs out. The caller (./browse) feeds it mDNS events and
 * liveness results, asks which candidates are due for a check, and passes `now`.
 *
 * A candidate is one DNS-SD instance (keyed by its full name). One hub may have several
 * (renamed after a conflict, or re-announced under a new name while a crashed instance's
 * records linger), so the list is deduplicated by hub id.
 */
import { cutToLength, LIMITS, MIN_PROTOCOL_VERSION, PROTOCOL_VERSION, type HubInfo } from '../../shared/protocol';
import type { DiscoveredHub } from '../../shared/discovery/discoveredHub';
import type { HubAdvert } from './txtRecord';

export type Candidate = {
  /** The instance's full DNS-SD name, e.g. `Kitchen._roost._tcp.local`. */
  key: string;
  /** From its TXT record, already validated. */
  advert: HubAdvert;
  /** Announced addresses, IPv4 first (see orderAddresses). */
  addresses: string[];
  port: number;
  /** The mDNS packet's source address: tried first (see liveness.pickDialAddresses). */
  sender?: string;
};

export type CheckResult = { ok: true; url: string; info: HubInfo; identity: string } | { ok: false; error: Error };

/**
 * The identity a hub proved is not the one its TXT record announces: whoever answers at that address is not
 * the hub that advertised (someone else has its address now, or is in the way). The instance is not listed.
 */
export class HubIdentityMismatchError extends Error {
  override name = 'HubIdentityMismatchError';
  /** Stable. */
  readonly code = 'HUB_IDENTITY_MISMATCH';
}

/** A check the caller should run now; pass `generation` back to completeCheck. */
export type DueCheck = { key: string; generation: number; candidate: Candidate; preferredUrl: string | undefined };

export type DirectoryTimings = {
  /** How often a listed hub is re-checked. */
  checkIntervalMs: number;
  /** Consecutive failed checks after which a listed hub is dropped. */
  failuresToDrop: number;
  /** Re-check delay after a listed hub's first failure, so a dead hub goes within seconds. */
  retryMs: number;
  /** Unconfirmed candidates are re-tried after retryMs, doubling up to this. */
  maxBackoffMs: number;
  /**
   * A candidate that never answered is forgotten after this many failed checks, once it is
   * at least forgetAfterMs old (checks at 0, 1, 3, 7, 15, 31, 61 s: gone at about 61 s).
   * Only a new or changed advert brings it back. Once confirmed, a candidate is retried until its goodbye.
   */
  forgetAfterFailures: number;
  forgetAfterMs: number;
};

export const DEFAULT_TIMINGS: DirectoryTimings = {
  checkIntervalMs: 2_000,
  failuresToDrop: 2,
  retryMs: 500,
  maxBackoffMs: 30_000,
  forgetAfterFailures: 3,
  forgetAfterMs: 60_000,
};

/** Bounds against a hostile LAN peer announcing thousands of instances. */
export type DirectoryLimits = {
  /** Candidates that never answered; a new one beyond this replaces the oldest of them. */
  maxUnconfirmed: number;
  /** All candidates; when full of confirmed ones, a new one is refused. */
  maxCandidates: number;
};

export const DEFAULT_LIMITS: DirectoryLimits = { maxUnconfirmed: 64, maxCandidates: 256 };

/**
 * What upsert did: `replaced-oldest` (the oldest never-confirmed candidate made room)
 * and `refused` mean the directory is full.
 */
export type UpsertOutcome = 'ok' | 'replaced-oldest' | 'refused';

type Entry = {
  candidate: Candidate;
  /** Bumped whenever the candidate changes, so a check of the old data is ignored. */
  generation: number;
  listed: boolean;
  /** Answered as the announced hub at least once since added or since its id or port changed. */
  confirmed: boolean;
  /** When it was added, or its id or port changed. */
  since: number;
  /** Where /api/info last answered, what it said, and the identity it proved. */
  answer: { url: string; info: HubInfo; identity: string } | undefined;
  /** A mismatch with the TXT hint was reported for this generation (it is reported once, not at every retry). */
  mismatchReported: boolean;
  failures: number;
  lastError: Error | undefined;
  nextCheckAt: number;
  checking: boolean;
};

const MAX_ADDRESSES = 16;

/** Unique, IPv4 first (they need no zone and are what most LANs route), order otherwise kept. */
export function orderAddresses(addresses: Iterable<string>): string[] {
  const unique = [...new Set(addresses)].filter((a) => a.length > 0 && a.length <= 64);
  const v4 = unique.filter((a) => !a.includes(':'));
  const v6 = unique.filter((a) => a.includes(':'));
  return [...v4, ...v6].slice(0, MAX_ADDRESSES);
}

export function isCompatible(protocolVersion: number): boolean {
  return protocolVersion >= MIN_PROTOCOL_VERSION && protocolVersion <= PROTOCOL_VERSION;
}

const sameList = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((x, i) => x === b[i]);

export class HubDirectory {
  private readonly entries = new Map<string, Entry>();
  /** Keys of never-confirmed entries, oldest first (a Set keeps insertion order). */
  private readonly unconfirmed = new Set<string>();
  private readonly timings: DirectoryTimings;
  private readonly limits: DirectoryLimits;

  constructor(timings: Partial<DirectoryTimings> = {}, limits: Partial<DirectoryLimits> = {}) {
    this.timings = { ...DEFAULT_TIMINGS, ...timings };
    this.limits = { ...DEFAULT_LIMITS, ...limits };
  }

  has(key: string): boolean {
    return this.entries.has(key);
  }

  /** How many candidates are kept (for tests and diagnostics). */
  get size(): number {
    return this.entries.size;
  }

  /**
   * A candidate was announced or changed. A new or changed one is checked at once;
   * if its hub id or port changed, it is unlisted until that check confirms it.
   * A new one beyond the limits replaces the oldest never-confirmed candidate, or is refused.
   */
  upsert(candidate: Candidate, now: number): UpsertOutcome {
    const entry = this.entries.get(candidate.key);
    if (!entry) {
      let outcome: UpsertOutcome = 'ok';
      if (this.unconfirmed.size >= this.limits.maxUnconfirmed || this.entries.size >= this.limits.maxCandidates) {
        const oldest = this.unconfirmed.values().next();
        if (oldest.done) return 'refused';
        this.remove(oldest.value);
        outcome = 'replaced-oldest';
      }
      this.entries.set(candidate.key, {
        candidate,
        generation: 0,
        listed: false,
        confirmed: false,
        since: now,
        answer: undefined,
        mismatchReported: false,
        failures: 0,
        lastError: undefined,
        nextCheckAt: now,
        checking: false,
      });
      this.unconfirmed.add(candidate.key);
      return outcome;
    }
    const old = entry.candidate;
    // A new identity hint is a new claim about who answers there: it must be proven again.
    const endpointChanged =
      old.advert.id !== candidate.advert.id ||
      old.port !== candidate.port ||
      old.advert.identity !== candidate.advert.identity;
    const changed =
      endpointChanged || old.advert.name !== candidate.advert.name || !sameList(old.addresses, candidate.addresses);
    if (!changed) {
      // Re-announced as it was: a dropped hub may be back, so give it a prompt check.
      if (!entry.listed) this.recheckSoon(entry, now);
      return 'ok';
    }
    entry.candidate = candidate;
    entry.generation++;
    entry.mismatchReported = false;
    entry.failures = 0;
    entry.nextCheckAt = now;
    entry.checking = false;
    if (endpointChanged) {
      entry.listed = false;
      entry.answer = undefined;
      entry.since = now;
      if (entry.confirmed) {
        // It must prove itself again, within the never-confirmed limit (it takes its place as the newest).
        entry.confirmed = false;
        if (this.unconfirmed.size >= this.limits.maxUnconfirmed) {
          const oldest = this.unconfirmed.values().next();
          if (!oldest.done) this.remove(oldest.value);
        }
        this.unconfirmed.add(candidate.key);
      }
    }
    return 'ok';
  }

  /** A goodbye: the instance is gone at once, whatever its last check said. */
  remove(key: string): void {
    this.entries.delete(key);
    this.unconfirmed.delete(key);
  }

  /** Makes every candidate due now (e.g. the join screen opened). */
  refresh(now: number): void {
    for (const entry of this.entries.values()) this.recheckSoon(entry, now);
  }

  /**
   * Candidates due for a check at `now`, at most `max` (the caller's free check slots):
   * confirmed ones first, then the longest waiting. Each is marked as being checked until
   * completeCheck. One pass over at most maxCandidates entries.
   */
  takeDueChecks(now: number, max = Infinity): DueCheck[] {
    if (max <= 0) return [];
    const due: Array<[string, Entry]> = [];
    for (const item of this.entries) if (!item[1].checking && item[1].nextCheckAt <= now) due.push(item);
    due.sort(([, a], [, b]) => Number(b.confirmed) - Number(a.confirmed) || a.nextCheckAt - b.nextCheckAt);
    return due.slice(0, max).map(([key, entry]) => {
      entry.checking = true;
      return { key, generation: entry.generation, candidate: entry.candidate, preferredUrl: entry.answer?.url };
    });
  }

  /** When the next check falls due, or undefined if none is waiting. */
  nextCheckAt(): number | undefined {
    let next: number | undefined;
    for (const entry of this.entries.values()) {
      if (!entry.checking && (next === undefined || entry.nextCheckAt < next)) next = entry.nextCheckAt;
    }
    return next;
  }

  /**
   * Records a check's outcome. An answer from another hub id than announced counts as a failure, and so does
   * one proving another identity than the TXT record's hint: that one is returned, once per announcement, for
   * the caller to report (the hint alone is never trusted, but a hub never contradicts it).
   */
  completeCheck(
    key: string,
    generation: number,
    result: CheckResult,
    now: number,
  ): HubIdentityMismatchError | undefined {
    const entry = this.entries.get(key);
    // Removed or changed meanwhile: the new data gets its own check.
    if (!entry || entry.generation !== generation) return undefined;
    entry.checking = false;
    const { timings } = this;
    const { id: expectedId, identity: hint, name } = entry.candidate.advert;
    const mismatch =
      result.ok && hint !== undefined && result.identity !== hint
        ? new HubIdentityMismatchError(
            `Not listing "${name}": the hub answering at ${result.url} proved identity ${result.identity}, ` +
              `but the one announced is ${hint}. Another device answers at that address.`,
          )
        : undefined;
    if (result.ok && result.info.id === expectedId && !mismatch) {
      entry.listed = true;
      entry.confirmed = true;
      this.unconfirmed.delete(key);
      entry.answer = { url: result.url, info: result.info, identity: result.identity };
      entry.failures = 0;
      entry.lastError = undefined;
      entry.nextCheckAt = now + timings.checkIntervalMs;
      return undefined;
    }
    entry.lastError =
      mismatch ??
      (result.ok ? new Error(`${result.url} is hub ${result.info.id}, not the announced ${expectedId}`) : result.error);
    const report = mismatch && !entry.mismatchReported ? mismatch : undefined;
    if (mismatch) entry.mismatchReported = true;
    entry.failures++;
    if (
      !entry.confirmed &&
      entry.failures >= timings.forgetAfterFailures &&
      now - entry.since >= timings.forgetAfterMs
    ) {
      // Never answered: most likely not a hub we can reach (or not a hub). A new advert may bring it back.
      this.remove(key);
      return report;
    }
    // A mismatch unlists at once: what answers there is not the announced hub, and waiting would show it.
    if (entry.listed && (mismatch || entry.failures >= timings.failuresToDrop)) entry.listed = false;
    entry.nextCheckAt = now + (entry.listed ? timings.retryMs : this.backoff(entry.failures));
    return report;
  }

  /**
   * Confirmed hubs, one per hub id and proven identity (one hub id proving two identities is shown twice, so a
   * person sees both and compares), sorted by name then id; `selfHubId` is left out.
   */
  hubs(selfHubId?: string): DiscoveredHub[] {
    const byHub = new Map<string, Entry[]>();
    // Sorted by key so the entry shown for a hub with several instances does not flip between checks.
    const keys = [...this.entries.keys()].sort();
    for (const key of keys) {
      const entry = this.entries.get(key)!;
      if (!entry.listed || !entry.answer) continue;
      const id = entry.candidate.advert.id;
      if (id === selfHubId) continue;
      const group = `${id}/${entry.answer.identity}`;
      byHub.set(group, [...(byHub.get(group) ?? []), entry]);
    }
    const hubs = [...byHub.values()].map((entries) => toDiscoveredHub(entries[0]!, entries));
    return hubs.sort(
      (a, b) => a.name.localeCompare(b.name) || a.hubId.localeCompare(b.hubId) || a.identity.localeCompare(b.identity),
    );
  }

  /** For diagnostics and tests: why a candidate is not listed. */
  lastError(key: string): Error | undefined {
    return this.entries.get(key)?.lastError;
  }

  private recheckSoon(entry: Entry, now: number): void {
    if (!entry.checking) entry.nextCheckAt = Math.min(entry.nextCheckAt, now);
  }

  private backoff(failures: number): number {
    const { retryMs, maxBackoffMs } = this.timings;
    return Math.min(retryMs * 2 ** Math.min(failures, 20), maxBackoffMs);
  }
}

function toDiscoveredHub(shown: Entry, all: Entry[]): DiscoveredHub {
  const { candidate } = shown;
  const { url, info, identity } = shown.answer!;
  // The live answer is fresher than the TXT record (a rename shows without a re-announcement).
  const name = cutToLength(info.name.trim(), LIMITS.maxNameLength) || candidate.advert.name;
  return {
    hubId: candidate.advert.id,
    identity,
    name,
    protocolVersion: info.protocolVersion,
    compatible: isCompatible(info.protocolVersion),
    url,
    addresses: orderAddresses(all.flatMap((e) => e.candidate.addresses)),
    port: candidate.port,
  };
}
