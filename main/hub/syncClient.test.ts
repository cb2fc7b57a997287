import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { MessageWire } from '../../shared/protocol';
import { MemoryStorage } from '../../shared/sync/MemoryStorage';
import type { RoostState } from '../../shared/sync/clientState';
import type { Transport } from '../../shared/sync/transport';
import type { Hub } from './Hub';
import { DEFAULT_CONVERSATION_ID as GENERAL } from './registry/registrySchema';
import { isReady, makeSyncDevice, waitFor, type SyncDevice } from './testing/syncDevices';
import { startTestHub } from './testing/testHub';
import { wsTransport } from './testing/wsTransport';

/**
 * The sync client (shared/sync) against a real hub over real WebSockets: two
 * users, three devices. Every wait is on a state change the client emits;
 * nothing sleeps.
 */

type Device = SyncDevice;

let hub: Hub;
let dataDir: string;
let cleanups: Array<() => Promise<void>> = [];
let devices: Device[] = [];
let a1: Device;
let a2: Device;
let b: Device;

/** A sync client of the test's hub (`port` is its port), stopped after the test. */
function makeDevice(
  port: number,
  name: string,
  options: { storage?: MemoryStorage; pageSize?: number; transport?: Transport } = {},
): Device {
  const device = makeSyncDevice(hub, name, { transport: wsTransport(port), ...options });
  devices.push(device);
  return device;
}

/**
 * Holds back `messages` frames (catch-up pages) until released, so live
 * pushes overtake them: what a slow log read on the hub would do.
 */
function holdingPages(inner: Transport): { transport: Transport; release(): void } {
  let holding = true;
  const held: Array<() => void> = [];
  const transport: Transport = {
    connect: (events) =>
      inner.connect({
        ...events,
        message: (text) => {
          if (holding && text.includes('"type":"messages"')) held.push(() => events.message(text));
          else events.message(text);
        },
      }),
  };
  return {
    transport,
    release: () => {
      holding = false;
      for (const deliver of held.splice(0)) deliver();
    },
  };
}

async function pairWithCode(name: string): Promise<Device> {
  const device = makeDevice(hub.port, `${name}'s laptop`);
  await device.client.start();
  await waitFor(device, (s) => s.status === 'connected' && s.session.phase === 'unpaired', `${name} greeted`);
  await device.client.pair({ kind: 'code', code: hub.pairingCode().code, displayName: name });
  await waitFor(device, isReady, `${name} ready`);
  return device;
}

async function pairLinked(existing: Device, deviceName: string): Promise<Device> {
  const { code } = await existing.client.createLinkCode();
  const device = makeDevice(hub.port, deviceName);
  await device.client.start();
  await waitFor(device, (s) => s.status === 'connected' && s.session.phase === 'unpaired', `${deviceName} greeted`);
  await device.client.pair({ kind: 'linkCode', code });
  await waitFor(device, isReady, `${deviceName} ready`);
  return device;
}

const messagesIn = (device: Device, id = GENERAL): readonly MessageWire[] =>
  device.state().conversations[id]?.timeline.messages ?? [];

/** Every message once, in seq order. */
function expectCleanTimeline(messages: readonly MessageWire[]): void {
  const seqs = messages.map((m) => m.seq);
  expect(seqs).toEqual([...seqs].sort((x, y) => x - y));
  expect(new Set(seqs).size).toBe(seqs.length);
  expect(new Set(messages.map((m) => `${m.senderDeviceId}/${m.clientMsgId}`)).size).toBe(messages.length);
}

beforeEach(async () => {
  const started = await startTestHub();
  hub = started.hub;
  dataDir = started.dataDir;
  cleanups = [started.cleanup];
  devices = [];
  a1 = await pairWithCode('Alice');
  b = await pairWithCode('Bob');
  a2 = await pairLinked(a1, "Alice's phone");
});

afterEach(async () => {
  for (const d of devices) await d.client.stop();
  // Newest first: a restarted hub stops before the first one's cleanup removes the data directory.
  for (const cleanup of cleanups.reverse()) await cleanup();
});

