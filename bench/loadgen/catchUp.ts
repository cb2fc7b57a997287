import { LIMITS } from '../../shared/protocol';
import type { Credentials } from '../ipc/messages';
import { nowMicros } from './clock';
import { RoostClient } from './RoostClient';

type Page = { type: string; messages?: Array<{ seq: number }>; hasMore?: boolean };

/**
 * A device that missed `missed` messages comes back: auth, then forward
 * pages of the largest size the protocol allows, one request at a time, as
 * PROTOCOL.md 8.4 describes. Every page is parsed and checked for gaps, as a
 * client must. Timed from sending `auth` to the last page parsed.
 */
export async function runCatchUp(port: number, device: Credentials, conversationId: string, missed: number) {
  // Learn lastSeq first, on a connection of its own, so the timed run starts cold at auth.
  const probe = await RoostClient.authenticated({ port }, device);
  const conv = (probe.ready.conversations as Array<{ id: string; lastSeq: number }>).find(
    (c) => c.id === conversationId,
  );
  probe.client.close();
  if (!conv) throw new Error(`device is not a member of ${conversationId}`);
  const cursor0 = conv.lastSeq - missed;
  if (cursor0 < 0) throw new Error(`conversation has only ${conv.lastSeq} messages, cannot miss ${missed}`);

  const client = await RoostClient.connect({ port });
  // Signed before the clock starts: the device's signing is the client's cost; the hub's check is timed.
  const auth = await client.authFrame(device);
  const t0 = nowMicros();
  await client.expect(auth, 'ready');
  let cursor = cursor0;
  let pages = 0;
  for (;;) {
    const page = (await client.request({
      type: 'fetchMessages',
      conversationId,
      direction: 'forward',
      cursor,
      limit: LIMITS.maxPageSize,
    })) as Page;
    if (page.type !== 'messages' || !page.messages)
      throw new Error(`fetchMessages failed: ${JSON.stringify(page).slice(0, 300)}`);
    pages += 1;
    for (const m of page.messages) {
      if (m.seq !== cursor + 1) throw new Error(`gap in catch-up: expected seq ${cursor + 1}, got ${m.seq}`);
      cursor = m.seq;
    }
    if (!page.hasMore) break;
  }
  const ms = (nowMicros() - t0) / 1000;
  client.close();
  return { ms, messages: cursor - cursor0, pages };
}
