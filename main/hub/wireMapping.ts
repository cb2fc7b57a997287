import {
  attachmentToWire,
  type Attachment,
  type ConversationWire,
  type DeviceWire,
  type MessageWire,
  type ReceiptWire,
  type UserWire,
} from '../../shared/protocol';
import type { StoredMessage } from './log/MessageLog';
import type { Registry } from './registry/Registry';
import type { ConversationRecord, DeviceRecord, ReceiptRecord, UserRecord } from './registry/registrySchema';
import type { Sessions } from './Sessions';

/** The one place where stored records become wire objects. */

export function userToWire(user: UserRecord, sessions: Sessions): UserWire {
  const wire: UserWire = { id: user.id, displayName: user.displayName, online: sessions.isUserOnline(user.id) };
  return user.removedAt === undefined ? wire : { ...wire, online: false, removed: true };
}

export function deviceToWire(device: DeviceRecord, sessions: Sessions): DeviceWire {
  return {
    id: device.id,
    userId: device.userId,
    name: device.name,
    platform: device.platform,
    pairedAt: device.pairedAt,
    lastSeenAt: device.lastSeenAt,
    online: sessions.isDeviceOnline(device.id),
  };
}

export function receiptToWire(receipt: ReceiptRecord): ReceiptWire {
  return { userId: receipt.userId, deliveredSeq: receipt.deliveredSeq, readSeq: receipt.readSeq };
}

export function conversationToWire(
  conversation: ConversationRecord,
  registry: Registry,
  lastSeq: number,
): ConversationWire {
  const members = registry.membersOf(conversation);
  return {
    id: conversation.id,
    kind: conversation.kind,
    name: conversation.name,
    memberUserIds: members,
    lastSeq,
    createdAt: conversation.createdAt,
    receipts: members.map((userId) => receiptToWire(registry.receipt(conversation.id, userId))),
  };
}

export function messageToWire(conversationId: string, message: StoredMessage): MessageWire {
  return {
    conversationId,
    seq: message.seq,
    clientMsgId: message.clientMsgId,
    senderUserId: message.senderUserId,
    senderDeviceId: message.senderDeviceId,
    sentAt: message.sentAt,
    text: message.text,
    ...(message.attachments && !message.deleted
      ? { attachments: message.attachments.map((a) => attachmentToWire(a as Attachment)) }
      : {}),
    ...(message.deleted ? { deleted: true } : {}),
    ...(message.deletes === undefined ? {} : { deletes: message.deletes }),
  };
}
