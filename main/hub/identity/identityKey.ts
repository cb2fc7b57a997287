import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { readFile, rename } from 'node:fs/promises';
import path from 'node:path';
import { identityFromDigest } from '../../../shared/protocol';
import { writeFileDurably } from '../registry/durableWrite';

/** The hub's identity key, in its data directory, readable only by the user who runs the hub. */
export const IDENTITY_KEY_FILE = 'hub-identity-key.pem';

export type IdentityKey = {
  privateKey: KeyObject;
  publicKey: KeyObject;
  /** SubjectPublicKeyInfo, DER: what the identity is the hash of. */
  spki: Buffer;
  /** The 52-character identity (shared/protocol/hubIdentity.ts). */
  identity: string;
};

/** The identity key file exists but holds no P-256 private key: the hub stops rather than become another hub. */
export class IdentityKeyError extends Error {
  readonly code = 'IDENTITY_KEY_INVALID';

  constructor(file: string, reason: string) {
    super(
      `${file} is not the hub's identity key (${reason}). Restore it from a backup. Or, to give this hub a new ` +
        'identity that every device must verify again, move the file away and start the hub.',
    );
    this.name = 'IdentityKeyError';
  }
}

export function identityOf(publicKey: KeyObject): string {
  const spki = publicKey.export({ type: 'spki', format: 'der' });
  return identityFromDigest(createHash('sha256').update(spki).digest());
}

export function identityKeyFrom(privateKey: KeyObject): IdentityKey {
  const publicKey = createPublicKey(privateKey);
  const spki = publicKey.export({ type: 'spki', format: 'der' });
  return { privateKey, publicKey, spki, identity: identityFromDigest(createHash('sha256').update(spki).digest()) };
}

/**
 * Gives the hub a new identity on purpose: the key file is kept beside, renamed with the time
 * (`hub-identity-key.pem.retired-<ms>`), so a mistaken rotation can be undone by renaming it back before
 * devices pair again. Every device that pinned the old identity is refused until it pairs again. Returns
 * the retired file's path, or undefined when there was no key yet.
 */
export async function retireIdentityKey(dataDir: string, now: number): Promise<string | undefined> {
  const file = path.join(dataDir, IDENTITY_KEY_FILE);
  const retired = `${file}.retired-${now}`;
  try {
    await rename(file, retired);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  return retired;
}

/**
 * Reads the hub's ECDSA P-256 identity key, or makes one on first start. A
 * file that is there but unreadable as such a key stops the hub: making a new
 * key over it would silently turn this hub into a stranger to every device.
 */
export async function loadOrCreateIdentityKey(dataDir: string): Promise<{ key: IdentityKey; created: boolean }> {
  const file = path.join(dataDir, IDENTITY_KEY_FILE);
  let pem: string;
  try {
    pem = await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    return { key: await createIdentityKey(file), created: true };
  }
  return { key: parseIdentityKey(file, pem), created: false };
}

function parseIdentityKey(file: string, pem: string): IdentityKey {
  let privateKey: KeyObject;
  try {
    privateKey = createPrivateKey({ key: pem, format: 'pem' });
  } catch (err) {
    throw new IdentityKeyError(file, `not a PEM private key: ${(err as Error).message}`);
  }
  const curve = privateKey.asymmetricKeyDetails?.namedCurve;
  if (privateKey.asymmetricKeyType !== 'ec' || curve !== 'prime256v1') {
    throw new IdentityKeyError(file, `a ${privateKey.asymmetricKeyType ?? 'unknown'} ${curve ?? ''} key, not P-256`);
  }
  return identityKeyFrom(privateKey);
}

async function createIdentityKey(file: string): Promise<IdentityKey> {
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const pem = privateKey.export({ type: 'pkcs8', format: 'pem' });
  await writeFileDurably(file, pem, { mode: 0o600 });
  return identityKeyFrom(privateKey);
}

/**
 * The identity key's SHA-256 in hex pairs, as browsers' certificate viewers show a public key's fingerprint
 * ("Public Key SHA-256"): the one thing a person can compare in a browser's warning. Same digest as the identity.
 */
export function publicKeyFingerprint(key: IdentityKey): string {
  const hex = createHash('sha256').update(key.spki).digest('hex').toUpperCase();
  return hex.match(/../g)!.join(' ');
}