describe('sync client against a real hub', () => {
  it('pairs with the code and a link code: two users, three devices, one shared room', async () => {
    const aliceId = a1.state().self!.userId;
    expect(a2.state().self!.userId).toBe(aliceId);
    expect(a2.state().self!.deviceId).not.toBe(a1.state().self!.deviceId);
    expect(b.state().self!.userId).not.toBe(aliceId);
    expect(await a1.storage.loadCredentials()).toMatchObject({ hubId: hub.info().id, userId: aliceId });

    const names = (d: Device) =>
      Object.values(d.state().users)
        .map((u) => u.displayName)
        .sort();
    await waitFor(a1, (s) => Object.keys(s.users).length === 2, 'Alice to learn about Bob');
    for (const d of [a1, a2, b]) {
      expect(names(d)).toEqual(['Alice', 'Bob']);
      expect(Object.keys(d.state().conversations)).toEqual([GENERAL]);
    }
    await waitFor(a1, (s) => s.devices.length === 2 && s.devices.every((d) => d.online), "Alice's two devices online");
    expect(devices.every((d) => d.warnings.length === 0)).toBe(true);
  });

  it('delivers a live message from A1 to A2 and B once, and syncs reads and unread counts', async () => {
    await a1.client.send(GENERAL, 'hello from the laptop');
    await waitFor(a1, (s) => s.pendingCount === 0 && messagesIn(a1).length === 1, 'A1 ack');
    const [sent] = messagesIn(a1);
    expect(sent).toMatchObject({ seq: 1, text: 'hello from the laptop', senderUserId: a1.state().self!.userId });
    for (const d of [a2, b]) {
      await waitFor(d, () => messagesIn(d).length === 1, 'the message');
      expect(messagesIn(d)).toEqual([sent]);
    }
    // Alice sent it: unread for Bob, not for Alice's phone.
    expect(b.state().conversations[GENERAL]!.unreadCount).toBe(1);
    expect(a2.state().conversations[GENERAL]!.unreadCount).toBe(0);

    b.client.markRead(GENERAL);
    const bobId = b.state().self!.userId;
    await waitFor(a1, (s) => s.conversations[GENERAL]?.receipts[bobId]?.readSeq === 1, "Bob's read receipt on A1");
    await waitFor(
      a1,
      (s) => (s.conversations[GENERAL]?.receipts[bobId]?.deliveredSeq ?? 0) >= 1,
      "Bob's delivery receipt on A1",
    );

    // A reply read on one of Alice's devices clears it on the other.
    await b.client.send(GENERAL, 'hi Alice');
    await waitFor(a1, (s) => s.conversations[GENERAL]?.unreadCount === 1, 'unread on A1');
    await waitFor(a2, (s) => s.conversations[GENERAL]?.unreadCount === 1, 'unread on A2');
    a2.client.markRead(GENERAL);
    await waitFor(a1, (s) => s.conversations[GENERAL]?.unreadCount === 0, 'A1 cleared by the read on A2');
  });

  it('catches up 50 messages missed while offline, in order, exactly once, while new ones arrive live', async () => {
    await waitFor(b, (s) => s.conversations[GENERAL] !== undefined, 'general on B');
    await a1.client.send(GENERAL, 'before B goes offline');
    await waitFor(b, () => messagesIn(b).length === 1, 'first message on B');
    await b.client.stop();

    for (let i = 1; i <= 50; i++) await a1.client.send(GENERAL, `missed ${i}`);
    await waitFor(a1, (s) => s.pendingCount === 0 && s.conversations[GENERAL]!.timeline.cursor === 51, 'all 50 acked');

    // A new client on B's storage (pages of 7, so catch-up takes several):
    // the cached history shows before the hub answers.
    const pages = holdingPages(wsTransport(hub.port));
    const back = makeDevice(hub.port, "Bob's laptop", { storage: b.storage, pageSize: 7, transport: pages.transport });
    const seen: RoostState[] = [];
    back.client.subscribe(() => seen.push(back.state()));
    await back.client.start();
    expect(back.state().session.phase).toBe('paired');
    expect(messagesIn(back).map((m) => m.text)).toEqual(['before B goes offline']);

    // Alice keeps writing while B's first page is held back: the live messages wait in B's buffer.
    await waitFor(back, (s) => s.conversations[GENERAL]?.syncing, 'B to start catching up');
    for (let i = 1; i <= 10; i++) await a1.client.send(GENERAL, `live ${i}`);
    await waitFor(
      back,
      (s) => s.conversations[GENERAL]?.timeline.buffered.length === 10,
      'live messages buffered on B',
    );
    expect(messagesIn(back)).toHaveLength(1);
    pages.release();

    await waitFor(
      back,
      (s) => s.conversations[GENERAL]!.timeline.cursor === 61 && !s.conversations[GENERAL]!.syncing,
      'B caught up',
    );
    const texts = messagesIn(back).map((m) => m.text);
    expect(texts).toEqual([
      'before B goes offline',
      ...Array.from({ length: 50 }, (_, i) => `missed ${i + 1}`),
      ...Array.from({ length: 10 }, (_, i) => `live ${i + 1}`),
    ]);
    expect(messagesIn(back).map((m) => m.seq)).toEqual(Array.from({ length: 61 }, (_, i) => i + 1));
    // No state on the way showed a duplicate or a message out of order.
    for (const s of seen) expectCleanTimeline(s.conversations[GENERAL]?.timeline.messages ?? []);
    expect(back.state().conversations[GENERAL]!.unreadCount).toBe(61);
    const bobId = back.state().self!.userId;
    await waitFor(
      a1,
      (s) => s.conversations[GENERAL]?.receipts[bobId]?.deliveredSeq === 61,
      'delivered mark for the catch-up',
    );
    expect(back.warnings).toEqual([]);
  });

  it('sends made while the hub is down arrive once each after it restarts on the same data dir and port', async () => {
    const port = hub.port;
    await hub.stop();
    await waitFor(a1, (s) => s.status === 'reconnecting', 'A1 to notice');
    const ids: string[] = [];
    for (const text of ['written offline 1', 'written offline 2', 'written offline 3'])
      ids.push(await a1.client.send(GENERAL, text));
    expect(a1.state().pendingCount).toBe(3);
    expect((await a1.storage.loadOutbox()).map((e) => e.clientMsgId).sort()).toEqual([...ids].sort());

    const restarted = await startTestHub({ dataDir, port });
    hub = restarted.hub;
    cleanups.push(restarted.cleanup);

    await waitFor(a1, (s) => s.status === 'connected' && s.pendingCount === 0, 'A1 to deliver its outbox');
    for (const d of [a1, a2, b]) {
      await waitFor(
        d,
        () => messagesIn(d).length === 3 && d.state().conversations[GENERAL]!.timeline.cursor === 3,
        'the three messages',
      );
      expect(messagesIn(d).map((m) => m.clientMsgId)).toEqual(ids);
      expectCleanTimeline(messagesIn(d));
    }
    expect(await a1.storage.loadOutbox()).toEqual([]);
  });

  it("answers requests by rid and rejects with the hub's error code", async () => {
    const bobId = b.state().self!.userId;
    const group = await a1.client.createGroup('Team', [bobId]);
    expect(group).toMatchObject({ kind: 'group', name: 'Team' });
    await waitFor(b, (s) => s.conversations[group.id], 'B to see the group');
    const direct = await a2.client.openDirect(bobId);
    expect(direct.kind).toBe('direct');
    await expect(a1.client.addMembers(GENERAL, [bobId])).rejects.toMatchObject({
      name: 'RoostError',
      code: 'FORBIDDEN',
    });
    await a1.client.renameDevice(a2.state().self!.deviceId, 'Pixel');
    await waitFor(a2, (s) => s.devices.some((d) => d.name === 'Pixel'), 'the new name on A2');

    await b.client.send(group.id, 'in the team room');
    await waitFor(a1, (s) => s.conversations[group.id]?.timeline.messages.length === 1, 'the group message on A1');
  });

  it('returns a revoked device to pairing and wipes what it stored', async () => {
    const phoneId = a2.state().self!.deviceId;
    await a1.client.removeDevice(phoneId);
    await waitFor(a2, (s) => s.session.phase === 'unpaired' && s.session.reason === 'revoked', 'A2 unpaired');
    expect(a2.state()).toMatchObject({ self: undefined, conversations: {}, pendingCount: 0 });
    await waitFor(a2, (s) => s.status === 'connected', 'A2 to reconnect, ready to pair again');
    await a2.client.stop();
    expect(await a2.storage.loadCredentials()).toBeUndefined();
    expect(await a2.storage.loadSnapshot()).toBeUndefined();
    await waitFor(a1, (s) => s.devices.length === 1, 'A1 to see one device left');
  });
});
