import { readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ErrorCode } from '../../shared/protocol';
import { Hub } from './Hub';
import type { HubLogger } from './HubContext';
import { openSegmentDescriptors } from './log/testSupport';
import { DEFAULT_CONVERSATION_ID as GENERAL } from './registry/registrySchema';
import { cleanupsAfterEach } from './testing/cleanups';
import { makeTempDir } from './testing/tempDir';
import { pairNewUser, reconnect, startTestHub, type Device } from './testing/testHub';

/** Issue 13: a storage budget per user, segment files closed when idle, storage corruption handled one way. */

const cleanups = cleanupsAfterEach();
let counter = 0;
const mid = () => `msg-${Date.now()}-${counter++}`;

function recordingLogger(): HubLogger & { errors: string[] } {
  const errors: string[] = [];
  return { errors, info: () => {}, warn: () => {}, error: (m) => errors.push(m) };
}

async function hub(options: Parameters<typeof startTestHub>[0] = {}) {
  const started = await startTestHub(options);
  cleanups.push(started.cleanup);
  /** Stops the hub but keeps its data directory (until the test ends), for a restart on it. */
  return { ...started, stop: () => started.hub.stop() };
}

function connected(device: Device): Device {
  cleanups.push(() => device.client.close());
  return device;
}

const send = (device: Device, conversationId: string, text = 'hello') =>
  device.client.request({ type: 'send', conversationId, clientMsgId: mid(), text });

describe('storage budget per user', () => {
  it('refuses a send past the budget with STORAGE_QUOTA_EXCEEDED, saying how much; others still send', async () => {
    const { hub: h } = await hub({ log: { maxBytesPerUser: 8000 } });
    const alice = connected(await pairNewUser(h, 'Alice'));
    const bob = connected(await pairNewUser(h, 'Bob'));
    let refused;
    for (let i = 0; i < 20 && !refused; i++) {
      const answer = await send(alice, GENERAL, 'x'.repeat(1000));
      if (answer.type === 'error') refused = answer;
      else expect(answer.type).toBe('ack');
    }
    expect(refused).toMatchObject({ code: ErrorCode.STORAGE_QUOTA_EXCEEDED, frameType: 'send' });
    expect(refused!.message).toMatch(/take \d+(\.\d)? MiB on this hub, and one person may store 0\.1 MiB/);
    expect(refused!.message).toContain("the hub's owner can raise the limit");
    expect(await send(bob, GENERAL)).toMatchObject({ type: 'ack' });
  });
});

describe('segment files held open', () => {
  it.runIf(process.platform === 'linux')(
    'one device creating many rooms does not exhaust descriptors: sends keep working',
    async () => {
      // 40 rooms from one user: past the hourly cap on rooms, which this test is not about.
      const { hub: h, dataDir } = await hub({ log: { maxOpenSegments: 4 }, rooms: { roomsPerHour: 40 } });
      const alice = connected(await pairNewUser(h, 'Alice'));
      const rooms: string[] = [];
      for (let i = 0; i < 40; i++) {
        const created = await alice.client.expect(
          { type: 'createGroup', name: `room ${i}`, memberUserIds: [] },
          'conversation',
        );
        rooms.push(created.conversation.id);
        expect(await send(alice, created.conversation.id)).toMatchObject({ type: 'ack', seq: 1 });
      }
      expect(openSegmentDescriptors(dataDir)).toBeLessThanOrEqual(4);
      const again = await Promise.all(rooms.map((id) => send(alice, id)));
      expect(again.map((a) => a.type === 'ack' && a.seq)).toEqual(rooms.map(() => 2));
      expect(openSegmentDescriptors(dataDir)).toBeLessThanOrEqual(4);
    },
  );
});

