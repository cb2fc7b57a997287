import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { cleanupsAfterEach } from '../testing/cleanups';
import { httpsGet } from '../testing/httpGet';
import { TestClient } from '../testing/TestClient';
import { startTestHub } from '../testing/testHub';
import { startTlsRelay } from '../testing/tlsRelay';
import { identityKeyFrom } from './identityKey';
import { checkIdentityProof, proveIdentity } from './identityProof';

const cleanups = cleanupsAfterEach();
const newKey = () => identityKeyFrom(generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).privateKey);

async function relayTo(hubPort: number): Promise<number> {
  const relay = await startTlsRelay(hubPort);
  cleanups.push(() => relay.stop());
  return relay.port;
}

describe('the identity proof', () => {
  const key = newKey();
  const exporter = randomBytes(32);

  it('verifies for the session it was made for, and names the identity', () => {
    expect(checkIdentityProof(proveIdentity(exporter, key.privateKey, key.spki), exporter, undefined)).toEqual({
      ok: true,
      identity: key.identity,
    });
  });

  it('does not verify for another session: a proof recorded or relayed is worthless', () => {
    const check = checkIdentityProof(proveIdentity(exporter, key.privateKey, key.spki), randomBytes(32), key.identity);
    expect(check).toMatchObject({ ok: false, code: 'HUB_IDENTITY_UNPROVEN' });
  });

  it('names a different identity HUB_IDENTITY_CHANGED, with the identity seen', () => {
    const other = newKey();
    const check = checkIdentityProof(proveIdentity(exporter, other.privateKey, other.spki), exporter, key.identity);
    expect(check).toMatchObject({ ok: false, code: 'HUB_IDENTITY_CHANGED', identity: other.identity });
  });

  it('refuses a proof with a swapped key, a bad signature or no proper form, without throwing', () => {
    const proof = proveIdentity(exporter, key.privateKey, key.spki);
    const [, , signature] = proof.split('.');
    const swapped = `v1.${newKey().spki.toString('base64url')}.${signature}`;
    for (const header of [
      swapped,
      `${proof.slice(0, -4)}AAAA`,
      'v2.a.b',
      'nonsense',
      undefined,
      ['v1'],
      'x'.repeat(5000),
    ]) {
      expect(checkIdentityProof(header, exporter, undefined)).toMatchObject({ ok: false });
    }
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey.export({ type: 'spki', format: 'der' });
    expect(checkIdentityProof(`v1.${rsa.toString('base64url')}.${signature}`, exporter, undefined)).toMatchObject({
      ok: false,
      code: 'HUB_IDENTITY_UNPROVEN',
    });
  });
});

describe('someone in the middle', () => {
  it('cannot pass the real hub off through a relay: a pinned or unpinned native client refuses it', async () => {
    const { hub, cleanup } = await startTestHub();
    cleanups.push(cleanup);
    const relay = await relayTo(hub.port);
    const refusal = (pin?: string) =>
      TestClient.connect(relay, { tls: { pin } }).then(
        () => 'connected',
        (err: { code?: string }) => err.code,
      );
    expect(await refusal(hub.identity)).toBe('HUB_IDENTITY_UNPROVEN');
    expect(await refusal(undefined)).toBe('HUB_IDENTITY_UNPROVEN');
    const info = await httpsGet(relay, '/api/info', { pin: hub.identity });
    expect(info.proof).toMatchObject({ ok: false, code: 'HUB_IDENTITY_UNPROVEN' });
  });

  it('cannot talk a pinned client down to TLS 1.2, whose exporter a relay could line up', async () => {
    const { hub, cleanup } = await startTestHub();
    cleanups.push(cleanup);
    const relay = await startTlsRelay(hub.port, { maxVersion: 'TLSv1.2' });
    cleanups.push(() => relay.stop());
    const answer = await TestClient.connect(relay.port, { tls: { pin: hub.identity } }).then(
      () => 'connected',
      (err: Error & { code?: string }) => err.code ?? err.message,
    );
    // Refused in the handshake (EPROTO), before any proof is even looked at.
    expect(answer).toBe('EPROTO');
  });

  it('cannot pass itself off as the hub with its own identity: a pinned client sees HUB_IDENTITY_CHANGED', async () => {
    const { hub: real, cleanup: stopReal } = await startTestHub();
    cleanups.push(stopReal);
    const { hub: rogue, cleanup: stopRogue } = await startTestHub();
    cleanups.push(stopRogue);
    const answer = await TestClient.connect(rogue.port, { tls: { pin: real.identity } }).then(
      () => 'connected',
      (err: { code?: string }) => err.code,
    );
    expect(answer).toBe('HUB_IDENTITY_CHANGED');
  });
});
