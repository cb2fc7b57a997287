import { describe, expect, it } from 'vitest';
import { ALICE_CREDENTIALS, CHALLENGE, makeClient, startPaired, welcome } from './testing/clientHarness';
import { flushMicrotasks } from './testing/FakeClock';
import { HUB, ready } from './testing/fixtures';
import { CACHE_SCHEMA_VERSION } from './storage';

/** What a client signs for, and for whom it refuses to (PROTOCOL.md 6.6, appendix D). */
const OTHER_IDENTITY = 'B'.repeat(52);
const OTHER_HUB = { ...HUB, identity: OTHER_IDENTITY };

describe('the hub identity a client signs for', () => {
  it('refuses a hub that names another identity than it paired with: no auth, credentials kept', async () => {
    const h = makeClient();
    await h.storage.saveCredentials({ ...ALICE_CREDENTIALS, hubIdentity: HUB.identity });
    await h.client.start();
    const socket = h.transport.current;
    welcome(socket, OTHER_HUB);
    await flushMicrotasks();

    expect(h.state().session).toEqual({ phase: 'identityRefused', reason: 'HUB_IDENTITY_CHANGED' });
    expect(socket.sentOf('auth')).toEqual([]);
    expect(await h.storage.loadCredentials()).toMatchObject({ deviceId: ALICE_CREDENTIALS.deviceId });
    expect(h.transport.sockets).toHaveLength(1);
  });

  it('refuses a welcome naming another identity than the transport proved in TLS, before pairing or auth', async () => {
    const h = makeClient();
    await h.client.start();
    const socket = h.transport.current;
    socket.open(OTHER_IDENTITY);
    socket.deliver({ type: 'welcome', hub: HUB, serverTime: 1, challenge: CHALLENGE });
    await flushMicrotasks();

    expect(h.state().session).toEqual({ phase: 'identityRefused', reason: 'HUB_IDENTITY_UNPROVEN' });
    expect(socket.sent.map((f) => f.type)).toEqual(['hello']);
  });

  it('after the person agrees, forgets the account and key and connects again to pair anew', async () => {
    const h = makeClient();
    await h.storage.saveCredentials({ ...ALICE_CREDENTIALS, hubIdentity: HUB.identity });
    await startPaired(h);
    const before = (await h.storage.deviceKeys.load()).publicKey;
    await h.client.stop();
    await h.client.start();
    const socket = h.transport.current;
    welcome(socket, OTHER_HUB);
    await flushMicrotasks();
    expect(h.state().session.phase).toBe('identityRefused');

    await h.client.pairAgain();
    expect(await h.storage.loadCredentials()).toBeUndefined();
    expect((await h.storage.deviceKeys.load()).publicKey).not.toBe(before);
    const again = h.transport.current;
    expect(again).not.toBe(socket);
    welcome(again, OTHER_HUB);
    await flushMicrotasks();
    expect(h.state().session).toEqual({ phase: 'unpaired', reason: 'notPaired' });
    expect(again.sentOf('auth')).toEqual([]);
  });
});

describe('a device paired under protocol 1, before it binds its key', () => {
  it('sends its token to no hub naming another identity than its cache last saw', async () => {
    const h = makeClient();
    await h.storage.saveCredentials({ ...ALICE_CREDENTIALS, token: 'protocol-1-token' });
    const r = ready();
    await h.storage.saveSnapshot({
      schemaVersion: CACHE_SCHEMA_VERSION,
      hub: HUB,
      self: r.self,
      users: r.users,
      devices: r.devices,
      conversations: r.conversations,
    });
    await h.client.start();
    const socket = h.transport.current;
    welcome(socket, OTHER_HUB);
    await flushMicrotasks();

    expect(h.state().session).toEqual({ phase: 'identityRefused', reason: 'HUB_IDENTITY_CHANGED' });
    expect(socket.sentText.join('\n')).not.toContain('protocol-1-token');
    expect(await h.storage.loadCredentials()).toMatchObject({ token: 'protocol-1-token' });
  });
});

describe('pairing by code with a hub that cannot know the code', () => {
  it('stops at a share that is not a point: PAIRING_CODE_INVALID and no pakeFinish, as for a wrong code', async () => {
    const h = makeClient();
    await h.client.start();
    const socket = h.transport.current;
    welcome(socket);
    await flushMicrotasks();
    const pairing = h.client.pair({ kind: 'code', code: '123456', displayName: 'Ann' });
    await flushMicrotasks();
    const start = socket.last('pakeStart');
    socket.deliver({ type: 'pakeReply', rid: start.rid, share: 'A'.repeat(87), confirm: 'A'.repeat(43) });

    await expect(pairing).rejects.toMatchObject({ code: 'PAIRING_CODE_INVALID' });
    expect(socket.sentOf('pakeFinish')).toEqual([]);
  });

  it('sends nothing for a link code no hub could have made', async () => {
    const h = makeClient();
    await h.client.start();
    const socket = h.transport.current;
    welcome(socket);
    await flushMicrotasks();

    await expect(h.client.pair({ kind: 'linkCode', code: 'é' })).rejects.toMatchObject({ code: 'LINK_CODE_INVALID' });
    expect(socket.sent.map((f) => f.type)).toEqual(['hello']);
  });
});
