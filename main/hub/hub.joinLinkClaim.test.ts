import { describe, expect, it } from 'vitest';
import { ErrorCode, type ServerFrame } from '../../shared/protocol';
import type { Hub } from './Hub';
import { cleanupsAfterEach } from './testing/cleanups';
import { pairRequest } from './testing/devicePairing';
import { TestClient } from './testing/TestClient';
import { greetedClient, startTestHub } from './testing/testHub';

/**
 * A join link's token stays in the browser's history, so the page that opens
 * it trades it at once for a fresh token that is never in a URL
 * (PROTOCOL.md 6.3): from then on the link is worth nothing.
 */

const cleanups = cleanupsAfterEach();

let clock = Date.now();
const now = () => clock;

async function hub(pairing: { joinTokenTtlMs?: number; claimedJoinTokenTtlMs?: number } = {}): Promise<Hub> {
  clock = Date.now();
  const started = await startTestHub({ now, pairing: { now, ...pairing } });
  cleanups.push(started.cleanup);
  return started.hub;
}

const greeted = (h: Hub) => greetedClient(h.port, cleanups);

function claim(client: TestClient, token: string): Promise<ServerFrame> {
  return client.request({ type: 'claimJoinLink', token });
}

/** `pair` with a join token, signed with a new device key as a client does; the hub's answer. */
function pair(client: TestClient, token: string, displayName = 'Cleo'): Promise<ServerFrame> {
  return pairRequest(client, {
    credential: { kind: 'joinToken', token, displayName },
    device: { name: `${displayName}'s phone`, platform: 'android' },
  });
}

describe('claimJoinLink', () => {
  it('trades a join link for a fresh token that pairs; the link itself no longer does', async () => {
    const h = await hub();
    const link = h.createJoinToken();
    const page = await greeted(h);
    const claimed = await claim(page, link.token);
    expect(claimed).toMatchObject({ type: 'joinLinkClaimed', token: expect.stringMatching(/^[\w-]{43}$/) });
    if (claimed.type !== 'joinLinkClaimed') return;
    expect(claimed.token).not.toBe(link.token);
    expect(h.isJoinTokenLive(link.token)).toBe(false);

    // Someone who finds the link in the history: neither claiming nor pairing with it works.
    const snoop = await greeted(h);
    expect(await claim(snoop, link.token)).toMatchObject({
      type: 'error',
      code: ErrorCode.JOIN_TOKEN_USED,
      message: expect.stringMatching(/already used/),
    });
    expect(await pair(snoop, link.token, 'Mallory')).toMatchObject({
      type: 'error',
      code: ErrorCode.JOIN_TOKEN_INVALID,
    });

    // The page pairs with its fresh token, on a new connection too (it is a bearer token).
    const reconnected = await greeted(h);
    expect(await pair(reconnected, claimed.token)).toMatchObject({ type: 'paired' });
  });

  it('tells a link already used for pairing apart from an unknown one', async () => {
    const h = await hub();
    const link = h.createJoinToken();
    const first = await greeted(h);
    expect(await pair(first, link.token)).toMatchObject({ type: 'paired' });
    const again = await greeted(h);
    expect(await claim(again, link.token)).toMatchObject({ type: 'error', code: ErrorCode.JOIN_TOKEN_USED });
    expect(await claim(again, 'x'.repeat(43))).toMatchObject({
      type: 'error',
      code: ErrorCode.JOIN_TOKEN_INVALID,
      message: expect.stringMatching(/not valid/),
    });
  });

  it('says a link has expired, and the fresh token lives its own, shorter life', async () => {
    const h = await hub({ joinTokenTtlMs: 60_000, claimedJoinTokenTtlMs: 10_000 });
    const stale = h.createJoinToken();
    const fresh = h.createJoinToken();
    const page = await greeted(h);
    const claimed = await claim(page, fresh.token);
    if (claimed.type !== 'joinLinkClaimed') throw new Error(JSON.stringify(claimed));
    expect(claimed.expiresAt).toBe(clock + 10_000);
    clock += 60_000;
    expect(await claim(page, stale.token)).toMatchObject({
      type: 'error',
      code: ErrorCode.JOIN_TOKEN_EXPIRED,
      message: expect.stringMatching(/expired/),
    });
    // The fresh token from before has expired by now too.
    expect(await pair(page, claimed.token)).toMatchObject({ type: 'error', code: ErrorCode.JOIN_TOKEN_INVALID });
  });

  it('only a join link can be claimed, not the fresh token it was traded for', async () => {
    const h = await hub();
    const page = await greeted(h);
    const claimed = await claim(page, h.createJoinToken().token);
    if (claimed.type !== 'joinLinkClaimed') throw new Error(JSON.stringify(claimed));
    expect(await claim(page, claimed.token)).toMatchObject({ type: 'error', code: ErrorCode.JOIN_TOKEN_INVALID });
    expect(await pair(page, claimed.token)).toMatchObject({ type: 'paired' });
  });

  it('tells the hub’s listeners, so the host shows a new join link at once', async () => {
    const h = await hub();
    const link = h.createJoinToken();
    let told = 0;
    h.onPairingChange(() => told++);
    await claim(await greeted(h), link.token);
    expect(told).toBeGreaterThan(0);
  });

  it('needs hello first, and is refused once the connection is paired', async () => {
    const h = await hub();
    const early = await TestClient.connect(h.port);
    cleanups.push(() => early.close());
    expect(await claim(early, h.createJoinToken().token)).toMatchObject({
      type: 'error',
      code: ErrorCode.HELLO_REQUIRED,
    });
    const page = await greeted(h);
    await pair(page, h.createJoinToken().token);
    await page.nextOf('ready');
    const link = h.createJoinToken();
    expect(await claim(page, link.token)).toMatchObject({ type: 'error', code: ErrorCode.ALREADY_AUTHENTICATED });
    expect(h.isJoinTokenLive(link.token)).toBe(true);
  });
});
