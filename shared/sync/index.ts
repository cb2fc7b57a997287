/** The Roost sync client: pure TypeScript, runtime adapters are injected. */
export { RoostClient, type DeviceDescription, type RoostClientOptions } from './RoostClient';
export type {
  ConnectionStatus,
  ConversationState,
  RoostState,
  Session,
  TypingUser,
  UnpairedReason,
} from './clientState';
export { conversationTitle } from './clientState';
export { hiddenSenders, isHiddenMessage, visibleMessages } from './hidden';
export type { Timeline } from './conversationTimeline';
export { DELETED_MESSAGE_TEXT, isDeletion, lastMessage } from './deletions';
export { REMOVED_USER_NAME, isActiveUser, userName } from './people';
export type { OutboxEntry, OutboxStatus } from './outbox';
export { ClientErrorCode, RoostError, WarningCode, type RoostWarning } from './errors';
export type { Clock, TimerHandle, Transport, TransportEvents, TransportSocket } from './transport';
export {
  CACHE_SCHEMA_VERSION,
  type CachedSnapshot,
  type ClientStorage,
  type StoredCredentials,
  type StoredOutboxEntry,
  type TimelineRange,
} from './storage';
export { MemoryStorage } from './MemoryStorage';
export { DEFAULT_BACKOFF, backoffDelay, type BackoffOptions } from './backoff';
