import type { WebSocket } from 'ws';
import { PROTOCOL_VERSION, WS_PATH } from '../../shared/protocol';
import { memoryDeviceKey } from '../../shared/sync/MemoryDeviceKeys';
import type { DeviceKey } from '../../shared/sync/deviceKeys';
import { authFrame, pairSignature, type Welcomed } from '../../shared/sync/deviceProofs';
import { fromBase64url } from '../../shared/util/base64url';
import type { Credentials } from '../ipc/messages';
import { openWs, type Endpoint } from './Dialect';

type Frame = { type: string; rid?: string; [key: string]: unknown };

/** The key of a bench device, from the private key its credentials carry. */
export function benchDeviceKey(device: Pick<Credentials, 'secretKey'>): DeviceKey {
  const secret = fromBase64url(device.secretKey);
  if (!secret) throw new Error('bench credentials: secretKey is not base64url');
  return memoryDeviceKey(secret);
}

/**
 * A minimal Roost client for the benchmark. During set-up it parses frames
 * and matches answers by rid. Under load it switches to `raw`: frames are
 * handed over as bytes and never parsed, as a receiver in the hot path of a
 * load generator must not cost more than the server it measures.
 */
export class RoostClient {
  raw: ((frame: Buffer) => void) | null = null;
  private nextRid = 1;
  private readonly waiting = new Map<string, (frame: Frame) => void>();
  private readonly typeWaiters: Array<{ type: string; resolve(frame: Frame): void }> = [];
  /** The hub's identity and this connection's challenge, from its `welcome`: what pairing and auth sign. */
  private welcomed: Welcomed = { identity: '', challenge: '' };

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data) => {
      if (this.raw) {
        this.raw(data as Buffer);
        return;
      }
      const frame = JSON.parse((data as Buffer).toString()) as Frame;
      const byRid = frame.rid === undefined ? undefined : this.waiting.get(frame.rid);
      if (byRid) {
        this.waiting.delete(frame.rid!);
        byRid(frame);
        return;
      }
      const index = this.typeWaiters.findIndex((w) => w.type === frame.type);
      if (index >= 0) this.typeWaiters.splice(index, 1)[0]!.resolve(frame);
    });
  }

  static async connect(endpoint: Endpoint): Promise<RoostClient> {
    const client = new RoostClient(await openWs(endpoint, WS_PATH));
    const welcome = await client.expect(
      { type: 'hello', protocol: PROTOCOL_VERSION, client: 'roost-bench' },
      'welcome',
    );
    const hub = welcome.hub as { identity: string };
    client.welcomed = { identity: hub.identity, challenge: welcome.challenge as string };
    return client;
  }

  /** hello + auth with a paired device's credentials; resolves with `ready`. */
  static async authenticated(
    endpoint: Endpoint,
    device: Pick<Credentials, 'deviceId' | 'secretKey'>,
  ): Promise<{ client: RoostClient; ready: Frame }> {
    const client = await RoostClient.connect(endpoint);
    const ready = await client.expect(await client.authFrame(device), 'ready');
    return { client, ready };
  }

  /** `auth` for the device on this connection: its signature over the connection's challenge. */
  authFrame(device: Pick<Credentials, 'deviceId' | 'secretKey'>): Promise<Frame> {
    return authFrame(this.welcomed, benchDeviceKey(device), device);
  }

  /** `pair` with a join token, for a new device with `key`. */
  async pairFrame(joinToken: string, key: DeviceKey, displayName: string, deviceName: string): Promise<Frame> {
    return {
      type: 'pair',
      credential: { kind: 'joinToken', token: joinToken, displayName },
      device: { name: deviceName, platform: 'linux' },
      publicKey: key.publicKey,
      signature: await pairSignature(this.welcomed, key),
    };
  }

  request(frame: Record<string, unknown>): Promise<Frame> {
    const rid = `b${this.nextRid++}`;
    return new Promise((resolve) => {
      this.waiting.set(rid, resolve);
      this.ws.send(JSON.stringify({ ...frame, rid }));
    });
  }

  async expect(frame: Record<string, unknown> & { type: string }, type: string): Promise<Frame> {
    const answer = await this.request(frame);
    if (answer.type !== type)
      throw new Error(`expected ${type} for ${frame.type}, got ${JSON.stringify(answer).slice(0, 300)}`);
    return answer;
  }

  nextOf(type: string): Promise<Frame> {
    return new Promise((resolve) => this.typeWaiters.push({ type, resolve }));
  }

  close(): void {
    this.ws.terminate();
  }
}
