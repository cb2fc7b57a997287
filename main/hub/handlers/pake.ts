import { utf8ToBytes } from '@noble/hashes/utils.js';
import { ErrorCode, pairProofText, pakeAadText, type ClientFrameOf } from '../../../shared/protocol';
import { PakePurpose, startHubPake } from '../../../shared/crypto/codePake';
import { Spake2Error, type Spake2Result } from '../../../shared/crypto/spake2';
import { fromBase64url, toBase64url } from '../../../shared/util/base64url';
import type { Connection } from '../Connection';
import { parseDevicePublicKey, requireKeyPossession } from '../deviceKey';
import type { HubContext } from '../HubContext';
import { HubError } from '../HubError';
import { wrongLinkCode, wrongPairingCode, type CodeGuess } from '../pairing/PairingGate';
import { pairDevice, removedUserRefusal, type NewDevice } from './session';

/**
 * Pairing by code (PROTOCOL.md 6.2): one SPAKE2 exchange keyed by the code, so the code itself never crosses the
 * network and a hub that is not this one learns nothing it could use here. `pakeStart` counts one guess; the hub's
 * confirmation goes back with its share, and `pakeFinish` carries the device's.
 */
type PendingPake = {
  readonly guess: CodeGuess;
  readonly exchange: Spake2Result;
  readonly credential: ClientFrameOf<'pakeStart'>['credential'];
  readonly device: NewDevice;
  /** The user a link code was made for. */
  readonly userId?: string;
};

/** At most one per connection, until `pakeFinish` or until it is abandoned. */
const pending = new WeakMap<Connection, PendingPake>();

export function handlePakeStart(ctx: HubContext, conn: Connection, frame: ClientFrameOf<'pakeStart'>): void {
  abandonPake(conn);
  const { credential, publicKey } = frame;
  parseDevicePublicKey(publicKey);
  // idA is the key's bytes exactly as the device sent them (appendix D.3).
  const der = fromBase64url(publicKey)!;
  const share = fromBase64url(frame.share);
  if (!share) throw new HubError(ErrorCode.BAD_FRAME, 'share is not canonical base64url.');
  const guess =
    credential.kind === 'code'
      ? ctx.gate.beginCodeGuess(conn.address)
      : ctx.gate.beginLinkCodeGuess(credential.handle, conn.address);
  let reply: { share: Uint8Array; exchange: Spake2Result };
  try {
    const session = startHubPake({
      code: guess.secret,
      purpose: credential.kind === 'code' ? PakePurpose.PAIRING_CODE : PakePurpose.LINK_CODE,
      hubIdentity: ctx.info().identity,
      devicePublicKey: der,
      aad: utf8ToBytes(pakeAadText(conn.challenge)),
    });
    reply = { share: session.share, exchange: session.finish(share) };
  } catch (err) {
    guess.failed();
    if (err instanceof Spake2Error) throw new HubError(ErrorCode.BAD_FRAME, `share: ${err.message}`);
    throw err;
  }
  pending.set(conn, {
    guess,
    exchange: reply.exchange,
    credential,
    device: { ...frame.device, publicKey },
    ...('userId' in guess ? { userId: guess.userId as string } : {}),
  });
  conn.send({
    type: 'pakeReply',
    rid: frame.rid,
    share: toBase64url(reply.share),
    confirm: toBase64url(reply.exchange.confirmation),
  });
}

export async function handlePakeFinish(
  ctx: HubContext,
  conn: Connection,
  frame: ClientFrameOf<'pakeFinish'>,
): Promise<void> {
  const started = pending.get(conn);
  pending.delete(conn);
  if (!started) {
    throw new HubError(
      ErrorCode.PAKE_NOT_STARTED,
      'No pairing exchange is waiting on this connection: send pakeStart.',
    );
  }
  const { guess, credential, device } = started;
  const confirm = fromBase64url(frame.confirm);
  if (!confirm || !started.exchange.verifyPeerConfirmation(confirm)) {
    guess.failed();
    throw credential.kind === 'code' ? wrongPairingCode() : wrongLinkCode();
  }
  try {
    requireKeyPossession(
      device.publicKey,
      pairProofText(ctx.info().identity, conn.challenge, device.publicKey),
      frame.signature,
    );
  } catch (err) {
    guess.failed();
    throw err;
  }
  guess.succeeded();
  await pairDevice(ctx, conn, frame.rid, device, async () => {
    if (credential.kind === 'code')
      return { user: await ctx.registry.createUser(credential.displayName), created: true };
    const user = ctx.registry.activeUser(started.userId ?? '');
    if (!user) throw removedUserRefusal();
    return { user, created: false };
  });
}

/** The connection closed or started another exchange: the one waiting stays a wrong guess. */
export function abandonPake(conn: Connection): void {
  pending.get(conn)?.guess.failed();
  pending.delete(conn);
}
