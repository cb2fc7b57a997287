import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Hub, type HubTlsSettings } from '../main/hub/Hub';
import { joinLinkUrl } from '../main/hub/hubUrls';
import { createStaticHandler } from '../main/hub/staticFiles';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const RENDERER = path.join(root, 'dist', 'renderer');
const quiet = { info: () => {}, warn: () => {}, error: () => {} };

/**
 * A hub in this process with the TLS settings a test needs, which the CLI does not offer: `loopbackIsLan`
 * makes the browser on 127.0.0.1 see what a LAN device sees (plain HTTP gets only the page that sends it
 * to HTTPS, unless `allowPlainHttp`). Restarts on the same port and data, as an owner changing a setting.
 */
export class TlsHub {
  private hub: Hub | undefined;
  port = 0;

  private constructor(
    readonly dataDir: string,
    private readonly allowedHosts: string[],
  ) {}

  /** `allowedHosts`: names besides the hub's own that pass its Host check (a name a test maps to 127.0.0.1). */
  static async start(tls: HubTlsSettings, allowedHosts: string[] = []): Promise<TlsHub> {
    const hub = new TlsHub(await mkdtemp(path.join(tmpdir(), 'roost-e2e-tls-')), allowedHosts);
    await hub.launch(tls);
    return hub;
  }

  get https(): string {
    return this.at('127.0.0.1').https;
  }

  get http(): string {
    return this.at('127.0.0.1').http;
  }

  /** The hub's addresses under `host`: another name for 127.0.0.1 (e2e/lanHost.ts) must be in allowedHosts. */
  at(host: string): { https: string; http: string } {
    return { https: `https://${host}:${this.port}/`, http: `http://${host}:${this.port}/` };
  }

  get identity(): string {
    return this.running().identity;
  }

  get publicKeyFingerprint(): string {
    return this.running().publicKeyFingerprint;
  }

  /** A one-time join link at `base` (the https address unless said otherwise), as the hub prints it. */
  joinLink(base = this.https): string {
    return joinLinkUrl(base, this.running().createJoinToken().token, this.identity);
  }

  /** The current pairing code, opening pairing if it is closed. */
  pairingCode(): string {
    const hub = this.running();
    if (!hub.pairingState().open) hub.openPairing();
    return hub.pairingCode().code;
  }

  async restart(tls: HubTlsSettings): Promise<void> {
    await this.stop();
    await this.launch(tls);
  }

  async stop(): Promise<void> {
    await this.hub?.stop();
    this.hub = undefined;
  }

  async dispose(): Promise<void> {
    await this.stop();
    await rm(this.dataDir, { recursive: true, force: true });
  }

  private running(): Hub {
    if (!this.hub) throw new Error('the hub is stopped');
    return this.hub;
  }

  private async launch(tls: HubTlsSettings): Promise<void> {
    this.hub = await Hub.start({
      dataDir: this.dataDir,
      port: this.port,
      host: '127.0.0.1',
      name: 'E2E hub',
      allowedHosts: this.allowedHosts,
      logger: quiet,
      serveStatic: createStaticHandler(RENDERER),
      tls,
    });
    this.port = this.hub.port;
  }
}
