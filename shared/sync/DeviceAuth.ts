import { ErrorCode, LINK_CODE_HANDLE_PATTERN, type PairCredential, type ServerFrame } from '../protocol';
import type { DeviceDescription } from './clientOptions';
import type { DeviceKeyStore } from './deviceKeys';
import { authFrame, codeExchange, linkCodeHandle, pairSignature, type Welcomed } from './deviceProofs';
import { RoostError, WarningCode, type RoostWarning } from './errors';
import { expectAnswer, type Requests } from './Requests';
import type { KnownHub, StoredCredentials } from './storage';

/**
 * The device's side of pairing and authentication (PROTOCOL.md 6): its key, the exchanges that prove it, and which
 * hub identity it signs for. It owns none of the client's state: ClientCore passes in what it knows and applies
 * the answers (`paired`, `ready`, errors) as it does every frame's.
 */
export class DeviceAuth {
  constructor(
    private readonly keys: DeviceKeyStore,
    private readonly requests: Requests,
    private readonly onWarning: ((warning: RoostWarning) => void) | undefined,
  ) {}

  /**
   * Pairs with a new key; resolves when `paired` came. A code never crosses the network: it keys a SPAKE2 exchange
   * (6.2), and a hub that does not know it is refused before the device finishes.
   */
  async pair(welcomed: Welcomed, credential: PairCredential, device: DeviceDescription): Promise<void> {
    // Not the start of any link code: no hub could know it, so nothing is sent.
    if (credential.kind === 'linkCode' && !LINK_CODE_HANDLE_PATTERN.test(linkCodeHandle(credential.code)))
      throw wrongCode('linkCode');
    const key = await this.keys.renew();
    const signature = await pairSignature(welcomed, key);
    if (credential.kind === 'joinToken') {
      const frame = { type: 'pair', credential, device, publicKey: key.publicKey, signature } as const;
      expectAnswer(await this.requests.request(frame), 'paired');
      return;
    }
    const exchange = codeExchange(welcomed, key, credential, device);
    const reply = expectAnswer(await this.requests.request(exchange.start), 'pakeReply');
    const { hubConfirmed, confirm } = exchange.finish(reply);
    if (!hubConfirmed) throw wrongCode(credential.kind);
    expectAnswer(await this.requests.request({ type: 'pakeFinish', confirm, signature }), 'paired');
  }

  /** Signs this connection's challenge (a protocol-1 device also binds its new key: 6.7); the hub's answer. */
  async authenticate(welcomed: Welcomed, credentials: StoredCredentials): Promise<ServerFrame> {
    const key = await this.keys.load();
    return this.requests.request(await authFrame(welcomed, key, credentials));
  }

  /** The device was unpaired: its key goes too, so pairing anew makes a new one. */
  forgetKey(): void {
    void this.keys.forget().catch((err: unknown) =>
      this.onWarning?.({
        code: WarningCode.STORAGE_FAILED,
        message: `could not forget the device key: ${String(err)}`,
      }),
    );
  }
}

/**
 * The identity this device knows its hub by: the one it paired with or bound its key to, else (a protocol-1 device
 * that has not bound one yet) the one its cache last saw, so that its token goes to no other (6.7).
 */
export function knownIdentity(credentials: StoredCredentials, cached: KnownHub | undefined): string | undefined {
  if (credentials.hubIdentity !== undefined) return credentials.hubIdentity;
  return cached?.id === credentials.hubId ? cached.identity : undefined;
}

/**
 * Credentials as they stand once the hub accepted this device's key: a protocol-1 token is dropped (binding replaced
 * it), and the identity the key was proven to is remembered. Undefined when nothing changes.
 */
export function keyedCredentials(
  credentials: StoredCredentials,
  hubIdentity: string | undefined,
): StoredCredentials | undefined {
  if (!credentials.token && (credentials.hubIdentity !== undefined || !hubIdentity)) return undefined;
  const { token: _bound, ...keyed } = credentials;
  return { ...keyed, ...(hubIdentity ? { hubIdentity } : {}) };
}

/** The hub's confirmation did not verify: the person typed the code wrong, or this hub is not the one showing it. */
function wrongCode(kind: 'code' | 'linkCode'): RoostError {
  return kind === 'code'
    ? new RoostError(
        ErrorCode.PAIRING_CODE_INVALID,
        'Wrong pairing code, or this is not the hub showing it. Check the 6-digit code on the hub.',
        'pakeFinish',
      )
    : new RoostError(
        ErrorCode.LINK_CODE_INVALID,
        'Wrong link code, or this is not the hub it was made on. Check it, or create a new one on your other device.',
        'pakeFinish',
      );
}
