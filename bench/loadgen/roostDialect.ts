import { randomBytes } from 'node:crypto';
import { LIMITS } from '../../shared/protocol';
import { memoryDeviceKey } from '../../shared/sync/MemoryDeviceKeys';
import type { RoostSetup } from '../ipc/messages';
import { type Dialect, type Endpoint } from './Dialect';
import { RoostClient } from './RoostClient';

/**
 * The Roost hub as a client sees it. The sender pairs with a join token and
 * creates a group of every receiver's user through the protocol, before the
 * receivers connect; receivers are devices paired earlier and authenticate
 * by signing their connection's challenge with their keys. Sends are `send`
 * frames, answered by durable acks.
 */
export function roostDialect(endpoint: Endpoint, setup: RoostSetup): Dialect {
  return {
    async connectSender() {
      const client = await RoostClient.connect(endpoint);
      await client.expect(
        await client.pairFrame(setup.joinToken, memoryDeviceKey(), 'Bench sender', 'bench sender'),
        'paired',
      );
      const userIds = setup.receivers.map((r) => r.userId);
      const chunk = LIMITS.maxMembersPerRequest;
      const created = await client.expect(
        { type: 'createGroup', name: 'Bench', memberUserIds: userIds.slice(0, chunk) },
        'conversation',
      );
      const conversationId = (created.conversation as { id: string }).id;
      for (let i = chunk; i < userIds.length; i += chunk) {
        await client.expect(
          { type: 'addMembers', conversationId, userIds: userIds.slice(i, i + chunk) },
          'conversation',
        );
      }
      return roostSender(client, conversationId);
    },
    async connectReceiver(index, onFrame) {
      const device = setup.receivers[index];
      if (!device) throw new Error(`no credentials for receiver ${index}`);
      const { client } = await RoostClient.authenticated(endpoint, device);
      client.raw = onFrame;
      return client;
    },
  };
}

export type RoostSender = {
  send(text: string): void;
  close(): void;
  acks: number;
  errors: number;
  onAck: (() => void) | null;
};

/**
 * Sends on `conversationId` with fresh clientMsgIds and counts acks;
 * error frames are counted, not thrown, and reported.
 */
export function roostSender(client: RoostClient, conversationId: string): RoostSender {
  const prefix = `bench-${randomBytes(6).toString('base64url')}-`;
  let counter = 0;
  const head = `{"type":"send","conversationId":${JSON.stringify(conversationId)},"clientMsgId":"${prefix}`;
  const sender: RoostSender = {
    acks: 0,
    errors: 0,
    onAck: null,
    // Built by hand: stringifying a whole frame per message would be load-generator cost, not hub cost.
    send: (text) => client.ws.send(`${head}${counter++}","text":${JSON.stringify(text)}}`),
    close: () => client.close(),
  };
  client.raw = (frame) => {
    // {"type":"ack" : byte 9 is 'a'.
    if (frame[9] === 0x61) {
      sender.acks += 1;
      sender.onAck?.();
      return;
    }
    if (frame[9] === 0x65 && sender.errors++ < 3) console.error(`roost sender got ${frame.toString().slice(0, 300)}`);
  };
  return sender;
}
