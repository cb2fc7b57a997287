/**
 * The hub this desktop hosts: the same Hub module as `npm run hub`, run in this
 * process, plus its mDNS advertisement. Keeps a status for the hosting screen
 * (whether pairing is open, its code and failed attempts, a one-time join link
 * that is replaced once used or expired, addresses, who is connected) and tells
 * listeners when it changes. Pairing starts closed: the owner opens it.
 */
import { advertiseHub, type AdvertiseOptions, type Advertisement } from '../discovery/advertise';
import { hubUrls, joinLinkUrl } from '../hub/hubUrls';
import { DATA_DIR_LOCKED } from '../hub/dataDirLock';
import { Hub, type HubOptions } from '../hub/Hub';
import { consoleLogger } from '../hub/consoleLogger';
import type { HubLogger } from '../hub/HubContext';
import { createStaticHandler } from '../hub/staticFiles';
import { WS_PATH } from '../../shared/protocol';
import { SerialQueue } from '../../shared/util/SerialQueue';
import type { HostingConfig, HostingStatus, OperatorUser, OwnerCertificate, OwnerTicket } from '../../shared/desktop';
import type { HubOperator } from '../hub/operator/HubOperator';

export type Advertiser = (options: AdvertiseOptions) => Advertisement;
type ErrorStatus = Extract<HostingStatus, { state: 'error' }>;
type RunningStatus = Extract<HostingStatus, { state: 'running' }>;

export type HostingServiceOptions = {
  /** Where the hub keeps its data (the desktop uses `<userData>/hub`); one hub per folder. */
  dataDir: string;
  /** The built web client, served at `/` to phones and browsers; none when undefined. */
  webRoot?: string;
  /** How to advertise over mDNS; `false` never does (tests: no multicast on real interfaces). Default advertiseHub. */
  advertise?: false | Advertiser;
  /** Listen address; default all interfaces, since LAN devices must reach it. */
  host?: string;
  logger?: HubLogger;
  now?: () => number;
  /** Passed on to Hub.start (tests shorten pairing lifetimes, quota and so on). */
  hubOptions?: Partial<
    Omit<HubOptions, 'dataDir' | 'port' | 'host' | 'name' | 'rename' | 'serveStatic' | 'logger' | 'now'>
  >;
  /** The addresses devices can open for a port; default every LAN IPv4 address, then localhost. */
  urls?: (port: number) => string[];
};

type Running = {
  hub: Hub;
  config: HostingConfig;
  advert: Advertisement | undefined;
  advertised: boolean;
  join: { token: string; expiresAt: number };
  unsubscribe: () => void;
};

/** Status changes that follow one another within a tick (many devices reconnecting) are told once. */
const COALESCE = (fn: () => void) => setImmediate(fn).unref();

export class HostingService {
  private running: Running | undefined;
  private phase: { state: 'off' } | { state: 'starting' } | ErrorStatus = { state: 'off' };
  private readonly listeners = new Set<(status: HostingStatus) => void>();
  private readonly peopleListeners = new Set<(people: OperatorUser[]) => void>();
  private peopleScheduled = false;
  private lastEmitted = '';
  private emitScheduled = false;
  private expiryTimer: NodeJS.Timeout | undefined;
  /** Starts and stops, one at a time: a stop asked for during a start waits for it. */
  private readonly queue = new SerialQueue();
  private readonly now: () => number;
  private readonly logger: HubLogger;

  constructor(private readonly options: HostingServiceOptions) {
    this.now = options.now ?? Date.now;
    this.logger = options.logger ?? consoleLogger({ info: false });
  }

  /** The status now. While running, a spent or expired join link is replaced here. */
  status(): HostingStatus {
    if (!this.running) return this.phase;
    return this.runningStatus(this.running);
  }

  /**
   * Starts the hub, or restarts it when the name or port changed;
   * resolves with the resulting status (`error` rather than a throw).
   */
  start(config: HostingConfig): Promise<HostingStatus> {
    return this.queue.run(() => this.doStart(config));
  }

  /** Sends the mDNS goodbye, closes every connection and makes all messages durable. */
  stop(): Promise<HostingStatus> {
    return this.queue.run(async () => {
      await this.doStop();
      this.phase = { state: 'off' };
      this.emitNow();
      return this.status();
    });
  }

  /**
   * Lets devices pair with a code for the hub's default window (a new code), or extends the open
   * window; nothing when not hosting. Resolves with the status that shows it.
   */
  openPairing(): HostingStatus {
    // Through the operator API for the audit log; the window opens before its first await, so the status shows it.
    this.running?.hub.operator.openPairing(undefined, 'desktop').catch((err: unknown) => this.operatorFailed(err));
    this.emitNow();
    return this.status();
  }

