import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import type { MessageWire } from '../../shared/protocol';
import { rawDataText } from '../hub/rawData';
import { DEFAULT_CONVERSATION_ID as GENERAL } from '../hub/registry/registrySchema';
import type { Credentials, TestClient } from '../hub/testing/TestClient';
import { makeTempDir, pairLinkedDevice, pairNewUser, reconnect, startTestHub } from '../hub/testing/testHub';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const children: ChildProcess[] = [];
afterAll(() => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
});

/** Starts `npm run hub`'s entry point as its own process and resolves with its port. */
async function spawnHub(dataDir: string): Promise<{ child: ChildProcess; port: number }> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'main/cli/hub.ts', '--port', '0', '--host', '127.0.0.1', '--data-dir', dataDir, '--no-mdns'],
    {
      cwd: root,
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  children.push(child);
  let out = '';
  const port = await new Promise<number>((resolve, reject) => {
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /Listening on port (\d+)/.exec(out);
      if (m) resolve(Number(m[1]));
    });
    child.once('exit', (code) => reject(new Error(`hub exited early (${code}): ${out}`)));
  });
  return { child, port };
}

/** Sends continuously with a window of unacknowledged messages, recording every ack. */
function sendLoop(
  client: TestClient,
  name: string,
  acked: Map<string, number>,
  sent: Set<string>,
  onAck: () => void,
): Promise<void> {
  let i = 0;
  return new Promise((resolve) => {
    const inFlight = new Set<string>();
    const pump = () => {
      while (inFlight.size < 16 && client.ws.readyState === client.ws.OPEN) {
        const id = `${name}-${String(i++).padStart(6, '0')}`;
        inFlight.add(id);
        sent.add(id);
        client.sendFrame({ type: 'send', conversationId: GENERAL, clientMsgId: id, text: `${name} says ${i}` });
      }
    };
    client.ws.on('message', (data) => {
      const frame = JSON.parse(rawDataText(data)) as { type: string; clientMsgId?: string; seq?: number };
      if (frame.type !== 'ack' || !frame.clientMsgId) return;
      acked.set(frame.clientMsgId, frame.seq!);
      inFlight.delete(frame.clientMsgId);
      onAck();
      pump();
    });
    client.ws.on('close', () => resolve());
    pump();
  });
}

async function fetchAll(client: TestClient): Promise<MessageWire[]> {
  const all: MessageWire[] = [];
  for (let cursor = 0, more = true; more;) {
    const page = await client.expect(
      { type: 'fetchMessages', conversationId: GENERAL, direction: 'forward', cursor, limit: 500 },
      'messages',
    );
    all.push(...page.messages);
    cursor = page.messages.at(-1)?.seq ?? cursor;
    more = page.hasMore;
  }
  return all;
}

describe('durability across a hub crash', () => {
  it('keeps every acknowledged message exactly once after SIGKILL while devices are sending', async () => {
    const temp = await makeTempDir('roost-crash-');
    // Pair the devices on an in-process hub, then hand the data directory to a real hub process.
    const setup = await startTestHub({ dataDir: temp.dir });
    const alice = await pairNewUser(setup.hub, 'Alice');
    const alice2 = await pairLinkedDevice(setup.hub, alice.client, 'Alice phone');
    const bob = await pairNewUser(setup.hub, 'Bob');
    const creds: Credentials[] = [alice.credentials, alice2.credentials, bob.credentials];
    for (const d of [alice, alice2, bob]) await d.client.close();
    await setup.hub.stop();

    const { child, port } = await spawnHub(temp.dir);
    const acked = new Map<string, number>();
    const sent = new Set<string>();
    const devices = await Promise.all(creds.map((c) => reconnect(port, c)));
    // Kill it mid-stream, as soon as plenty has been acknowledged.
    let killed = false;
    const killAfterAcks = () => {
      if (killed || acked.size < 600) return;
      killed = true;
      child.kill('SIGKILL');
    };
    const loops = devices.map((d, i) => sendLoop(d.client, `dev${i}`, acked, sent, killAfterAcks));
    await once(child, 'exit');
    await Promise.all(loops);
    expect(killed).toBe(true);

    const restarted = await startTestHub({ dataDir: temp.dir });
    try {
      const reader = await reconnect(restarted.hub.port, bob.credentials);
      const stored = await fetchAll(reader.client);
      const seen = new Map<string, number>();
      for (const m of stored) seen.set(m.clientMsgId, (seen.get(m.clientMsgId) ?? 0) + 1);
      expect(stored.map((m) => m.seq)).toEqual(stored.map((_, i) => i + 1));
      for (const [id, seq] of acked) {
        expect(seen.get(id), `acknowledged ${id} must be stored once`).toBe(1);
        expect(stored[seq - 1]?.clientMsgId).toBe(id);
      }
      expect([...seen.values()].every((count) => count === 1)).toBe(true);

      // Devices resend whatever they never got an ack for (and a few they did); each lands once.
      // dev0 and dev1 are Alice's devices, dev2 is Bob's: the hub dedupes per sending user.
      const writer = await reconnect(restarted.hub.port, alice.credentials);
      const unacked = [...sent].filter((id) => !acked.has(id));
      for (const id of [...unacked, ...[...acked.keys()].slice(0, 5)]) {
        const from = id.startsWith('dev2-') ? reader : writer;
        await from.client.expect({ type: 'send', conversationId: GENERAL, clientMsgId: id, text: 'resend' }, 'ack');
      }
      const after = await fetchAll(reader.client);
      const ids = after.map((m) => m.clientMsgId);
      expect(new Set(ids).size).toBe(ids.length);
      expect(new Set(ids)).toEqual(sent);
      await writer.client.close();
      await reader.client.close();
    } finally {
      await restarted.hub.stop();
      await temp.remove();
    }
  });
});
