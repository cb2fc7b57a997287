import type { IncomingMessage } from 'node:http';
import type { AddressInfo, Server } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { WebSocketServer, type WebSocket } from 'ws';
import { APP_VERSION } from '../../shared/appVersion';
import { CloseCode, DEFAULT_PORT, LIMITS, PROTOCOL_VERSION, type HubInfo } from '../../shared/protocol';
import type { ConnectedDevice } from '../../shared/hub/connectedDevice';
import type { PairingState } from '../../shared/hub/pairingState';
import { consoleLogger } from './consoleLogger';
import { Connection, type ConnectionLimits } from './Connection';
import { acquireDataDirLock } from './dataDirLock';
import { Fanout } from './Fanout';
import { FileStore, type FileLimits } from './files/FileStore';
import { FileSessions, FileTickets } from './files/fileSessions';
import { hubFileDeps } from './files/hubFileDeps';
import { revokeDevice } from './handlers/devices';
import type { HubContext, HubLogger } from './HubContext';
import { CONNECTION_DEFAULTS, defaultMaxConnections, defaultUserBudget } from './connectionLimits';
import { ConnectionQuota, type ConnectionQuotaOptions } from './ConnectionQuota';
import { FrameBudgets, type FrameBudgetOptions } from './FrameBudgets';
import { createHttpServer, type HttpTimeouts, type HubServers } from './httpServer';
import type { HubTls } from './identity/HubTls';
import { publicKeyFingerprint } from './identity/identityKey';
import { CERT_REFRESH_MS, refreshCertificateEvery, startHubTls, type HubTlsSettings } from './identity/startHubTls';
import { PROOF_HEADER, proveIdentity, sessionExporter } from './identity/identityProof';
import type { MessageLogOptions } from './log/MessageLog';
import { PairingGate, type PairingCode, type PairingGateOptions } from './pairing/PairingGate';
import type { HubOperator } from './operator/HubOperator';
import { startOperator, type OperatorControls, type OperatorOptions } from './operator/startOperator';
import { PresenceAnnouncer } from './PresenceAnnouncer';
import { ROOM_CAP_DEFAULTS, RoomCaps, type RoomCapOptions } from './RoomCaps';
import { makeDataDirPrivate } from './privateFiles';
import { openStorage, type HubStorage, type StorageOptions } from './openStorage';
import type { AccessPolicy } from './requestGuard';
import { Sessions } from './Sessions';
import { attachConnection } from './socketLifecycle';

export type { HubTlsSettings };

export type HubOptions = AccessPolicy & {
  dataDir: string;
  /** Default 7420; 0 picks a free port. */
  port?: number;
  /** Address to listen on; default all interfaces, since LAN devices must reach it. */
  host?: string;
  /** Name for a new hub; ignored when the data directory already has one unless `rename` is set. */
  name?: string;
  rename?: boolean;
  now?: () => number;
  logger?: HubLogger;
  // The connection options' defaults are all in connectionLimits.ts (CONNECTION_DEFAULTS).
  /** Ping interval; a device that misses one pong is dropped at the next. */
  heartbeatMs?: number;
  /** Time to send `hello` after connecting. */
  handshakeTimeoutMs?: number;
  /** Time from connecting to `ready`, on loopback too. */
  authTimeoutMs?: number;
  /** Per WebSocket. */
  limits?: Partial<ConnectionLimits>;
  /** Open TCP connections per address, per IPv6 /64 and in all (maxConnections: from the open-file limit). */
  connectionQuota?: Partial<ConnectionQuotaOptions>;
  /** Frames (and HTTP requests) per address before `ready`, per user after. */
  budgets?: Partial<FrameBudgetOptions>;
  http?: Partial<HttpTimeouts>;
  pairing?: PairingGateOptions;
  /** Rooms one user may create per hour, people they may add per minute (defaults: ROOM_CAP_DEFAULTS). */
  rooms?: Partial<RoomCapOptions>;
  log?: Omit<MessageLogOptions, 'dir' | 'now'>;
  /** The owner's controls: the operator socket (on by default), the audit log (OperatorOptions). */
  operator?: OperatorOptions;
  /** The disk space kept for device removals (StorageOptions; defaults in openStorage.ts). */
  storage?: StorageOptions;
  serveStatic?: Parameters<typeof createHttpServer>[0]['serveStatic'];
  /** HTTPS and WSS on the hub's port (always on); what plain HTTP gets; the owner's own certificate. */
  tls?: HubTlsSettings;
  /** How long protocol-1 devices may bind a key after the hub first ran protocol 2. Default 30 days. */
  keyMigrationWindowMs?: number;
  /** Per-file maximum, budgets, free-space reserve and grace periods for files (fileLimits.ts). */
  files?: Partial<FileLimits>;
};