  /** Refuses codes from now on; join links still work. */
  closePairing(): HostingStatus {
    this.running?.hub.operator.closePairing('desktop').catch((err: unknown) => this.operatorFailed(err));
    this.emitNow();
    return this.status();
  }

  /** The running hub's operator API, for the This hub screen's controls; undefined when not hosting. */
  operator(): HubOperator | undefined {
    return this.running?.hub.operator;
  }

  /** Every user of the hosted hub with their devices (also told through onPeople); none when not hosting. */
  people(): OperatorUser[] {
    return this.running?.hub.operator.users() ?? [];
  }

  /** Told the hosted hub's users and devices whenever they change (coalesced); returns the unsubscribe. */
  onPeople(listener: (people: OperatorUser[]) => void): () => void {
    this.peopleListeners.add(listener);
    return () => this.peopleListeners.delete(listener);
  }

  /** A fresh one-time join token for this desktop's own renderer; null when not hosting. */
  ownerTicket(): OwnerTicket | null {
    if (!this.running) return null;
    return { joinToken: this.running.hub.createJoinToken().token };
  }

  /** Where this desktop's own renderer connects: loopback, so it works with no network at all. */
  localWsUrl(): string | undefined {
    if (!this.running) return undefined;
    const host = this.options.host;
    const address =
      !host || host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;
    return `ws://${address}:${this.running.hub.port}${WS_PATH}`;
  }

  hubId(): string | undefined {
    return this.running?.hub.info().id;
  }

  /** The config of the running hub (its real port once started with port 0). */
  runningConfig(): HostingConfig | undefined {
    if (!this.running) return undefined;
    const { config, hub } = this.running;
    return { ...config, port: hub.port };
  }

