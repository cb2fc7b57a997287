import type { ServerFrame } from '../../shared/protocol';
import type { Connection } from './Connection';
import type { Registry } from './registry/Registry';
import type { ConversationRecord } from './registry/registrySchema';
import type { Sessions } from './Sessions';

/**
 * Pushes one frame to many connections. The frame is serialized and UTF-8
 * encoded once per push, not once per receiver: at a thousand devices that
 * is most of the cost.
 */
export class Fanout {
  constructor(
    private readonly sessions: Sessions,
    private readonly registry: Registry,
  ) {}

  toUser(userId: string, frame: ServerFrame, except?: Connection): void {
    const text = encode(frame);
    for (const conn of this.sessions.ofUser(userId)) if (conn !== except) conn.sendRaw(text);
  }

  toMembers(conversation: ConversationRecord, frame: ServerFrame, except?: Connection): void {
    if (conversation.kind === 'default') {
      const text = encode(frame);
      for (const conn of this.sessions.all()) if (conn !== except) conn.sendRaw(text);
      return;
    }
    // Encoded at the first connected recipient: members are often all offline (they catch up later), and then nothing is spent on the frame.
    let text: Buffer | null = null;
    for (const userId of this.registry.membersOf(conversation)) {
      for (const conn of this.sessions.ofUser(userId)) {
        if (conn === except) continue;
        text ??= encode(frame);
        conn.sendRaw(text);
      }
    }
  }

  toAll(frame: ServerFrame, except?: Connection): void {
    const text = encode(frame);
    for (const conn of this.sessions.all()) if (conn !== except) conn.sendRaw(text);
  }
}

function encode(frame: ServerFrame): Buffer {
  return Buffer.from(JSON.stringify(frame));
}
