import { describe, expect, it } from 'vitest';
import { makeClient, startPaired, welcome } from './testing/clientHarness';

describe('RoostClient.claimJoinLink', () => {
  it("trades a join link's token for the hub's fresh one, then pairs with that", async () => {
    const h = makeClient();
    await h.client.start();
    const socket = h.transport.current;
    welcome(socket);
    const claiming = h.client.claimJoinLink('link-token');
    const sent = socket.last('claimJoinLink');
    expect(sent).toMatchObject({ token: 'link-token' });
    socket.deliver({ type: 'joinLinkClaimed', rid: sent.rid, token: 'fresh-token', expiresAt: 1234 });
    expect(await claiming).toEqual({ token: 'fresh-token', expiresAt: 1234 });
    expect(h.state().session).toEqual({ phase: 'unpaired', reason: 'notPaired' });
  });

  it("rejects with the hub's code when the link was already used", async () => {
    const h = makeClient();
    await h.client.start();
    const socket = h.transport.current;
    welcome(socket);
    const claiming = h.client.claimJoinLink('link-token');
    socket.deliver({
      type: 'error',
      rid: socket.last('claimJoinLink').rid,
      code: 'JOIN_TOKEN_USED',
      message: 'This join link was already used.',
      frameType: 'claimJoinLink',
    });
    await expect(claiming).rejects.toMatchObject({ name: 'RoostError', code: 'JOIN_TOKEN_USED' });
  });

  it('cannot claim before the hub answers, nor once paired', async () => {
    const offline = makeClient();
    await offline.client.start();
    await expect(offline.client.claimJoinLink('t')).rejects.toMatchObject({ code: 'NOT_CONNECTED' });
    const paired = makeClient();
    const socket = await startPaired(paired);
    await expect(paired.client.claimJoinLink('t')).rejects.toMatchObject({ code: 'ALREADY_PAIRED' });
    expect(socket.sentOf('claimJoinLink')).toEqual([]);
  });
});
