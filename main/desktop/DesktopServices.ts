/**
 * Everything the desktop bridge does, in plain Node: each method of
 * BridgeHandlers (shared/desktop/bridge.ts) plus the bridge's events. Composed
 * from injected ports, so it runs the same under Electron (main/electron wires
 * IPC, a real Shell and mDNS discovery to it), in unit tests, and behind a
 * Playwright binding that stands in for IPC.
 */
import path from 'node:path';
import {
  BRIDGE_METHOD_NAMES,
  type BridgeEvent,
  type BridgeEventName,
  type BridgeHandlers,
  type DeviceIdentity,
  type DiscoveredHub,
  type HostingConfig,
  type HostingStatus,
  type HubTrust,
  type InspectedHub,
  type AuditEntry,
  type NotificationRequest,
  type OperatorDevice,
  type OperatorUser,
  type OwnerTicket,
  type Setup,
} from '../../shared/desktop';
import { fetchHubInfo, LivenessError, type FetchInfo } from '../discovery/liveness';
import { consoleLogger } from '../hub/consoleLogger';
import type { HubLogger } from '../hub/HubContext';
import type { HubOperator } from '../hub/operator/HubOperator';
import { OperatorError } from '../hub/operator/operatorProtocol';
import { safeExternalUrl } from './externalUrl';
import { createHeadlessShell } from './headlessShell';
import type { CertificateRequest } from './certificatePin';
import { HostingService, type HostingServiceOptions } from './HostingService';
import { infoBaseUrl, joinedHubUrl } from './joinedHub';
import { JoinedHubTrust } from './JoinedHubTrust';
import { BridgeCallError, BridgeErrorCode, dispatchBridgeCall } from './ipcGuard';
import { shouldNotify } from './notificationPolicy';
import type { DiscoverySource, Shell, StartDiscovery } from './ports';
import { SettingsStore, type WindowBounds } from './SettingsStore';

/** Where the hosted hub keeps its data inside the app's user-data folder. */
export const HUB_DATA_DIR_NAME = 'hub';
/** How long inspectHub waits for a typed address to answer. */
const INSPECT_TIMEOUT_MS = 5_000;

export type DesktopServicesOptions = {
  /** The app's user-data folder: settings.json and the hosted hub's data (`hub/`) live here. */
  userDataDir: string;
  /** How this computer introduces itself when it pairs. */
  device: DeviceIdentity;
  /** The built web client (dist/renderer), served by the hosted hub to phones and browsers. */
  webRoot?: string;
  /** Window and OS integration; default a headless shell that only records. */
  shell?: Shell;
  /** Starts LAN discovery; default none (the list stays empty). */
  discovery?: StartDiscovery;
  /** How Node asks a hub for its info and identity proof (inspectHub, the pin check); default over HTTPS. */
  fetchInfo?: FetchInfo;
  /** Hosting details: `advertise: false` for tests (never multicast on real interfaces), listen host, hub options. */
  hosting?: Omit<HostingServiceOptions, 'dataDir' | 'webRoot' | 'logger'>;
  logger?: HubLogger;
};

/** One bridge event as (name, payload), narrowed together: `if (name === 'openConversation') payload` is a string. */
export type BridgeEventTuple = { [E in BridgeEventName]: [name: E, payload: BridgeEvent<E>] }[BridgeEventName];
export type DesktopEventListener = (...event: BridgeEventTuple) => void;

export class DesktopServices implements BridgeHandlers {
  readonly shell: Shell;
  /**
   * The bridge methods bound to this instance, for callers that pass them
   * around detached (`handlers[name](...args)`); call them with parsed
   * arguments, or use `call` to have them checked.
   */
  readonly handlers: BridgeHandlers;
  private readonly listeners = new Set<DesktopEventListener>();
  private discovery: DiscoverySource | undefined;
  private readonly trust: JoinedHubTrust;
  private unread = 0;
  private attended: boolean;
  private closing: Promise<void> | undefined;

