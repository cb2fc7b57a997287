import type { IncomingMessage, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { WebSocketServer, type WebSocket } from 'ws';
import { APP_VERSION } from '../../shared/appVersion';
import { CloseCode, DEFAULT_PORT, LIMITS, PROTOCOL_VERSION, type HubInfo } from '../../shared/protocol';
import type { ConnectedDevice } from '../../shared/hub/connectedDevice';
import { consoleLogger } from './consoleLogger';
import { Connection, type ConnectionLimits } from './Connection';
import { acquireDataDirLock } from './dataDirLock';
import { Fanout } from './Fanout';
import { revokeDevice } from './handlers/devices';
import type { HubContext, HubLogger } from './HubContext';
import { ConnectionQuota, type ConnectionQuotaOptions } from './ConnectionQuota';
import { createHttpServer, refuseUpgrade } from './httpServer';
import { MessageLog, type MessageLogOptions } from './log/MessageLog';
import { PairingGate, type PairingCode, type PairingGateOptions } from './pairing/PairingGate';
import { PresenceAnnouncer } from './PresenceAnnouncer';
import { Registry } from './registry/Registry';
import type { AccessPolicy } from './requestGuard';
import { Sessions } from './Sessions';
import { attachConnection } from './socketLifecycle';

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
  /** Ping interval; a device that misses one pong is dropped at the next. Default 15 s. */
  heartbeatMs?: number;
  /** Time to send `hello` after connecting. Default 10 s. */
  handshakeTimeoutMs?: number;
  limits?: Partial<ConnectionLimits>;
  /** Open WebSockets per LAN address; default 32 per address, loopback unlimited. */
  connectionQuota?: ConnectionQuotaOptions;
  pairing?: PairingGateOptions;
  log?: Omit<MessageLogOptions, 'dir' | 'now'>;
  serveStatic?: Parameters<typeof createHttpServer>[0]['serveStatic'];
};

export const DEFAULT_LIMITS: ConnectionLimits = {
  framesPerSecond: 100,
  frameBurst: 1000,
  maxBufferedBytes: 4 * 1024 * 1024,
  maxSendsInFlight: 256,
};

/**
 * The sync hub: assembles storage, pairing, the HTTP server and the
 * WebSocket server. Runs in plain Node (the headless CLI) or inside the
 * Electron main process; it never imports electron.
 */
export class Hub {
  private readonly connections = new Set<Connection>();
  private heartbeat: NodeJS.Timeout | undefined;
  private stopping: Promise<void> | undefined;

  private readonly server: Server;
  private readonly wss: WebSocketServer;
  private readonly quota: ConnectionQuota;

  private constructor(
    private readonly ctx: HubContext,
    private readonly config: { limits: ConnectionLimits; handshakeTimeoutMs: number; releaseLock: () => Promise<void> },
    options: HubOptions,
  ) {
    this.quota = new ConnectionQuota(options.connectionQuota ?? { maxPerAddress: 32 });
    this.wss = new WebSocketServer({ noServer: true, maxPayload: LIMITS.maxFrameBytes, perMessageDeflate: false });
    this.server = createHttpServer({
      info: ctx.info,
      policy: { allowedHosts: options.allowedHosts, allowedOrigins: options.allowedOrigins },
      serveStatic: options.serveStatic,
      upgrade: (req, socket, head) => {
        const address = req.socket.remoteAddress ?? 'unknown';
        const release = this.quota.reserve(address);
        if (!release) {
          refuseUpgrade(socket, {
            status: 429,
            code: 'TOO_MANY_CONNECTIONS',
            message: `This address already has ${this.quota.count(address)} connections open to the hub.`,
          });
          return;
        }
        socket.once('close', release);
        this.wss.handleUpgrade(req, socket, head, (ws) => this.accept(ws, req));
      },
    });
  }

  static async start(options: HubOptions): Promise<Hub> {
    const now = options.now ?? Date.now;
    const logger = options.logger ?? consoleLogger();
    const lock = await acquireDataDirLock(options.dataDir);
    let registry: Registry | undefined;
    let log: MessageLog | undefined;
    let gate: PairingGate | undefined;
    try {
      registry = await Registry.open({ dataDir: options.dataDir, hubName: options.name ?? 'Roost hub', now, logger });
      if (options.rename && options.name && options.name !== registry.hub.name) await registry.setHubName(options.name);
      log = await MessageLog.open({
        ...options.log,
        dir: path.join(options.dataDir, 'messages'),
        now,
        warn: (m: string) => logger.warn(m),
      });
      const sessions = new Sessions();
      const reg = registry;
      gate = new PairingGate({ now, ...options.pairing });
      const ctx: HubContext = {
        registry: reg,
        log,
        gate,
        sessions,
        fanout: new Fanout(sessions, reg),
        presence: new PresenceAnnouncer(sessions, (err) => logger.error('could not announce presence', err)),
        logger,
        now,
        info: (): HubInfo => ({
          id: reg.hub.id,
          name: reg.hub.name,
          protocolVersion: PROTOCOL_VERSION,
          appVersion: APP_VERSION,
        }),
      };
      const hub = new Hub(
        ctx,
        {
          limits: { ...DEFAULT_LIMITS, ...options.limits },
          handshakeTimeoutMs: options.handshakeTimeoutMs ?? 10_000,
          releaseLock: lock.release,
        },
        options,
      );
      await listen(hub.server, options.port ?? DEFAULT_PORT, options.host);
      hub.startHeartbeat(options.heartbeatMs ?? 15_000);
      return hub;
    } catch (err) {
      gate?.stop();
      await log?.close().catch(() => {});
      await registry?.close().catch(() => {});
      await lock.release();
      throw err;
    }
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  info(): HubInfo {
    return this.ctx.info();
  }

  /** The 6-digit code a new device must enter now. */
  pairingCode(): PairingCode {
    return this.ctx.gate.currentCode();
  }

  /**
   * Told each new pairing code as it replaces the old one: at expiry (on the
   * hub's own timer), after a device paired with it, or after too many wrong
   * guesses. Called synchronously; its errors are logged, never thrown into
   * the hub. Returns the unsubscribe.
   */
  onPairingCodeChange(listener: (code: PairingCode) => void): () => void {
    return this.ctx.gate.onCodeChange((code) => {
      try {
        listener(code);
      } catch (err) {
        this.ctx.logger.error('a pairing-code listener failed', err);
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
    this.ctx.gate.stop();
    // Every connection is about to close: announcing who went offline would reach no one.
    this.ctx.presence.stop();
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    const sockets = [...this.connections].map(
      (conn) =>
        new Promise<void>((resolve) => {
          conn.ws.once('close', () => resolve());
          conn.close(CloseCode.GOING_AWAY, 'hub shutting down');
        }),
    );
    await Promise.all(sockets);
    this.server.closeAllConnections();
    this.wss.close();
    await closed;
    await this.ctx.log.close();
    await this.ctx.registry.close();
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