  onStatus(listener: (status: HostingStatus) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private async doStart(config: HostingConfig): Promise<HostingStatus> {
    const current = this.running;
    // A new port or certificate restarts the hub; a new name alone does not.
    const sameListener =
      current &&
      (config.port === 0 || config.port === current.hub.port) &&
      sameCertificate(config.certificate, current.config.certificate);
    if (current && sameListener && current.config.name === config.name) return this.status();
    // A new name alone needs no restart: renamed in place (and audited), then advertised under it.
    if (current && sameListener) return this.rename(current, config.name);
    // Its real port, so going back to it keeps every phone's address working.
    const previous = current ? { ...current.config, port: current.hub.port } : undefined;
    await this.doStop();
    const failure = await this.launch(config);
    if (!failure) return this.status();
    this.logger.warn(`hosting failed to start: ${failure.message}`);
    // A restart onto a taken port must not take down the hub everyone is using: go back to it,
    // and give the caller the error (the settings form shows it).
    if (previous && !(await this.launch(previous))) return failure;
    this.phase = failure;
    this.emitNow();
    return failure;
  }

  /** Starts a hub with `config`; undefined once it runs, else why it could not. */
  private async launch(config: HostingConfig): Promise<ErrorStatus | undefined> {
    this.phase = { state: 'starting' };
    this.emitNow();
    let hub: Hub;
    try {
      hub = await Hub.start({
        ...this.options.hubOptions,
        dataDir: this.options.dataDir,
        port: config.port,
        host: this.options.host,
        name: config.name,
        rename: true,
        now: this.now,
        logger: this.logger,
        serveStatic: this.options.webRoot ? createStaticHandler(this.options.webRoot) : undefined,
        tls: { ...this.options.hubOptions?.tls, ...config.certificate },
      });
    } catch (err) {
      return startError(err, config.port);
    }
    const running: Running = {
      hub,
      config,
      advert: undefined,
      advertised: false,
      join: hub.createJoinToken(),
      unsubscribe: () => {},
    };
    const offConnections = hub.onConnectionsChange(() => {
      this.emitSoon();
      this.emitPeopleSoon();
    });
    const offOperator = hub.operator.onChange(() => this.emitPeopleSoon());
    // Failed attempts can come in floods: emitSoon tells each burst once.
    const offPairing = hub.onPairingChange(() => this.emitSoon());
    running.unsubscribe = () => {
      offConnections();
      offPairing();
      offOperator();
    };
    this.running = running;
    this.advertise(running);
    this.emitNow();
    return undefined;
  }

  private async rename(running: Running, name: string): Promise<HostingStatus> {
    try {
      await running.hub.operator.renameHub(name, 'desktop');
    } catch (err) {
      return { state: 'error', code: 'START_FAILED', message: (err as Error).message };
    }
    running.config = { ...running.config, name };
    await running.advert?.stop().catch((err: unknown) => this.logger.warn(`mDNS goodbye failed: ${String(err)}`));
    running.advert = undefined;
    running.advertised = false;
    if (this.running === running) this.advertise(running);
    this.emitNow();
    return this.status();
  }

  private operatorFailed(err: unknown): void {
    this.logger.warn(`an operator action failed: ${(err as Error).message}`);
  }

  private emitPeopleSoon(): void {
    if (this.peopleScheduled) return;
    this.peopleScheduled = true;
    COALESCE(() => {
      this.peopleScheduled = false;
      const people = this.people();
      for (const listener of this.peopleListeners) {
        try {
          listener(people);
        } catch (err) {
          this.logger.error('a people listener failed', err);
        }
      }
    });
  }

  private advertise(running: Running): void {
    const advertiser = this.options.advertise ?? advertiseHub;
    if (advertiser === false) return;
    const info = running.hub.info();
    const onError = (err: Error) => {
      if (this.running !== running || !running.advertised) return;
      running.advertised = false;
      this.logger.warn(`mDNS advertising failed (${err.message}); devices can still join by address or QR code.`);
      this.emitSoon();
    };
    try {
      running.advert = advertiser({
        port: running.hub.port,
        hubId: info.id,
        identity: running.hub.identity,
        name: info.name,
        protocolVersion: info.protocolVersion,
        onError,
      });
      running.advertised = true;
    } catch (err) {
      this.logger.warn(`mDNS advertising could not start (${(err as Error).message}).`);
    }
  }

  private async doStop(): Promise<void> {
    const running = this.running;
    if (!running) return;
    this.running = undefined;
    clearTimeout(this.expiryTimer);
    running.unsubscribe();
    // Goodbye first, so browsers drop the hub before its connections close.
    await running.advert
      ?.stop()
      .catch((err: unknown) => this.logger.warn(`mDNS goodbye failed: ${(err as Error).message}`));
    await running.hub.stop().catch((err: unknown) => this.logger.error('the hub did not stop cleanly', err));
  }

  private runningStatus(running: Running): RunningStatus {
    const { hub } = running;
    if (!hub.isJoinTokenLive(running.join.token)) running.join = hub.createJoinToken();
    const urls = (this.options.urls ?? ((port: number) => hubUrls(port, this.options.host)))(hub.port);
    // The hub tells pairing changes itself (onPairingChange), closing too; only the join link needs watching.
    this.scheduleExpiry(running.join.expiresAt);
    return {
      state: 'running',
      hubId: hub.info().id,
      name: hub.info().name,
      port: hub.port,
      urls,
      pairing: hub.pairingState(),
      joinUrl: joinLinkUrl(urls[0] ?? `https://localhost:${hub.port}/`, running.join.token, hub.identity),
      joinUrlExpiresAt: running.join.expiresAt,
      identity: hub.identity,
      publicKeyFingerprint: hub.publicKeyFingerprint,
      advertised: running.advertised,
      connected: hub.connectedDevices(),
    };
  }

  /** Re-tells the status when the join link expires, so the screen never shows a dead one. */
  private scheduleExpiry(at: number): void {
    clearTimeout(this.expiryTimer);
    const delay = Math.max(0, at - this.now()) + 20;
    this.expiryTimer = setTimeout(() => this.emitNow(), Math.min(delay, 2 ** 31 - 1));
    this.expiryTimer.unref();
  }

  private emitSoon(): void {
    if (this.emitScheduled) return;
    this.emitScheduled = true;
    COALESCE(() => {
      this.emitScheduled = false;
      this.emitNow();
    });
  }

  private emitNow(): void {
    const status = this.status();
    const text = JSON.stringify(status);
    if (text === this.lastEmitted) return;
    this.lastEmitted = text;
    for (const listener of this.listeners) {
      try {
        listener(status);
      } catch (err) {
        this.logger.error('a hosting-status listener failed', err);
      }
    }
  }
}

/** Start failures as stable codes with a message a person can act on. */
function sameCertificate(a: OwnerCertificate | undefined, b: OwnerCertificate | undefined): boolean {
  return a?.certFile === b?.certFile && a?.keyFile === b?.keyFile;
}

export function startError(err: unknown, port: number): ErrorStatus {
  const e = err as NodeJS.ErrnoException;
  if (e?.code === 'EADDRINUSE')
    return {
      state: 'error',
      code: 'PORT_IN_USE',
      message: `Port ${port} is already in use by another program. Pick another port.`,
    };
  if (e?.code === DATA_DIR_LOCKED) return { state: 'error', code: 'DATA_DIR_LOCKED', message: e.message };
  if (e?.code === 'TLS_CERT_INVALID') return { state: 'error', code: 'TLS_CERT_INVALID', message: e.message };
  if (e?.code === 'EACCES')
    return {
      state: 'error',
      code: 'START_FAILED',
      message: `Port ${port} needs administrator rights. Pick one from 1024 to 65535.`,
    };
  return { state: 'error', code: 'START_FAILED', message: e instanceof Error ? e.message : String(err) };
}
