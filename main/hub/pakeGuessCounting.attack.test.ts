import { p256 } from '@noble/curves/nist.js';
import { describe, expect, it } from 'vitest';
import { PakePurpose, codePasswordScalar } from '../../shared/crypto/codePake';
import { M_HEX } from '../../shared/crypto/spake2';
import type { ClientFrameInputOf } from '../../shared/protocol';
import { memoryDeviceKey } from '../../shared/sync/MemoryDeviceKeys';
import { codeExchange, pairSignature } from '../../shared/sync/deviceProofs';
import { fromBase64url, toBase64url } from '../../shared/util/base64url';
import type { Hub } from './Hub';
import { cleanupsAfterEach } from './testing/cleanups';
import { TestClient } from './testing/TestClient';
import { greetedClient, skipWithoutLoopbackAddress, startTestHub } from './testing/testHub';

/**
 * Red team, protocol 2: every pakeStart is one counted guess (PROTOCOL.md 6.5), and no way of sending it, ending it
 * or malforming it gets a guess for free or more than one guess out of an exchange. These attacks hold; the tests
 * keep them held.
 */
const cleanups = cleanupsAfterEach();
const device = { name: 'Guesser', platform: 'linux' } as const;

async function hub(): Promise<Hub> {
  const started = await startTestHub();
  cleanups.push(started.cleanup);
  return started.hub;
}

const greeted = (h: Hub, localAddress?: string) => greetedClient(h.port, cleanups, localAddress);

/** A pakeStart for `code` on this connection, built as a device builds it. */
function pakeStart(client: TestClient, code: string) {
  return codeExchange(client.welcomed, memoryDeviceKey(), { kind: 'code', code, displayName: 'Eve' }, device);
}

const wrongFor = (code: string) => String((Number(code) + 1) % 1_000_000).padStart(6, '0');

async function answerCode(client: TestClient, frame: ClientFrameInputOf<'pakeStart'>): Promise<string> {
  const answer = await client.request(frame);
  return answer.type === 'error' ? answer.code : answer.type;
}

describe('guess counting holds', () => {
  it('32 connections from one address sending pakeStart at once get 5 exchanges, the rest refused', async (test) => {
    const h = await hub();
    await skipWithoutLoopbackAddress(test, h.port, '127.0.2.1');
    const clients = await Promise.all(Array.from({ length: 32 }, () => greeted(h, '127.0.2.1')));
    const code = h.pairingCode().code;
    // Sent before any is answered; the right code on every one, so each exchange would pair if it were let through.
    const answers = await Promise.all(clients.map((c) => answerCode(c, pakeStart(c, code).start)));
    expect(answers.filter((a) => a === 'pakeReply')).toHaveLength(5);
    expect(answers.filter((a) => a === 'PAIRING_LOCKED')).toHaveLength(27);
    expect(h.pairingState().wrongGuesses).toBe(5);
  });

  it('a new pakeStart on the same connection, and closing it, leave every started exchange counted', async () => {
    const h = await hub();
    const client = await greeted(h);
    const code = h.pairingCode().code;
    for (let i = 0; i < 3; i++) expect(await answerCode(client, pakeStart(client, code).start)).toBe('pakeReply');
    expect(h.pairingState()).toMatchObject({ wrongGuesses: 3, failedAttempts: 2 });
    await client.close();
    await new Promise<void>((resolve) => {
      const off = h.onPairingChange((s) => {
        if (s.failedAttempts !== 3) return;
        off();
        resolve();
      });
      if (h.pairingState().failedAttempts === 3) {
        off();
        resolve();
      }
    });
    expect(h.pairingState()).toMatchObject({ wrongGuesses: 3, failedAttempts: 3 });
    expect(h.pairingCode().code).toBe(code);
  });

  it("the right code's confirmation signed by another key: no refund, nothing spent, exchange over", async () => {
    const h = await hub();
    const client = await greeted(h);
    const code = h.pairingCode().code;
    const exchange = pakeStart(client, code);
    const reply = await client.expect(exchange.start, 'pakeReply');
    const { hubConfirmed, confirm } = exchange.finish(reply);
    // The attacker checked cB offline: the code is right. Now it hopes a failed finish gives the guess back.
    expect(hubConfirmed).toBe(true);
    const foreign = await pairSignature(client.welcomed, memoryDeviceKey());
    expect(await client.request({ type: 'pakeFinish', confirm, signature: foreign })).toMatchObject({
      type: 'error',
      code: 'DEVICE_KEY_INVALID',
    });
    expect(h.pairingState().wrongGuesses).toBe(1);
    expect(h.pairingCode().code).toBe(code);
    expect(await client.request({ type: 'pakeFinish', confirm, signature: foreign })).toMatchObject({
      code: 'PAKE_NOT_STARTED',
    });
    expect(h.operator.users()).toEqual([]);
  });

  it('malformed shares: off the curve is counted and refused; a non-canonical spelling is refused unseen', async () => {
    const h = await hub();
    const client = await greeted(h);
    const { start } = pakeStart(client, h.pairingCode().code);
    const bytes = fromBase64url(start.share)!;
    const offCurve = Uint8Array.from(bytes);
    offCurve[64] = offCurve[64]! ^ 1;
    expect(await answerCode(client, { ...start, share: toBase64url(offCurve) })).toBe('BAD_FRAME');
    expect(h.pairingState().wrongGuesses).toBe(1);
    // 65 bytes leave 2 spare bits in the last character: set, they spell the same bytes another way.
    const last = start.share.at(-1)!;
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const respelled = start.share.slice(0, -1) + alphabet[alphabet.indexOf(last) | 1];
    expect(await answerCode(client, { ...start, share: respelled })).toBe('BAD_FRAME');
    expect(h.pairingState().wrongGuesses).toBe(1);
    // Still serving, and the code still pairs.
    expect(await answerCode(client, pakeStart(client, h.pairingCode().code).start)).toBe('pakeReply');
  });

  it("a share made to hit SPAKE2's identity check tests one code per exchange, counted like any other", async () => {
    const h = await hub();
    const client = await greeted(h);
    const { identity } = client.welcomed;
    const code = h.pairingCode().code;
    // pA = w*M: the hub's unmasking gives the identity element exactly when w is the hub's, and it says so.
    const oracleShare = (guess: string) =>
      toBase64url(
        p256.Point.fromHex(M_HEX)
          .multiply(codePasswordScalar(guess, PakePurpose.PAIRING_CODE, identity))
          .toBytes(false),
      );
    const { start } = pakeStart(client, code);
    expect(await answerCode(client, { ...start, share: oracleShare(wrongFor(code)) })).toBe('pakeReply');
    expect(await answerCode(client, { ...start, share: oracleShare(code) })).toBe('BAD_FRAME');
    // Two exchanges, two guesses: the same as two honest wrong codes; the code is not spent.
    expect(h.pairingState().wrongGuesses).toBe(2);
    expect(h.pairingCode().code).toBe(code);
  });
});