describe('storage corruption refuses only the conversation it is in', () => {
  /** A hub with three messages in general and one in a group, stopped; its directory stays for a restart. */
  async function hubWithHistory() {
    const first = await hub();
    const alice = await pairNewUser(first.hub, 'Alice');
    const group = await alice.client.expect({ type: 'createGroup', name: 'Den', memberUserIds: [] }, 'conversation');
    for (let i = 0; i < 3; i++) await send(alice, GENERAL);
    await send(alice, group.conversation.id);
    await alice.client.expect({ type: 'markRead', conversationId: GENERAL, seq: 3 }, 'ok');
    await alice.client.close();
    await first.stop();
    const generalDir = path.join(first.dataDir, 'messages', GENERAL);
    return { dataDir: first.dataDir, generalDir, credentials: alice.credentials, groupId: group.conversation.id };
  }

  async function expectGeneralRefused(dataDir: string, credentials: Device['credentials'], groupId: string) {
    const logger = recordingLogger();
    const { hub: h } = await hub({ dataDir, logger });
    const alice = connected(await reconnect(h.port, credentials));
    // Devices keep what they hold: the hub does not claim the conversation is empty.
    expect(alice.ready.conversations.find((c) => c.id === GENERAL)?.lastSeq).toBe(3);
    expect(await send(alice, GENERAL)).toMatchObject({ type: 'error', code: ErrorCode.STORAGE_CORRUPT });
    expect(
      await alice.client.request({ type: 'fetchMessages', conversationId: GENERAL, direction: 'forward', cursor: 0 }),
    ).toMatchObject({ type: 'error', code: ErrorCode.STORAGE_CORRUPT });
    expect(await send(alice, groupId)).toMatchObject({ type: 'ack', seq: 2 });
    return logger.errors.join('\n');
  }

  it('a deleted segment file: refused, named in the log, never numbered again from 1', async () => {
    const { dataDir, generalDir, credentials, groupId } = await hubWithHistory();
    const segment = path.join(generalDir, '000000000001.jsonl');
    await rm(segment);
    const log = await expectGeneralRefused(dataDir, credentials, groupId);
    expect(log).toContain(`${segment} at byte 0: missing`);
    expect(log).toContain('Restore');
  });

  it('a conversation folder gone while the registry has receipts in it: refused, not started over', async () => {
    const { dataDir, generalDir, credentials, groupId } = await hubWithHistory();
    await rm(generalDir, { recursive: true });
    await rm(path.join(dataDir, 'messages', 'usage.json'));
    const log = await expectGeneralRefused(dataDir, credentials, groupId);
    expect(log).toContain('registry.json has receipts up to seq 3');
  });

  it('a bad line inside the last segment: the hub starts, and only that conversation is refused', async () => {
    const { dataDir, generalDir, credentials, groupId } = await hubWithHistory();
    const segment = path.join(generalDir, '000000000001.jsonl');
    const lines = (await readFile(segment, 'utf8')).split('\n');
    lines[1] = '#'.repeat(lines[1]!.length);
    await writeFile(segment, lines.join('\n'));
    const log = await expectGeneralRefused(dataDir, credentials, groupId);
    expect(log).toContain(`truncate -s ${Buffer.byteLength(lines[0]!) + 1} ${segment}`);
  });

  it('damage in an older segment, found by a read: STORAGE_CORRUPT, and the file named in the log', async () => {
    const logger = recordingLogger();
    const options = { logger, log: { segmentBytes: 600 } };
    const first = await hub(options);
    const alice = await pairNewUser(first.hub, 'Alice');
    for (let i = 0; i < 12; i++) await send(alice, GENERAL);
    await alice.client.close();
    await first.stop();
    const segment = path.join(first.dataDir, 'messages', GENERAL, '000000000001.jsonl');
    const lines = (await readFile(segment, 'utf8')).split('\n');
    lines[1] = '#'.repeat(lines[1]!.length);
    await writeFile(segment, lines.join('\n'));

    const { hub: h } = await hub({ ...options, dataDir: first.dataDir });
    const again = connected(await reconnect(h.port, alice.credentials));
    const fetch = (cursor: number) =>
      again.client.request({ type: 'fetchMessages', conversationId: GENERAL, direction: 'forward', cursor, limit: 2 });
    expect(await fetch(0)).toMatchObject({ type: 'error', code: ErrorCode.STORAGE_CORRUPT });
    expect(logger.errors.join('\n')).toContain(`${segment} at byte`);
    expect(await fetch(10)).toMatchObject({ type: 'messages' });
    // The damage is among the newest messages a resend is checked against: sends are refused the same way.
    expect(await send(again, GENERAL)).toMatchObject({ type: 'error', code: ErrorCode.STORAGE_CORRUPT });
  });

  it('a registry.json holding null: the hub does not start, names the file, and leaves it as it was', async () => {
    const temp = await makeTempDir();
    cleanups.push(temp.remove);
    const file = path.join(temp.dir, 'registry.json');
    await writeFile(file, 'null');
    const refused = await Hub.start({ dataDir: temp.dir, port: 0, host: '127.0.0.1', logger: recordingLogger() }).catch(
      (err: unknown) => err,
    );
    expect(refused).toMatchObject({ code: 'REGISTRY_INVALID' });
    expect((refused as Error).message).toContain(`${file} holds null, not a registry`);
    expect(await readFile(file, 'utf8')).toBe('null');
    // The lock was released: the next try fails on the file again, not on a lock.
    await expect(Hub.start({ dataDir: temp.dir, port: 0, logger: recordingLogger() })).rejects.toMatchObject({
      code: 'REGISTRY_INVALID',
    });
  });
});
