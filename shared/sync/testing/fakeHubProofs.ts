import { p256 } from '@noble/curves/nist.js';
import { utf8ToBytes } from '@noble/hashes/utils.js';
import { PakePurpose, startHubPake } from '../../crypto/codePake';
import { pakeAadText, type ClientFrameOf, type ServerFrameOf } from '../../protocol';
import { fromBase64url, toBase64url } from '../../util/base64url';
import { HUB } from './fixtures';

/**
 * The hub's half of protocol 2's proofs (PROTOCOL.md 6), for tests that play the hub on a fake transport: they check
 * what the client signed and answer its code exchange the way the real hub does (main/hub/deviceKey.ts, pairing/).
 */

/** Whether `signature` is the signature of `text` by `publicKey` (SPKI, base64url), as the hub verifies it. */
export function verifiesWith(publicKey: string, text: string, signature: string): boolean {
  const spki = fromBase64url(publicKey);
  const bytes = fromBase64url(signature);
  if (spki?.length !== 91 || !bytes) return false;
  // The point is the last 65 bytes of a P-256 SubjectPublicKeyInfo. ECDSA over SHA-256; the hub (Node) accepts any s.
  return p256.verify(bytes, utf8ToBytes(text), spki.slice(-65), { prehash: true, lowS: false });
}

/**
 * The hub's side of one code exchange, keyed by `code` (the code the hub shows, or a wrong one to play a hub that does
 * not know the device's code): `reply` answers the `pakeStart`, `confirms` checks the device's `pakeFinish`.
 */
export function hubCodeExchange(
  start: ClientFrameOf<'pakeStart'>,
  code: string,
  challenge: string,
): { reply: ServerFrameOf<'pakeReply'>; confirms(finish: ClientFrameOf<'pakeFinish'>): boolean } {
  const exchange = startHubPake({
    code,
    purpose: start.credential.kind === 'code' ? PakePurpose.PAIRING_CODE : PakePurpose.LINK_CODE,
    hubIdentity: HUB.identity,
    devicePublicKey: fromBase64url(start.publicKey) ?? new Uint8Array(),
    aad: utf8ToBytes(pakeAadText(challenge)),
  });
  const result = exchange.finish(fromBase64url(start.share) ?? new Uint8Array());
  return {
    reply: {
      type: 'pakeReply',
      rid: start.rid,
      share: toBase64url(exchange.share),
      confirm: toBase64url(result.confirmation),
    },
    confirms: (finish) => result.verifyPeerConfirmation(fromBase64url(finish.confirm) ?? new Uint8Array()),
  };
}