  private constructor(
    private readonly options: DesktopServicesOptions,
    private readonly settings: SettingsStore,
    private readonly hosting: HostingService,
    private readonly logger: HubLogger,
  ) {
    this.shell = options.shell ?? createHeadlessShell();
    this.handlers = bindHandlers(this);
    this.attended = this.windowAttended();
    this.trust = new JoinedHubTrust({
      setup: () => this.settings.get().setup,
      onTrust: (trust) => this.emit('hubTrust', trust),
      logger,
      fetchInfo: options.fetchInfo,
    });
  }

  /**
   * Reads the settings, starts discovery, and starts hosting when this desktop
   * was set up to host (resolves once that start has succeeded or failed).
   */
  static async open(options: DesktopServicesOptions): Promise<DesktopServices> {
    const logger = options.logger ?? consoleLogger({ info: false });
    const settings = await SettingsStore.open({ dir: options.userDataDir, warn: (m) => logger.warn(m) });
    const hosting = new HostingService({
      ...options.hosting,
      dataDir: path.join(options.userDataDir, HUB_DATA_DIR_NAME),
      webRoot: options.webRoot,
      logger,
    });
    const services = new DesktopServices(options, settings, hosting, logger);
    services.wire();
    const setup = settings.get().setup;
    if (setup.mode === 'host') await hosting.start(setup.hosting);
    return services;
  }

  private wire(): void {
    let hubId: string | undefined;
    this.hosting.onPeople((people) => this.emit('people', people));
    this.hosting.onStatus((status) => {
      this.emit('hostingStatus', status);
      // Our own hub enters or leaves the list of others.
      const now = status.state === 'running' ? status.hubId : undefined;
      if (now !== hubId) this.discovery?.refresh?.();
      hubId = now;
    });
    this.shell.onWindowChange(() => {
      const now = this.windowAttended();
      if (now === this.attended) return;
      this.attended = now;
      this.emit('windowAttended', now);
    });
    this.discovery = this.options.discovery?.({
      selfHubId: () => this.hosting.hubId(),
      onChange: (hubs) => this.emit('discoveredHubs', hubs),
      onWarning: (w) => this.logger.warn(`discovery: ${w instanceof Error ? w.message : String(w)}`),
    });
  }

  // ---- events ----