/** Protocol-1 devices bind a key within this long (PROTOCOL.md 6.7): a month of the device being used now and then. */
export const KEY_MIGRATION_WINDOW_MS = 30 * 24 * 60 * 60 * 1000;

export const DEFAULT_LIMITS: ConnectionLimits = CONNECTION_DEFAULTS.limits;

/**
 * The sync hub: assembles storage, pairing, the HTTP server and the
 * WebSocket server. Runs in plain Node (the headless CLI) or inside the
 * Electron main process; it never imports electron.
 */
export class Hub {
  private readonly connections = new Set<Connection>();
  private heartbeat: NodeJS.Timeout | undefined;
  private stopping: Promise<void> | undefined;
  /** Set once started (Hub.start), before the hub is handed out. */
  private controls: OperatorControls | undefined;

  private readonly servers: HubServers;
  private readonly wss: WebSocketServer;
  private certRefresh: NodeJS.Timeout | undefined;
  private readonly budgets: FrameBudgets;

  private constructor(
    private readonly ctx: HubContext,
    private readonly config: {
      limits: ConnectionLimits;
      handshakeTimeoutMs: number;
      releaseLock: () => Promise<void>;
      closeStorage: () => Promise<void>;
      closeFiles: () => Promise<void>;
      tls: HubTls;
    },
    private readonly options: HubOptions,
  ) {
    this.budgets = ctx.budgets;
    this.wss = new WebSocketServer({ noServer: true, maxPayload: LIMITS.maxFrameBytes, perMessageDeflate: false });
    const { tls } = config;
    const prove = (socket: TLSSocket) => proveIdentity(sessionExporter(socket), tls.key.privateKey, tls.key.spki);
    // The upgrade's answer carries the proof, so a native client checks it before its first frame.
    this.wss.on('headers', (headers: string[], req: IncomingMessage) => {
      const socket = req.socket as Partial<TLSSocket>;
      if (socket.encrypted) headers.push(`${PROOF_HEADER}: ${prove(socket as TLSSocket)}`);
    });
    this.servers = createHttpServer({
      info: ctx.info,
      policy: {
        allowedHosts: [...(options.allowedHosts ?? []), ...tls.ownerNames()],
        allowedOrigins: options.allowedOrigins,
      },
      tls: {
        context: () => tls.secureContext(),
        prove,
        identity: { identity: tls.identity, fingerprint: publicKeyFingerprint(tls.key) },
        allowPlainHttp: options.tls?.allowPlainHttp ?? false,
        loopbackIsLan: options.tls?.loopbackIsLan,
      },
      serveStatic: options.serveStatic,
      // Every TCP connection counts, upgraded or not: a slot is taken when it is accepted.
      quota: new ConnectionQuota({
        ...CONNECTION_DEFAULTS.quota,
        ...options.connectionQuota,
        maxConnections: options.connectionQuota?.maxConnections ?? defaultMaxConnections(),
      }),
      budgets: this.budgets,
      timeouts: { ...CONNECTION_DEFAULTS.http, ...options.http },
      upgrade: (req, socket, head) => this.wss.handleUpgrade(req, socket, head, (ws) => this.accept(ws, req)),
      files: hubFileDeps(ctx),
    });
  }

