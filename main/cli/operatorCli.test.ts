import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CloseCode, HUB_OPERATOR_ID } from '../../shared/protocol';
import { runOperatorCli } from './operatorCli';
import type { Hub } from '../hub/Hub';
import { DEFAULT_CONVERSATION_ID as GENERAL } from '../hub/registry/registrySchema';
import { pairRequest } from '../hub/testing/devicePairing';
import { TestClient } from '../hub/testing/TestClient';
import { pairLinkedDevice, pairNewUser, reconnect, startTestHub, type Device } from '../hub/testing/testHub';

let hub: Hub;
let dataDir: string;
let cleanup: () => Promise<void>;
let clients: TestClient[];

beforeEach(async () => {
  ({ hub, dataDir, cleanup } = await startTestHub());
  clients = [];
});

afterEach(async () => {
  for (const c of clients) await c.close();
  await cleanup();
});

async function user(name: string): Promise<Device> {
  const device = await pairNewUser(hub, name);
  clients.push(device.client);
  return device;
}

/** `npm run hub -- <argv>` against this hub's data directory, in this process. */
async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runOperatorCli(
    [...argv, '--data-dir', dataDir],
    { out: (l) => out.push(l), err: (l) => err.push(l) },
    {},
  );
  return { code, out: out.join('\n'), err: err.join('\n') };
}

async function say(device: Device, text: string, id: string): Promise<number> {
  const ack = await device.client.expect({ type: 'send', conversationId: GENERAL, clientMsgId: id, text }, 'ack');
  return ack.seq;
}

