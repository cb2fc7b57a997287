import { utf8ToBytes } from '@noble/hashes/utils.js';
import { PakePurpose, startDevicePake } from '../crypto/codePake';
import { Spake2Error, type Spake2Result } from '../crypto/spake2';
import {
  authProofText,
  LINK_CODE_HANDLE_LENGTH,
  normalizeLinkCode,
  pairProofText,
  pakeAadText,
  stripSeparators,
  type ClientFrameInputOf,
  type PairCredential,
  type Platform,
  type ServerFrameOf,
} from '../protocol';
import { fromBase64url, toBase64url } from '../util/base64url';
import type { DeviceKey } from './deviceKeys';

/** What a connection's `welcome` gave: the hub's identity and this connection's challenge (PROTOCOL.md 6). */
export type Welcomed = { identity: string; challenge: string };

/** `auth` for a paired device: its signature over the challenge, and for a protocol-1 device its token (6.7). */
export async function authFrame(
  welcomed: Welcomed,
  key: DeviceKey,
  credentials: { deviceId: string; token?: string | undefined },
): Promise<ClientFrameInputOf<'auth'>> {
  const proof = authProofText(welcomed.identity, welcomed.challenge, credentials.deviceId);
  const signature = toBase64url(await key.sign(utf8ToBytes(proof)));
  const migrate = credentials.token ? { token: credentials.token, publicKey: key.publicKey } : undefined;
  return { type: 'auth', deviceId: credentials.deviceId, signature, ...(migrate ? { migrate } : {}) };
}

/** The proof that the device holds the key it registers, for `pair` and `pakeFinish`. */
export async function pairSignature(welcomed: Welcomed, key: DeviceKey): Promise<string> {
  const proof = pairProofText(welcomed.identity, welcomed.challenge, key.publicKey);
  return toBase64url(await key.sign(utf8ToBytes(proof)));
}

export type CodeCredential = Exclude<PairCredential, { kind: 'joinToken' }>;

/** What names a link code in `pakeStart` (6.4): its first characters, normalized. Not secret; the rest is. */
export function linkCodeHandle(code: string): string {
  return normalizeLinkCode(code).slice(0, LINK_CODE_HANDLE_LENGTH);
}

/**
 * One SPAKE2 exchange keyed by a typed code (6.2): send `start`, then give the hub's `pakeReply` to finish(), which
 * says whether the hub knew the code (its confirmation verified) and gives the device's confirmation for
 * `pakeFinish`. A client MUST stop when `hubConfirmed` is false: the code is wrong, or this is not the hub that
 * showed it.
 */
export function codeExchange(
  welcomed: Welcomed,
  key: DeviceKey,
  credential: CodeCredential,
  device: { name: string; platform: Platform },
): {
  start: ClientFrameInputOf<'pakeStart'>;
  finish(reply: ServerFrameOf<'pakeReply'>): { hubConfirmed: boolean; confirm: string };
} {
  const code = credential.kind === 'code' ? stripSeparators(credential.code) : normalizeLinkCode(credential.code);
  const exchange = startDevicePake({
    // An empty code is still one (wrong) guess, not a local error: the hub counts what it is sent either way.
    code: code || '-',
    purpose: credential.kind === 'code' ? PakePurpose.PAIRING_CODE : PakePurpose.LINK_CODE,
    hubIdentity: welcomed.identity,
    devicePublicKey: fromBase64url(key.publicKey) ?? new Uint8Array(),
    aad: utf8ToBytes(pakeAadText(welcomed.challenge)),
  });
  const start: ClientFrameInputOf<'pakeStart'> = {
    type: 'pakeStart',
    credential:
      credential.kind === 'code'
        ? { kind: 'code', displayName: credential.displayName }
        : { kind: 'linkCode', handle: linkCodeHandle(code) },
    device,
    publicKey: key.publicKey,
    share: toBase64url(exchange.share),
  };
  return {
    start,
    finish(reply) {
      const hubShare = fromBase64url(reply.share);
      const hubConfirm = fromBase64url(reply.confirm);
      if (!hubShare || !hubConfirm) return { hubConfirmed: false, confirm: '' };
      let result: Spake2Result;
      try {
        result = exchange.finish(hubShare);
      } catch (err) {
        // A share off the curve, or one that unmasks to the identity: not a hub that knows the code.
        if (err instanceof Spake2Error) return { hubConfirmed: false, confirm: '' };
        throw err;
      }
      return { hubConfirmed: result.verifyPeerConfirmation(hubConfirm), confirm: toBase64url(result.confirmation) };
    },
  };
}