  static async start(options: HubOptions): Promise<Hub> {
    const now = options.now ?? Date.now;
    const logger = options.logger ?? consoleLogger();
    const lock = await acquireDataDirLock(options.dataDir);
    let storage: HubStorage | undefined;
    let files: FileStore | undefined;
    let gate: PairingGate | undefined;
    try {
      await makeDataDirPrivate(options.dataDir, (m) => logger.warn(m));
      const tls = await startHubTls(options.tls, { ...options, now, logger });
      const hubName = options.name ?? 'Roost hub';
      storage = await openStorage({ ...options, hubName, now, logger });
      const { registry: reg, log } = storage;
      files = await FileStore.open({ dataDir: options.dataDir, now, logger, limits: options.files });
      if (options.rename && options.name && options.name !== reg.hub.name) await reg.setHubName(options.name);
      const sessions = new Sessions();
      gate = new PairingGate({ now, ...options.pairing });
      const limits = { ...DEFAULT_LIMITS, ...options.limits };
      const ctx: HubContext = {
        registry: reg,
        log,
        files,
        fileTickets: new FileTickets({ now }),
        fileSessions: new FileSessions({ now }),
        gate,
        sessions,
        fanout: new Fanout(sessions, reg),
        presence: new PresenceAnnouncer(sessions, (err) => logger.error('could not announce presence', err)),
        budgets: new FrameBudgets({
          ...CONNECTION_DEFAULTS.budgets,
          perUser: defaultUserBudget(limits),
          ...options.budgets,
        }),
        rooms: new RoomCaps({ ...ROOM_CAP_DEFAULTS, ...options.rooms }),
        logger,
        now,
        keyMigrationWindowMs: options.keyMigrationWindowMs ?? KEY_MIGRATION_WINDOW_MS,
        info: (): HubInfo => ({
          id: reg.hub.id,
          identity: tls.identity,
          name: reg.hub.name,
          protocolVersion: PROTOCOL_VERSION,
          appVersion: APP_VERSION,
        }),
      };
      const hub = new Hub(
        ctx,
        {
          limits,
          handshakeTimeoutMs: options.handshakeTimeoutMs ?? CONNECTION_DEFAULTS.handshakeTimeoutMs,
          releaseLock: lock.release,
          closeStorage: storage.close,
          closeFiles: () => files?.close() ?? Promise.resolve(),
          tls,
        },
        options,
      );
      await listen(hub.servers.listener, options.port ?? DEFAULT_PORT, options.host);
      hub.startHeartbeat(options.heartbeatMs ?? CONNECTION_DEFAULTS.heartbeatMs);
      hub.certRefresh = refreshCertificateEvery(
        tls,
        options.tls?.refreshMs ?? CERT_REFRESH_MS,
        () => hub.servers.update(),
        logger,
      );
      warnUnmigratedDevices(ctx);
      // After the lock is ours, so a socket file left by a hub that died can be replaced. Never throws.
      hub.controls = await startOperator(ctx, options.dataDir, options.operator);
      return hub;
    } catch (err) {
      gate?.stop();
      await files?.close();
      await storage?.close();
      await lock.release();
      throw err;
    }
  }

  get port(): number {
    return (this.servers.listener.address() as AddressInfo).port;
  }

  /** The hub's identity (52 characters; formatIdentity shows it): the hash of its identity key. */
  get identity(): string {
    return this.config.tls.identity;
  }

  /** The same hash as browsers' certificate viewers show it (hex pairs): for comparing in a browser's warning. */
  get publicKeyFingerprint(): string {
    return publicKeyFingerprint(this.config.tls.key);
  }

  info(): HubInfo {
    return this.ctx.info();
  }

  /** Whether codes are accepted now, the code while they are, and the recent failed attempts. */
  pairingState(): PairingState {
    return this.ctx.gate.state();
  }

  /**
   * Opens pairing for `durationMs` (default 10 minutes, at most an hour; PairingGateOptions) with a new
   * code, or extends the open window. Until then codes and link codes are refused (PAIRING_CLOSED);
   * join links work either way.
   */
  openPairing(durationMs?: number): PairingState {
    this.ctx.gate.open(durationMs);
    return this.ctx.gate.state();
  }

  closePairing(): PairingState {
    this.ctx.gate.close();
    return this.ctx.gate.state();
  }

  /** The 6-digit code a new device must enter now; pairing must be open. */
  pairingCode(): PairingCode {
    const code = this.ctx.gate.currentCode();
    if (!code) throw new Error('pairing is closed: call openPairing() first');
    return code;
  }

  /**
   * Told the pairing state at every change: opened, extended, closed (by itself too, on the hub's own
   * timer), a new code after a device paired with it, a failed attempt (these can come in floods: a
   * listener should only schedule work). Called synchronously; its errors are logged, never thrown
   * into the hub. Returns the unsubscribe.
   */
  onPairingChange(listener: (state: PairingState) => void): () => void {
    return this.ctx.gate.onChange((state) => {
      try {
        listener(state);
      } catch (err) {
        this.ctx.logger.error('a pairing-state listener failed', err);
      }
    });
  }

  /** A one-time secret for a join link or QR code. */
  createJoinToken(): { token: string; expiresAt: number } {
    return this.ctx.gate.createJoinToken();
  }

  /** Whether a join token from createJoinToken can still be used: false once spent or expired. */
  isJoinTokenLive(token: string): boolean {
    return this.ctx.gate.isJoinTokenLive(token);
  }

  /** For the host's own UI: every device with a ready connection now, with its user. */
  connectedDevices(): ConnectedDevice[] {
    const { registry, sessions } = this.ctx;
    const connected: ConnectedDevice[] = [];
    for (const device of registry.allDevices()) {
      const connections = sessions.ofDevice(device.id).size;
      if (connections === 0) continue;
      const userName = registry.user(device.userId)?.displayName ?? '';
      connected.push({
        deviceId: device.id,
        deviceName: device.name,
        userName,
        platform: device.platform,
        connections,
      });
    }
    return connected;
  }

