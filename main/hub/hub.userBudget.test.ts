import { describe, expect, it } from 'vitest';
import { CloseCode } from '../../shared/protocol';
import { DEFAULT_CONVERSATION_ID as GENERAL } from './registry/registrySchema';
import { cleanupsAfterEach } from './testing/cleanups';
import type { TestClient } from './testing/TestClient';
import { pairLinkedDevice, pairNewUser, startTestHub } from './testing/testHub';

/** A frame and CPU budget per user, across all their devices (issue 13, "Caps per paired user"). */

const cleanups = cleanupsAfterEach();

async function hub(options: Parameters<typeof startTestHub>[0] = {}) {
  const started = await startTestHub(options);
  cleanups.push(started.cleanup);
  return started;
}

/** Sends `count` pings and resolves once each is answered or the connection closed. */
async function pings(client: TestClient, count: number, pad = ''): Promise<number> {
  for (let i = 0; i < count; i++) client.sendFrame(pad ? { type: 'ping', pad } : { type: 'ping' });
  while (!client.closed && client.all('pong').length < count) {
    await client.nextOf('pong').catch(() => {});
  }
  return client.all('pong').length;
}

describe('budget per user', () => {
  it("a user's devices share one frame budget: the one overdrawing it is closed, another user is served", async () => {
    const burst = 60;
    // Almost no refill: the counts below are the burst's.
    const { hub: h } = await hub({ budgets: { perUser: { perSecond: 0.01, burst } } });
    const laptop = await pairNewUser(h, 'Alice');
    const phone = await pairLinkedDevice(h, laptop.client, 'phone');
    const bob = await pairNewUser(h, 'Bob');
    for (const device of [laptop, phone, bob]) cleanups.push(() => device.client.ws.terminate());

    const answered = (await Promise.all([pings(laptop.client, 40), pings(phone.client, 40)])).reduce((a, b) => a + b);
    // One device alone would have had all 40 answered: together they spend one budget (createLinkCode took a token).
    expect(answered).toBeLessThanOrEqual(burst - 1);
    const closed = [laptop.client.closed, phone.client.closed].filter((c) => c !== undefined);
    expect(closed.length).toBeGreaterThan(0);
    for (const c of closed) {
      expect(c.code).toBe(CloseCode.RATE_LIMITED);
      expect(c.reason).toMatch(/too many frames from this user's devices; wait \d+ s/);
    }
    expect(await pings(bob.client, 40)).toBe(40);
  });

  it('large frames spend it faster than small ones', async () => {
    const { hub: h } = await hub({ budgets: { perUser: { perSecond: 0.01, burst: 60 }, bytesPerToken: 4096 } });
    const alice = await pairNewUser(h, 'Alice');
    cleanups.push(() => alice.client.ws.terminate());
    // About 16 KB each: 1 token plus 3 for the bytes.
    const answered = await pings(alice.client, 30, 'x'.repeat(16_000));
    expect(answered).toBe(15);
    expect(alice.client.closed?.code).toBe(CloseCode.RATE_LIMITED);
  });

  it('a member re-fetching the largest page is throttled by the bytes it is sent', async () => {
    const burst = 200;
    const answerBytesPerToken = 4096;
    // Almost no refill: what Mallory receives is bounded by the burst.
    const { hub: h } = await hub({ budgets: { perUser: { perSecond: 0.01, burst }, answerBytesPerToken } });
    const bob = await pairNewUser(h, 'Bob');
    const mal = await pairNewUser(h, 'Mallory');
    for (const device of [bob, mal]) cleanups.push(() => device.client.ws.terminate());
    // Ten messages of 4000 emoji: a page of about 160 KB for one small frame.
    for (let i = 0; i < 10; i++)
      await bob.client.expect(
        { type: 'send', conversationId: GENERAL, clientMsgId: `big-${i}-xxxxxxxx`, text: '😀'.repeat(4000) },
        'ack',
      );
    let received = 0;
    mal.client.ws.on('message', (data: Buffer) => (received += data.length));
    const fetch = { type: 'fetchMessages', conversationId: GENERAL, direction: 'backward', cursor: 1e6, limit: 500 };
    // Rounds of ten at once, so some wait behind others: 100 pages (16 MB) unless the hub stops her.
    let pages = 0;
    for (let round = 0; round < 10 && !mal.client.closed; round++) {
      for (let i = 0; i < 10; i++) mal.client.sendFrame(fetch);
      pages += 10;
      while (!mal.client.closed && mal.client.all('messages').length < pages)
        await mal.client.nextOf('messages').catch(() => {});
    }
    const closed = mal.client.closed ?? (await Promise.race([mal.client.waitClosed(), Promise.resolve(undefined)]));
    expect(closed?.code).toBe(CloseCode.RATE_LIMITED);
    expect(closed?.reason).toMatch(/too much fetched by this user's devices; wait \d+ s/);
    // What the budget allows, and the one page that ran it into debt.
    const page = Math.max(...mal.client.all('messages').map((m) => JSON.stringify(m).length));
    expect(mal.client.all('messages').length).toBeGreaterThan(0);
    expect(received).toBeLessThanOrEqual(burst * answerBytesPerToken + 2 * page);

    // Bob, another user, is served: the same page, and a ping.
    const own = await bob.client.expect(fetch as never, 'messages');
    expect(own.messages).toHaveLength(10);
    await bob.client.expect({ type: 'ping' }, 'pong');
  });
});
