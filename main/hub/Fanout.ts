import type { ServerFrame } from '../../shared/protocol';
import type { Connection } from './Connection';
import type { Registry } from './registry/Registry';
import type { ConversationRecord } from './registry/registrySchema';
import type { Sessions } from './Sessions';
import { shareFrame, type SharedFrame } from './sharedFrame';

/**
 * Pushes one frame to many connections. The frame is serialized, encoded and
 * framed once per push, not once per receiver: at a thousand devices that is
 * most of the cost.
 */
export class Fanout {
  constructor(
    private readonly sessions: Sessions,
    private readonly registry: Registry,
  ) {}

  toUser(userId: string, frame: ServerFrame, except?: Connection): void {
    const shared = shareFrame(frame);
    for (const conn of this.sessions.ofUser(userId)) if (conn !== except) conn.sendShared(shared);
  }

  toMembers(conversation: ConversationRecord, frame: ServerFrame, except?: Connection): void {
    if (conversation.kind === 'default') {
      const shared = shareFrame(frame);
      for (const conn of this.sessions.all()) if (conn !== except) conn.sendShared(shared);
      return;
    }
    // Encoded at the first connected recipient: members are often all offline (they catch up later),
    // and then nothing is spent on the frame.
    let shared: SharedFrame | null = null;
    for (const userId of this.registry.membersOf(conversation)) {
      for (const conn of this.sessions.ofUser(userId)) {
        if (conn === except) continue;
        shared ??= shareFrame(frame);
        conn.sendShared(shared);
      }
    }
  }

  toAll(frame: ServerFrame, except?: Connection): void {
    const shared = shareFrame(frame);
    for (const conn of this.sessions.all()) if (conn !== except) conn.sendShared(shared);
  }
}
