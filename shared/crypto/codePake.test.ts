import { p256 } from '@noble/curves/nist.js';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js';
import { describe, expect, it } from 'vitest';
import { codePasswordScalar, PakePurpose, startDevicePake, startHubPake, type CodePakeInput } from './codePake';
import { GROUP_ORDER, Spake2ErrorCode, type Spake2Session } from './spake2';

const HUB = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567ABCDEFGHIJKLMNOPQRST';
const ROGUE_HUB = 'QRSTUVWXYZ234567ABCDEFGHIJKLMNOPQRSTUVWXYZ234567ABCD';
const deviceKey = () => p256.getPublicKey(p256.utils.randomSecretKey(), false);
const KEY = deviceKey();

function input(overrides: Partial<CodePakeInput> = {}): CodePakeInput {
  return { code: '123456', purpose: PakePurpose.PAIRING_CODE, hubIdentity: HUB, devicePublicKey: KEY, ...overrides };
}

/** The exchange in the order the protocol runs it: pA, pB, cA checked by the hub, cB checked by the device. */
function run(device: Spake2Session, hub: Spake2Session) {
  const hubResult = hub.finish(device.share);
  const deviceResult = device.finish(hub.share);
  return {
    hubAccepts: hubResult.verifyPeerConfirmation(deviceResult.confirmation),
    deviceAccepts: deviceResult.verifyPeerConfirmation(hubResult.confirmation),
    sameKey: bytesToHex(deviceResult.sharedKey) === bytesToHex(hubResult.sharedKey),
  };
}

describe('code pairing key exchange', () => {
  it('agrees on a key when the device typed the code the hub shows', () => {
    expect(run(startDevicePake(input()), startHubPake(input()))).toEqual({
      hubAccepts: true,
      deviceAccepts: true,
      sameKey: true,
    });
  });

  it("names the device's key as A and the hub's identity as B in the transcript", () => {
    const result = startDevicePake(input()).finish(startHubPake(input()).share);
    const view = new DataView(result.transcript.buffer, result.transcript.byteOffset);
    const field = (at: number) => result.transcript.subarray(at + 8, at + 8 + Number(view.getBigUint64(at, true)));
    expect(bytesToHex(field(0))).toBe(bytesToHex(KEY));
    expect(new TextDecoder().decode(field(8 + KEY.length))).toBe(HUB);
  });

  it('fails confirmation on both sides with a wrong code', () => {
    expect(run(startDevicePake(input({ code: '123457' })), startHubPake(input()))).toEqual({
      hubAccepts: false,
      deviceAccepts: false,
      sameKey: false,
    });
  });

  it('fails when a rogue hub relays: the device binds the identity its TLS session proved', () => {
    // The device talks to the rogue (identity ROGUE_HUB), which forwards to the real hub; the code is right.
    const outcome = run(startDevicePake(input({ hubIdentity: ROGUE_HUB })), startHubPake(input()));
    expect(outcome).toEqual({ hubAccepts: false, deviceAccepts: false, sameKey: false });
  });

  it("fails when the device's public key is swapped on the way", () => {
    const outcome = run(startDevicePake(input()), startHubPake(input({ devicePublicKey: deviceKey() })));
    expect(outcome).toEqual({ hubAccepts: false, deviceAccepts: false, sameKey: false });
  });

  it('keeps pairing codes and link codes apart', () => {
    const outcome = run(startDevicePake(input({ purpose: PakePurpose.LINK_CODE })), startHubPake(input()));
    expect(outcome.hubAccepts).toBe(false);
  });

  it('fails when the context (AAD) differs, and agrees when it matches', () => {
    const v2 = utf8ToBytes('roost protocol 2');
    expect(run(startDevicePake(input({ aad: v2 })), startHubPake(input())).hubAccepts).toBe(false);
    expect(run(startDevicePake(input({ aad: v2 })), startHubPake(input({ aad: v2 }))).hubAccepts).toBe(true);
  });

  it('fails when the device share is tampered with on the way', () => {
    const device = startDevicePake(input());
    const hub = startHubPake(input());
    const tampered = p256.Point.fromBytes(device.share).add(p256.Point.BASE).toBytes(false);
    const hubResult = hub.finish(tampered);
    const deviceResult = device.finish(hub.share);
    expect(hubResult.verifyPeerConfirmation(deviceResult.confirmation)).toBe(false);
    expect(deviceResult.verifyPeerConfirmation(hubResult.confirmation)).toBe(false);
  });
});

describe('the code-to-w derivation', () => {
  it('is HKDF-SHA-256 of the code, reduced mod p (pinned: both sides and every version must agree)', () => {
    // Computed once outside this repository with Node's crypto.hkdfSync, an HKDF independent of @noble/hashes.
    const w = codePasswordScalar('123456', PakePurpose.PAIRING_CODE, HUB);
    expect(w.toString(16).padStart(64, '0')).toBe('043d7000a4fec5e96bab7b59bfc640ee81dfe5e12111c32373f8bc3f477e46c3');
    const link = codePasswordScalar('123456', PakePurpose.LINK_CODE, HUB);
    expect(link.toString(16)).toBe('9e83cf53d0d01eb1efcee184d6387a64f209144a8b06a9465802d9aa21863999');
  });

  it('depends on the code, the purpose and the hub', () => {
    const base = codePasswordScalar('123456', PakePurpose.PAIRING_CODE, HUB);
    expect(base > 0n && base < GROUP_ORDER).toBe(true);
    expect(codePasswordScalar('123456', PakePurpose.PAIRING_CODE, ROGUE_HUB)).not.toBe(base);
    expect(codePasswordScalar('654321', PakePurpose.PAIRING_CODE, HUB)).not.toBe(base);
  });

  it('refuses an empty code and a malformed hub identity', () => {
    expect(() => codePasswordScalar('', PakePurpose.PAIRING_CODE, HUB)).toThrow(
      expect.objectContaining({ code: Spake2ErrorCode.EMPTY_PASSWORD }),
    );
    for (const bad of ['', HUB.toLowerCase(), HUB.slice(1), `${HUB}A`, HUB.replace('A', '1')]) {
      expect(() => startHubPake(input({ hubIdentity: bad }))).toThrow(
        expect.objectContaining({ code: Spake2ErrorCode.INVALID_IDENTITY, message: expect.stringMatching(/52/) }),
      );
    }
  });

  it('refuses an empty device key: the transcript must name the device', () => {
    expect(() => startDevicePake(input({ devicePublicKey: new Uint8Array() }))).toThrow(
      expect.objectContaining({ code: Spake2ErrorCode.INVALID_IDENTITY }),
    );
  });
});