  /** Subscribes to every bridge event; returns the unsubscribe. */
  onEvent(listener: DesktopEventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Told whenever the pinned hub changes (joined, re-joined with another identity, forgotten), so Electron
   * drops what Chromium cached under the old pin (main/electron/pinCheck.ts). Not a bridge event: the
   * renderer has no part in it. Returns the unsubscribe.
   */
  onPinChange(listener: () => void): () => void {
    return this.trust.onPinChange(listener);
  }

  /** Subscribes to one bridge event, the way the preload's `on` does; returns the unsubscribe. */
  on<E extends BridgeEventName>(event: E, listener: (payload: BridgeEvent<E>) => void): () => void {
    return this.onEvent((name, payload) => {
      if (name === event) listener(payload as BridgeEvent<E>);
    });
  }

  private emit<E extends BridgeEventName>(name: E, payload: BridgeEvent<E>): void {
    for (const listener of this.listeners) {
      try {
        (listener as (n: E, p: BridgeEvent<E>) => void)(name, payload);
      } catch (err) {
        this.logger.error(`a listener of the ${name} event failed`, err);
      }
    }
  }

  /** A bridge call from an untrusted transport: method name and arguments are checked exactly as over IPC. */
  call(name: unknown, args: readonly unknown[]): Promise<unknown> {
    return dispatchBridgeCall(this, name, args);
  }

  // ---- setup ----

  getSetup(): Setup {
    return this.settings.get().setup;
  }

  /**
   * Saved as the setup only once the hub runs,
   * so a failed first start leaves the first-run form (with its error) in place.
   */
  async chooseHost(config: HostingConfig): Promise<HostingStatus> {
    this.assertOpen('chooseHost');
    const status = await this.hosting.start(config);
    if (status.state === 'running')
      await this.settings.update({ setup: { mode: 'host', hosting: this.hostedConfig(config) } });
    return status;
  }

  /**
   * Pins `identity` (shown to the person by the caller) or, without one, what the hub proves now (trust on
   * first use). A new pin replaces the old one only here, by the person's choice; the pin check never does.
   */
  async chooseJoin(url: string, identity?: string): Promise<{ identity: string }> {
    this.assertOpen('chooseJoin');
    const pinned = identity ?? (await this.inspectHub(url)).identity;
    await this.hosting.stop();
    await this.settings.update({ setup: { mode: 'join', hubUrl: joinedHubUrl(url), identity: pinned } });
    this.trust.repinned();
    return { identity: pinned };
  }

  async resetSetup(): Promise<void> {
    this.assertOpen('resetSetup');
    await this.hosting.stop();
    await this.settings.update({ setup: { mode: 'unset' } });
    this.trust.repinned();
  }

  /** The hub at a typed address, with the identity it proves over TLS, for the person to compare before joining. */
  async inspectHub(url: string): Promise<InspectedHub> {
    const base = infoBaseUrl(url);
    try {
      const { info, identity } = await (this.options.fetchInfo ?? fetchHubInfo)(base, {
        timeoutMs: INSPECT_TIMEOUT_MS,
      });
      const { id: hubId, name, protocolVersion } = info;
      return { wsUrl: joinedHubUrl(url), identity, hubId, name: name.slice(0, 255), protocolVersion };
    } catch (err) {
      const code =
        err instanceof LivenessError && err.code === 'HUB_IDENTITY_UNPROVEN'
          ? BridgeErrorCode.HUB_IDENTITY_UNPROVEN
          : BridgeErrorCode.HUB_UNREACHABLE;
      throw new BridgeCallError(code, `${base}: ${(err as Error).message}`);
    }
  }

  hubTrust(): HubTrust {
    return this.trust.state;
  }

  /**
   * Electron's certificate verification, for every TLS connection the renderer opens: the pinned hub's
   * certificate by the pin check (./certificatePin), any other host by Chromium. Resolves with Electron's code.
   */
  verifyCertificate(request: CertificateRequest): Promise<number> {
    return this.trust.verify(request);
  }

  hubUrl(): string | undefined {
    const setup = this.settings.get().setup;
    // Joined before identities: nothing is pinned, so the person picks the hub again, its identity shown.
    if (setup.mode === 'join') return setup.identity ? setup.hubUrl : undefined;
    if (setup.mode === 'host') return this.hosting.localWsUrl();
    return undefined;
  }

  device(): DeviceIdentity {
    return this.options.device;
  }

  // ---- hosting ----

  hostingStatus(): HostingStatus {
    return this.hosting.status();
  }

  async startHosting(config: HostingConfig): Promise<HostingStatus> {
    this.assertOpen('startHosting');
    const status = await this.hosting.start(config);
    // Remembered so the next launch starts the same hub at the same address (phones keep their links).
    if (status.state === 'running' && this.settings.get().setup.mode === 'host') {
      await this.settings.update({ setup: { mode: 'host', hosting: this.hostedConfig(config) } });
    }
    return status;
  }

  stopHosting(): Promise<HostingStatus> {
    return this.hosting.stop();
  }

  openPairing(): HostingStatus {
    return this.hosting.openPairing();
  }

  closePairing(): HostingStatus {
    return this.hosting.closePairing();
  }

  ownerTicket(): OwnerTicket | null {
    return this.hosting.ownerTicket();
  }

  // ---- the owner's controls (the hosted hub's operator API, as the owner via desktop) ----

  people(): OperatorUser[] {
    return this.hosting.people();
  }

  async removeAnyDevice(deviceId: string): Promise<OperatorDevice> {
    return (await operatorCall(this.hosting, (op) => op.removeDevice(deviceId, 'desktop'))).device;
  }

  async removeUser(userId: string): Promise<OperatorUser> {
    return (await operatorCall(this.hosting, (op) => op.removeUser(userId, 'desktop'))).user;
  }

  async deleteMessage(conversationId: string, seq: number): Promise<void> {
    await operatorCall(this.hosting, (op) => op.deleteMessage(conversationId, seq, 'desktop'));
  }

  auditLog(limit: number): Promise<AuditEntry[]> {
    return operatorCall(this.hosting, (op) => op.readAudit(limit));
  }

  /** With port 0 the hub picked one: remember that one, so the address stays the same. */
  private hostedConfig(asked: HostingConfig): HostingConfig {
    return this.hosting.runningConfig() ?? asked;
  }

  // ---- discovery ----

  discoveredHubs(): DiscoveredHub[] {
    return this.discovery?.hubs() ?? [];
  }

  // ---- attention ----

  notify(request: NotificationRequest): boolean {
    if (!shouldNotify(this.shell.windowVisibility(), this.settings.get().muted)) return false;
    return this.shell.showNotification(request, () => {
      this.shell.showWindow();
      this.emit('openConversation', request.conversationId);
    });
  }

  windowAttended(): boolean {
    const window = this.shell.windowVisibility();
    return window.visible && window.focused;
  }

  setUnreadCount(count: number): void {
    this.unread = count;
    this.shell.setUnreadCount(count);
  }

  unreadCount(): number {
    return this.unread;
  }

  getMuted(): boolean {
    return this.settings.get().muted;
  }

  /**
   * Applies at once (the settings store changes memory before it writes), so
   * every view hears of it even if saving fails; a failed save is only
   * logged: mute then holds until the app quits.
   */
  async setMuted(muted: boolean): Promise<void> {
    if (this.settings.get().muted === muted) return;
    const saved = this.settings.update({ muted });
    this.emit('muted', muted);
    await saved.catch((err: unknown) =>
      this.logger.warn(`could not save the mute setting (${(err as Error).message}); it applies until Roost quits`),
    );
  }

  async openExternal(url: string): Promise<boolean> {
    const safe = safeExternalUrl(url);
    if (!safe) return false;
    try {
      await this.shell.openExternal(safe);
      return true;
    } catch (err) {
      this.logger.warn(`could not open ${safe} in the browser: ${(err as Error).message}`);
      return false;
    }
  }

  // ---- window ----

  savedWindowBounds(): WindowBounds | undefined {
    return this.settings.get().windowBounds;
  }

  saveWindowBounds(bounds: WindowBounds): Promise<void> {
    return this.settings
      .update({ windowBounds: bounds })
      .catch((err: unknown) => this.logger.warn(`could not save the window position: ${(err as Error).message}`));
  }

  /** Stops discovery and hosting (mDNS goodbye, messages flushed) and finishes settings writes. Safe to call twice. */
  /** Once quitting has begun, a late call could start a hub that nothing stops (no goodbye, nothing flushed). */
  private assertOpen(what: string): void {
    if (this.closing) throw new BridgeCallError(BridgeErrorCode.SHUTTING_DOWN, `${what} refused: Roost is quitting`);
  }

  close(): Promise<void> {
    this.closing ??= (async () => {
      await this.discovery
        ?.stop()
        .catch((err: unknown) => this.logger.warn(`discovery did not stop cleanly: ${(err as Error).message}`));
      await this.hosting.stop();
      await this.settings.flush();
    })();
    return this.closing;
  }
}

/**
 * Runs an operator action on the hosted hub. Electron passes only an error's message across IPC, so a
 * refusal's code leads it (`NOT_FOUND: ...`), as BridgeCallError does.
 */
async function operatorCall<T>(hosting: HostingService, action: (operator: HubOperator) => Promise<T>): Promise<T> {
  const operator = hosting.operator();
  if (!operator) throw new BridgeCallError(BridgeErrorCode.NOT_HOSTING, 'this computer does not host a hub now');
  try {
    return await action(operator);
  } catch (err) {
    if (err instanceof OperatorError) throw new Error(`${err.code}: ${err.message}`, { cause: err });
    throw err;
  }
}

function bindHandlers(services: DesktopServices): BridgeHandlers {
  const entries = BRIDGE_METHOD_NAMES.map((name) => {
    const method = services[name] as (...args: unknown[]) => unknown;
    return [name, (...args: unknown[]) => method.apply(services, args)] as const;
  });
  return Object.fromEntries(entries) as BridgeHandlers;
}
