import { createHash, createPublicKey, sign, verify, type KeyObject } from 'node:crypto';
import type { TLSSocket } from 'node:tls';
import { identityFromDigest } from '../../../shared/protocol';

/**
 * The hub proves its identity key inside each TLS session, whatever
 * certificate it serves (its own or an owner's): it signs the session's
 * keying-material exporter (RFC 8446 7.5, RFC 5705), which only the two ends
 * of that one session know. A proof copied from another session, or relayed
 * by someone in the middle (who holds two sessions with two different
 * exporters), does not verify. Appendix C of the protocol spec.
 */
export const PROOF_HEADER = 'roost-identity-proof';
export const EXPORTER_LABEL = 'EXPORTER-roost-hub-identity';
export const EXPORTER_LENGTH = 32;
/** Domain separation: this key signs nothing else that could be mistaken for a proof. */
const CONTEXT = Buffer.from('roost hub identity proof v1\0', 'utf8');

export function sessionExporter(socket: TLSSocket): Buffer {
  return socket.exportKeyingMaterial(EXPORTER_LENGTH, EXPORTER_LABEL, Buffer.alloc(0));
}

/** The header value: `v1.<base64url SPKI>.<base64url signature>` (ECDSA P-256, SHA-256, IEEE P1363 r||s). */
export function proveIdentity(exporter: Buffer, privateKey: KeyObject, spki: Buffer): string {
  const signature = sign('sha256', Buffer.concat([CONTEXT, exporter]), { key: privateKey, dsaEncoding: 'ieee-p1363' });
  return `v1.${spki.toString('base64url')}.${signature.toString('base64url')}`;
}

export type ProofCheck =
  | { ok: true; identity: string }
  | { ok: false; code: 'HUB_IDENTITY_UNPROVEN' | 'HUB_IDENTITY_CHANGED'; message: string; identity?: string };

/**
 * Checks a proof against this end's exporter, and the proven identity against
 * the pinned one when there is a pin. Never throws: the header came from the
 * network.
 */
export function checkIdentityProof(header: unknown, exporter: Buffer, pinned: string | undefined): ProofCheck {
  const unproven = (why: string): ProofCheck => ({
    ok: false,
    code: 'HUB_IDENTITY_UNPROVEN',
    message: `The hub did not prove its identity: ${why}.`,
  });
  if (typeof header !== 'string' || header.length > 1024) return unproven('no proof was sent');
  const parts = header.split('.');
  if (parts.length !== 3 || parts[0] !== 'v1') return unproven('the proof is not in a known form');
  const spki = Buffer.from(parts[1]!, 'base64url');
  const signature = Buffer.from(parts[2]!, 'base64url');
  let publicKey: KeyObject;
  try {
    publicKey = createPublicKey({ key: spki, format: 'der', type: 'spki' });
  } catch {
    return unproven('its key cannot be read');
  }
  if (publicKey.asymmetricKeyDetails?.namedCurve !== 'prime256v1') return unproven('its key is not P-256');
  const data = Buffer.concat([CONTEXT, exporter]);
  if (!verify('sha256', data, { key: publicKey, dsaEncoding: 'ieee-p1363' }, signature)) {
    return unproven('the signature is not for this connection (someone may be in the middle)');
  }
  const identity = identityFromDigest(createHash('sha256').update(spki).digest());
  if (pinned !== undefined && identity !== pinned) {
    return {
      ok: false,
      code: 'HUB_IDENTITY_CHANGED',
      identity,
      message:
        'The hub at this address has a different identity than the one this device paired with. Someone may be ' +
        'pretending to be your hub, or its owner gave it a new identity. Check with the owner, then pair again.',
    };
  }
  return { ok: true, identity };
}
