import type { ServerFrame } from '../../shared/protocol';
import type { Connection } from './Connection';
import type { Registry } from './registry/Registry';
import type { ConversationRecord } from './registry/registrySchema';
import type { Sessions } from './Sessions';
import { shareFrame, type SharedFrame } from './sharedFrame';

const NOBODY: ReadonlySet<string> = new Set();

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

  /**
   * To every ready connection of every member. What a member says (a message, typing) skips the
   * users who block that member (PROTOCOL.md 11.7): they fetch it with the conversation's pages,
   * and hide it. Stated here once, so no push of a message can forget it.
   */
  toMembers(conversation: ConversationRecord, frame: ServerFrame, except?: Connection): void {
    const speaker = speakerOf(frame);
    const skip = speaker === undefined ? NOBODY : this.registry.blockersOf(speaker);
    if (conversation.kind === 'default') {
      const shared = shareFrame(frame);
      for (const conn of this.sessions.all()) if (conn !== except && !skip.has(conn.userId)) conn.sendShared(shared);
      return;
    }
    // Encoded at the first connected recipient: members are often all offline (they catch up later),
    // and then nothing is spent on the frame.
    let shared: SharedFrame | null = null;
    for (const userId of this.registry.membersOf(conversation)) {
      if (skip.has(userId)) continue;
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

/** Who a frame speaks for, when it carries what a member said rather than the state of things. */
function speakerOf(frame: ServerFrame): string | undefined {
  if (frame.type === 'message') return frame.message.senderUserId;
  if (frame.type === 'typing') return frame.userId;
  return undefined;
}
