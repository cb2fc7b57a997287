/**
 * Finds Roost hubs on the LAN: browses `_roost._tcp` over mDNS (bonjour-service 1.4.4)
 * and lists a hub only while its GET /api/info answers (./liveness), because a crashed
 * hub sends no goodbye and mDNS would keep it for hours. State lives in ./HubDirectory;
 * this file wires the library, the timers and the checks together.
 */
import { setMaxListeners } from 'node:events';
import { Bonjour, type Service } from 'bonjour-service';
import { MDNS_SERVICE_TYPE } from '../../shared/protocol';
import type { DiscoveredHub } from '../../shared/discovery/discoveredHub';
import { HubDirectory, orderAddresses, type Candidate, type DueCheck } from './HubDirectory';

export { HubIdentityMismatchError } from './HubDirectory';
import { fetchHubInfo, findLiveUrl, limitConcurrency, pickDialAddresses, type FetchInfo } from './liveness';
import { destroyBonjour, hearMdnsErrors, oncePerError } from './mdnsErrors';
import { parseTxtRecord } from './txtRecord';

export type BrowseOptions = {
  /** This app's own hub, if it hosts one: never listed. Read at every update. */
  selfHubId?: () => string | undefined;
  /** Called with the whole list whenever it changes (not at start: the list starts empty). */
  onChange: (hubs: DiscoveredHub[]) => void;
  /**
   * Services that are not hubs we can list (BadAdvertError: BAD_TXT_RECORD, BAD_PORT; HubIdentityMismatchError:
   * HUB_IDENTITY_MISMATCH, once per announcement, when what answers proves another identity than announced),
   * too many adverts (DiscoveryLimitError: TOO_MANY_ADVERTS, once per browser) and mDNS socket errors
   * (EADDRINUSE, ENETUNREACH...; each code at most every 5 minutes). Never thrown.
   */
  onWarning?: (err: Error) => void;
  /** How often a listed hub's /api/info is re-checked. Default 2000 ms. */
  checkIntervalMs?: number;
  /** Deadline for one /api/info request. Default 1500 ms. */
  timeoutMs?: number;
  /** For tests: replaces the HTTPS request to /api/info. */
  fetchInfo?: FetchInfo;
};

export type HubBrowser = {
  /** The current list: confirmed alive, one per hub id, sorted by name. */
  hubs(): DiscoveredHub[];
  /** Re-queries the LAN and re-checks every known hub now (e.g. when the join screen opens). */
  refresh(): void;
  /** Stops browsing and checking and closes the socket; onChange is not called after it. */
  stop(): Promise<void>;
};

export const DEFAULT_CHECK_INTERVAL_MS = 2_000;
export const DEFAULT_TIMEOUT_MS = 1_500;
/** mDNS re-queries after the first: 1 s, then doubling up to a minute (RFC 6762 5.2 allows up to an hour). */
const FIRST_REQUERY_MS = 1_000;
const MAX_REQUERY_MS = 60_000;
const REPEAT_SOCKET_WARNING_MS = 5 * 60_000;
/** GET /api/info requests in flight across the whole browser; the rest wait in a queue. */
export const MAX_REQUESTS_IN_FLIGHT = 8;
/** Checks (one candidate each) in flight; confirmed hubs get free slots first. */
export const MAX_CHECKS_IN_FLIGHT = 8;

/** A browsed `_roost._tcp` service that is not a hub we can list. */
export class BadAdvertError extends Error {
  override name = 'BadAdvertError';
  constructor(
    /** Stable: BAD_TXT_RECORD or BAD_PORT. */
    readonly code: 'BAD_TXT_RECORD' | 'BAD_PORT',
    message: string,
  ) {
    super(message);
  }
}

/** The LAN announced more instances than a browser keeps (see ./HubDirectory DEFAULT_LIMITS). */
export class DiscoveryLimitError extends Error {
  override name = 'DiscoveryLimitError';
  /** Stable. */
  readonly code = 'TOO_MANY_ADVERTS';
}

