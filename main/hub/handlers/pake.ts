import { utf8ToBytes } from '@noble/hashes/utils.js';
import { ErrorCode, pairProofText, pakeAadText, type ClientFrameOf } from '../../../shared/protocol';
import { PakePurpose, startHubPake } from '../../../shared/crypto/codePake';
import { Spake2Error, type Spake2Result } from '../../../shared/crypto/spake2';
import { fromBase64url, toBase64url } from '../../../shared/util/base64url';
import { SerialQueue } from '../../../shared/util/SerialQueue';
import type { Connection } from '../Connection';
import { parseDevicePublicKey, requireKeyPossession } from '../deviceKey';
import type { HubContext } from '../HubContext';
import type { UserRecord } from '../registry/registrySchema';
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
  /** The user a link code was made for, and the device that made it. */
  readonly userId?: string;
  readonly madeBy?: string;
};

/** At most one per connection, until `pakeFinish` or until it is abandoned. */
const pending = new WeakMap<Connection, PendingPake>();
/** A connection's guess whose exchange is still waiting to be computed. */
const computing = new WeakMap<Connection, CodeGuess>();
/**
 * Exchanges are computed one per turn of the event loop, hub-wide: each costs ~15 ms of arithmetic, and a flood
 * of pakeStart (up to the window's 500) must not hold every other connection's frames back meanwhile.
 */
const arithmetic = new SerialQueue();

export async function handlePakeStart(
  ctx: HubContext,
  conn: Connection,
  frame: ClientFrameOf<'pakeStart'>,
): Promise<void> {
  abandonPake(conn);
  const { credential, publicKey } = frame;
  parseDevicePublicKey(publicKey);
  // idA is the key's bytes exactly as the device sent them (appendix D.3).
  const der = fromBase64url(publicKey)!;
  const share = fromBase64url(frame.share);
  if (!share) throw new HubError(ErrorCode.BAD_FRAME, 'share is not canonical base64url.');
  const linkCode =
    credential.kind === 'linkCode' ? ctx.gate.beginLinkCodeGuess(credential.handle, conn.address) : undefined;
  const guess: CodeGuess = linkCode ?? ctx.gate.beginCodeGuess(conn.address);
  computing.set(conn, guess);
  let reply: { share: Uint8Array; exchange: Spake2Result } | undefined;
  try {
    reply = await arithmetic.run(async () => {
      await new Promise<void>((resolve) => setImmediate(resolve));
      // Closed while it waited: nobody to answer.
      if (conn.state === 'closed') return undefined;
      const session = startHubPake({
        code: guess.secret,
        purpose: credential.kind === 'code' ? PakePurpose.PAIRING_CODE : PakePurpose.LINK_CODE,
        hubIdentity: ctx.info().identity,
        devicePublicKey: der,
        aad: utf8ToBytes(pakeAadText(conn.challenge)),
      });
      return { share: session.share, exchange: session.finish(share) };
    });
  } catch (err) {
    if (computing.get(conn) === guess) computing.delete(conn);
    guess.failed();
    if (err instanceof Spake2Error) throw new HubError(ErrorCode.BAD_FRAME, `share: ${err.message}`);
    throw err;
  }
  if (!reply) return;
  // Answered even when a newer pakeStart abandoned it meanwhile (as when each was answered at once), but only the
  // newest exchange can be finished.
  if (computing.get(conn) === guess && conn.state === 'greeted') {
    computing.delete(conn);
    pending.set(conn, {
      guess,
      exchange: reply.exchange,
      credential,
      device: { ...frame.device, publicKey },
      ...(linkCode ? { userId: linkCode.userId, madeBy: linkCode.deviceId } : {}),
    });
  } else {
    guess.failed();
  }
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
  let admitUser: Parameters<typeof pairDevice>[4];
  if (credential.kind === 'code') {
    const { displayName } = credential;
    admitUser = async () => ({ user: await ctx.registry.createUser(displayName), created: true });
  } else {
    // Before the guess counts as right: a code of a user or device removed meanwhile is a failed attempt (6.4).
    const user = linkCodeUser(ctx, started);
    if (user instanceof HubError) {
      guess.failed();
      throw user;
    }
    admitUser = () => Promise.resolve({ user, created: false });
  }
  guess.succeeded();
  await pairDevice(ctx, conn, frame.rid, device, admitUser);
}

/** The user a link code adds a device to, or why it no longer can: its user or its maker device was removed. */
function linkCodeUser(ctx: HubContext, started: PendingPake): UserRecord | HubError {
  const user = ctx.registry.activeUser(started.userId ?? '');
  if (!user) return removedUserRefusal();
  if (!ctx.registry.device(started.madeBy ?? '')) return wrongLinkCode();
  return user;
}

/** The connection closed or started another exchange: the one waiting stays a wrong guess. */
export function abandonPake(conn: Connection): void {
  computing.get(conn)?.failed();
  computing.delete(conn);
  pending.get(conn)?.guess.failed();
  pending.delete(conn);
}