  /**
   * Told whenever a device connects or disconnects (after pairing or auth, on
   * close or removal). Called synchronously inside the hub's session handling,
   * so a listener should only schedule work; its errors are logged, never thrown
   * into the hub. Returns the unsubscribe.
   */
  onConnectionsChange(listener: () => void): () => void {
    return this.ctx.sessions.onChange(() => {
      try {
        listener();
      } catch (err) {
        this.ctx.logger.error('a connections-change listener failed', err);
      }
    });
  }

  /** For the host's own UI: removes any device and cuts it off at once. */
  /**
   * The owner's controls (list, remove devices and users, delete messages, rename, pairing, audit log),
   * for the process that runs the hub; the CLI reaches the same through the operator socket. Each action
   * names who asks (`desktop`, `cli`) for the audit log.
   */
  get operator(): HubOperator {
    if (!this.controls) throw new Error('the hub is not started');
    return this.controls.operator;
  }

  /** Where `npm run hub -- <command>` reaches this hub; undefined without an operator socket. */
  get operatorSocketPath(): string | undefined {
    return this.controls?.socketPath;
  }

  removeDevice(deviceId: string): Promise<boolean> {
    return revokeDevice(this.ctx, deviceId);
  }

  /** Waits until every message appended so far is on disk. */
  flush(): Promise<void> {
    return this.ctx.log.flush();
  }

  private accept(ws: WebSocket, req: IncomingMessage): void {
    if (this.stopping) {
      ws.close(CloseCode.GOING_AWAY, 'hub shutting down');
      return;
    }
    const conn = new Connection(ws, req.socket.remoteAddress ?? 'unknown', this.config.limits, req.socket);
    this.connections.add(conn);
    attachConnection(this.ctx, conn, {
      handshakeTimeoutMs: this.config.handshakeTimeoutMs,
      authTimeoutMs: this.options.authTimeoutMs ?? CONNECTION_DEFAULTS.authTimeoutMs,
      budgets: this.budgets,
      onClosed: () => this.connections.delete(conn),
    });
  }

  private startHeartbeat(intervalMs: number): void {
    this.heartbeat = setInterval(() => {
      for (const conn of this.connections) conn.heartbeat();
    }, intervalMs);
    this.heartbeat.unref();
  }

  /** Closes every connection (1001), then makes everything durable and releases the data directory. */
  stop(): Promise<void> {
    this.stopping ??= this.doStop();
    return this.stopping;
  }

  private async doStop(): Promise<void> {
    clearInterval(this.heartbeat);
    clearInterval(this.certRefresh);
    // No command may start on a hub that is going away.
    await this.controls?.stop();
    this.ctx.gate.stop();
    // Every connection is about to close: announcing who went offline would reach no one.
    this.ctx.presence.stop();
    const closed = new Promise<void>((resolve) => this.servers.listener.close(() => resolve()));
    const sockets = [...this.connections].map(
      (conn) =>
        new Promise<void>((resolve) => {
          conn.ws.once('close', () => resolve());
          conn.close(CloseCode.GOING_AWAY, 'hub shutting down');
        }),
    );
    await Promise.all(sockets);
    this.servers.closeAll();
    this.wss.close();
    await closed;
    // Never rejects (what a full disk keeps from being written is logged), so the directory is always released.
    await this.config
      .closeFiles()
      .catch((err: unknown) => this.ctx.logger.error('could not close the file store', err));
    await this.config.closeStorage();
    await this.config.releaseLock();
  }
}

function listen(server: Server, port: number, host: string | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (err: Error) => reject(err);
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      resolve();
    });
  });
}

/** The owner learns at start which devices still hold protocol-1 tokens, and until when they may bind a key. */
function warnUnmigratedDevices(ctx: HubContext): void {
  const waiting = ctx.registry.allDevices().filter((d) => !d.publicKey).length;
  if (waiting === 0) return;
  const deadline = ctx.registry.protocol2Since + ctx.keyMigrationWindowMs;
  const until = new Date(deadline).toISOString();
  const what =
    deadline > ctx.now()
      ? `they bind one when they next connect with an updated Roost, until ${until}`
      : `the window to bind one closed at ${until}: they must pair again`;
  ctx.logger.warn(`${waiting} device(s) paired before device keys have no key yet; ${what} (see the device list).`);
}