/** Starts browsing at once. Throws only if bonjour-service's internals changed. */
export function browseHubs(options: BrowseOptions): HubBrowser {
  const { selfHubId, onChange, onWarning } = options;
  const checkIntervalMs = options.checkIntervalMs ?? DEFAULT_CHECK_INTERVAL_MS;
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  // One queue for every check's requests: a flood of adverts cannot open more than this many connections.
  const fetchInfo = limitConcurrency(options.fetchInfo ?? fetchHubInfo, MAX_REQUESTS_IN_FLIGHT);

  const directory = new HubDirectory({ checkIntervalMs });
  const abort = new AbortController();
  // Every running or queued request listens to it: at most MAX_CHECKS_IN_FLIGHT × 2 (see liveness.DIAL_PARALLELISM).
  setMaxListeners(4 * MAX_CHECKS_IN_FLIGHT, abort.signal);
  let stopped: Promise<void> | undefined;
  let lastSent = '[]';
  let checkTimer: NodeJS.Timeout | undefined;
  let queryTimer: NodeJS.Timeout | undefined;
  let checksInFlight = 0;
  let warnedFull = false;

  const warn = (err: Error) => {
    if (stopped) return;
    try {
      onWarning?.(err);
    } catch {
      // A listener's bug must not break browsing.
    }
  };
  const lastSocketWarning = new Map<string, number>();
  const reportSocketError = oncePerError((err) => {
    const code = (err as NodeJS.ErrnoException).code ?? err.message;
    const last = lastSocketWarning.get(code);
    if (last !== undefined && Date.now() - last < REPEAT_SOCKET_WARNING_MS) return;
    lastSocketWarning.set(code, Date.now());
    warn(err);
  });

  const bonjour = new Bonjour({}, reportSocketError);
  hearMdnsErrors(bonjour, reportSocketError);
  const browser = bonjour.find({ type: MDNS_SERVICE_TYPE });

  const hubs = () => directory.hubs(selfHubId?.());

  /** Tells the listener if the list differs from what it last got. */
  const publish = () => {
    if (stopped) return;
    // Called from socket and timer callbacks, where a throw (from selfHubId or onChange) would crash the process.
    try {
      const list = hubs();
      const text = JSON.stringify(list);
      if (text === lastSent) return;
      lastSent = text;
      onChange(list);
    } catch (err) {
      warn(err instanceof Error ? err : new Error(String(err)));
    }
  };

  const runCheck = async (due: DueCheck) => {
    const { candidate } = due;
    checksInFlight++;
    const result = await findLiveUrl(pickDialAddresses(candidate.addresses, candidate.sender), candidate.port, {
      fetchInfo,
      timeoutMs,
      preferredUrl: due.preferredUrl,
      signal: abort.signal,
    }).then(
      (answer) => ({ ok: true as const, ...answer }),
      (error: unknown) => ({ ok: false as const, error: error instanceof Error ? error : new Error(String(error)) }),
    );
    checksInFlight--;
    if (stopped) return;
    const mismatch = directory.completeCheck(due.key, due.generation, result, Date.now());
    if (mismatch) warn(mismatch);
    publish();
    schedule();
  };

  /** Starts the checks that are due (as many as there are free slots) and sets one timer for the next. */
  function schedule() {
    if (stopped) return;
    clearTimeout(checkTimer);
    checkTimer = undefined;
    for (const due of directory.takeDueChecks(Date.now(), MAX_CHECKS_IN_FLIGHT - checksInFlight)) void runCheck(due);
    // All slots busy: the next completion calls schedule again (a timer would only spin).
    if (checksInFlight >= MAX_CHECKS_IN_FLIGHT) return;
    const next = directory.nextCheckAt();
    if (next !== undefined) checkTimer = setTimeout(schedule, Math.max(0, next - Date.now()));
  }

  const onService = (service: Service) => {
    if (stopped) return;
    const candidate = toCandidate(service);
    if (!candidate.ok) {
      // A TXT change can make a listed instance invalid: it is no longer a hub we can vouch for.
      directory.remove(service.fqdn);
      warn(candidate.error);
      publish();
      schedule();
      return;
    }
    add(candidate.candidate);
    publish();
    schedule();
  };
  const add = (candidate: Candidate) => {
    const outcome = directory.upsert(candidate, Date.now());
    if (outcome !== 'ok' && !warnedFull) {
      warnedFull = true;
      warn(
        new DiscoveryLimitError(
          `More Roost hubs are announced on the LAN than this app keeps track of ` +
            `(latest "${candidate.advert.name}" from ${candidate.sender ?? 'an unknown address'}); ` +
            (outcome === 'refused' ? 'new ones are ignored.' : 'the oldest unconfirmed ones are forgotten.'),
        ),
      );
    }
  };
  browser.on('up', onService);
  // Same instance name, new port or host (a restart on port 0) or new TXT: the new record wins.
  browser.on('srv-update', onService);
  browser.on('txt-update', onService);
  browser.on('down', (service: Service) => {
    if (stopped) return;
    directory.remove(service.fqdn);
    publish();
    schedule();
  });

  // Announcements can be lost (Wi-Fi drops multicast readily); ask again now and then.
  let requeryMs = FIRST_REQUERY_MS;
  const requery = () => {
    if (stopped) return;
    browser.update();
    requeryMs = Math.min(requeryMs * 2, MAX_REQUERY_MS);
    queryTimer = setTimeout(requery, requeryMs);
  };
  queryTimer = setTimeout(requery, requeryMs);

  return {
    hubs,
    refresh() {
      if (stopped) return;
      browser.update();
      // Candidates forgotten after failing (bonjour-service announces a known instance only once) get a fresh chance.
      for (const service of browser.services) {
        const candidate = toCandidate(service);
        if (candidate.ok && !directory.has(candidate.candidate.key)) add(candidate.candidate);
      }
      directory.refresh(Date.now());
      schedule();
      publish(); // selfHubId may have changed
    },
    stop() {
      stopped ??= (async () => {
        clearTimeout(checkTimer);
        clearTimeout(queryTimer);
        abort.abort();
        browser.stop();
        await destroyBonjour(bonjour, () => {});
      })();
      return stopped;
    },
  };
}

type CandidateResult = { ok: true; candidate: Candidate } | { ok: false; error: BadAdvertError };

/** Maps a browsed service to a candidate, or says why it is not a hub we can list. */
function toCandidate(service: Service): CandidateResult {
  const where = service.referer?.address ? ` from ${service.referer.address}` : '';
  const txt = parseTxtRecord(service.txt);
  if (!txt.ok) {
    return {
      ok: false,
      error: new BadAdvertError(
        'BAD_TXT_RECORD',
        `Ignoring mDNS service "${service.name}"${where}: bad TXT record (${txt.error}).`,
      ),
    };
  }
  if (!Number.isInteger(service.port) || service.port < 1 || service.port > 65535) {
    return {
      ok: false,
      error: new BadAdvertError(
        'BAD_PORT',
        `Ignoring mDNS service "${service.name}"${where}: bad port ${service.port}.`,
      ),
    };
  }
  // The packet's sender is an address too: some responders send SRV without A records. It is dialled first.
  const sender = service.referer?.address || undefined;
  const addresses = orderAddresses([...(service.addresses ?? []), ...(sender ? [sender] : [])]);
  return {
    ok: true,
    candidate: { key: service.fqdn, advert: txt.advert, addresses, port: service.port, ...(sender ? { sender } : {}) },
  };
}