describe('operator controls', () => {
  it("the owner removes another user's device from the CLI and it is cut off at once", async () => {
    const ann = await user('Ann');
    const bob = await user('Bob');
    const bobPhone = await pairLinkedDevice(hub, bob.client, 'Bob phone');
    clients.push(bobPhone.client);

    const listed = await cli('devices');
    expect(listed.code).toBe(0);
    expect(listed.out).toContain(bobPhone.credentials.deviceId);

    const removed = await cli('remove-device', bobPhone.credentials.deviceId);
    expect(removed).toMatchObject({ code: 0 });
    expect(removed.out).toMatch(/Removed device "Bob phone" of "Bob"/);
    expect((await bobPhone.client.waitClosed()).code).toBe(CloseCode.DEVICE_REVOKED);
    await bob.client.nextOf('devices', (f) => f.devices.length === 1);

    const again = await reconnect(hub.port, bobPhone.credentials).catch((err: Error) => err.message);
    expect(again).toMatch(/AUTH_FAILED/);
    // The others are untouched.
    expect(await ann.client.expect({ type: 'ping' }, 'pong')).toBeTruthy();

    const unknown = await cli('remove-device', 'no-such-device');
    expect(unknown.code).toBe(1);
    expect(unknown.err).toMatch(/No device "no-such-device".*\(NOT_FOUND\)/);
  });

  it("a removed user's devices are refused and their old messages show as from a removed user", async () => {
    const ann = await user('Ann');
    const mal = await user('Mallory');
    const malPhone = await pairLinkedDevice(hub, mal.client, 'Mallory phone');
    clients.push(malPhone.client);
    const room = await ann.client.expect(
      { type: 'createGroup', name: 'Attic', memberUserIds: [mal.credentials.userId] },
      'conversation',
    );
    const seq = await say(mal, 'spam spam spam', 'mal-00000001');

    const result = await hub.operator.removeUser(mal.credentials.userId, 'desktop');
    expect(result.alreadyRemoved).toBe(false);
    for (const d of [mal, malPhone]) expect((await d.client.waitClosed()).code).toBe(CloseCode.DEVICE_REVOKED);

    const announced = await ann.client.nextOf(
      'user',
      (f) => f.user.id === mal.credentials.userId && f.user.removed === true,
    );
    expect(announced.user).toMatchObject({ removed: true, online: false, displayName: 'Mallory' });
    const attic = await ann.client.nextOf('conversation', (f) => f.conversation.id === room.conversation.id);
    expect(attic.conversation.memberUserIds).toEqual([ann.credentials.userId]);
    const general = await ann.client.nextOf(
      'conversation',
      (f) => f.conversation.id === GENERAL && !f.conversation.memberUserIds.includes(mal.credentials.userId),
    );
    expect(general.conversation.memberUserIds).toEqual([ann.credentials.userId]);

    for (const d of [mal, malPhone]) {
      const retry = await reconnect(hub.port, d.credentials).catch((err: Error) => err.message);
      expect(retry).toMatch(/AUTH_FAILED/);
    }
    // Their messages stay, and a new connection is told who sent them.
    await hub.stop();
    const restarted = await startTestHub({ dataDir });
    const back = await reconnect(restarted.hub.port, ann.credentials);
    const mallory = back.ready.users.find((u) => u.id === mal.credentials.userId);
    expect(mallory).toMatchObject({ removed: true, online: false });
    const page = await back.client.expect(
      { type: 'fetchMessages', conversationId: GENERAL, direction: 'forward', cursor: 0 },
      'messages',
    );
    expect(page.messages.find((m) => m.seq === seq)).toMatchObject({ senderUserId: mal.credentials.userId });
    // A removed user is no one to open a conversation with or add to a room.
    expect(await back.client.request({ type: 'openDirect', userId: mal.credentials.userId })).toMatchObject({
      type: 'error',
      code: 'NOT_FOUND',
    });
    expect((await restarted.hub.operator.removeUser(mal.credentials.userId, 'cli')).alreadyRemoved).toBe(true);
    await back.client.close();
    await restarted.hub.stop();
  });

  it('a removed user cannot pair back as the same user', async () => {
    await user('Ann');
    const mal = await user('Mallory');
    const link = await mal.client.expect({ type: 'createLinkCode' }, 'linkCode');
    expect((await cli('remove-user', mal.credentials.userId)).code).toBe(0);

    const newcomer = await TestClient.connect(hub.port);
    clients.push(newcomer);
    await newcomer.hello();
    const refused = await pairRequest(newcomer, {
      credential: { kind: 'linkCode', code: link.code },
      device: { name: 'Mallory tablet', platform: 'web' },
    });
    expect(refused).toMatchObject({ type: 'error', code: 'LINK_CODE_INVALID' });

    // Pairing anew makes a new user; the old one stays removed.
    const again = await user('Mallory');
    expect(again.credentials.userId).not.toBe(mal.credentials.userId);
    const users = hub.operator.users();
    expect(users.filter((u) => u.displayName === 'Mallory').map((u) => u.removedAt !== undefined)).toEqual([
      true,
      false,
    ]);
  });

  it('a deletion is pushed to every member like a message and later pages carry it', async () => {
    const ann = await user('Ann');
    const bob = await user('Bob');
    const seq = await say(bob, 'buy cheap pills', 'bob-00000001');
    await ann.client.nextOf('message', (f) => f.message.seq === seq);

    const done = await cli('delete-message', GENERAL, String(seq));
    expect(done.code).toBe(0);
    expect(done.out).toMatch(/Deleted the message from "Bob" in "General" for everyone/);
    for (const d of [ann, bob]) {
      const pushed = await d.client.nextOf('message', (f) => f.message.deletes === seq);
      expect(pushed.message).toMatchObject({ senderUserId: HUB_OPERATOR_ID, text: '', seq: seq + 1 });
    }
    const page = await ann.client.expect(
      { type: 'fetchMessages', conversationId: GENERAL, direction: 'forward', cursor: 0 },
      'messages',
    );
    expect(page.messages.map((m) => [m.seq, m.text, m.deleted ?? false, m.deletes])).toEqual([
      [seq, '', true, undefined],
      [seq + 1, '', false, seq],
    ]);
    expect((await cli('delete-message', GENERAL, String(seq + 1))).err).toMatch(/NOT_FOUND/);
    expect((await cli('delete-message', 'nowhere', '1')).err).toMatch(/No conversation "nowhere"/);
  });

  it('renames the hub and opens and closes pairing from the CLI', async () => {
    const ann = await user('Ann');
    expect((await cli('rename', 'The', 'Attic')).out).toBe('The hub is now called "The Attic".');
    expect(hub.info().name).toBe('The Attic');
    // Connected devices hear of it at once, without reconnecting.
    expect((await ann.client.nextOf('hubInfo')).hub).toEqual(hub.info());
    expect((await cli('rename', '\u202Eevil')).err).toMatch(/BAD_REQUEST/);
    expect((await cli('pairing', 'close')).out).toMatch(/closed/);
    expect(hub.pairingState().open).toBe(false);
    const opened = await cli('pairing', 'open', '3');
    expect(opened.out).toMatch(/Pairing is open until .*Code: \d{3} \d{3}/);
    const state = hub.pairingState();
    expect(state.open && state.closesAt - Date.now()).toBeLessThanOrEqual(3 * 60_000);
    expect((await cli('pairing', 'open', '61')).err).toMatch(/BAD_REQUEST/);
  });
});
