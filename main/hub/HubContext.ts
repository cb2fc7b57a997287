import type { HubInfo } from '../../shared/protocol';
import type { Fanout } from './Fanout';
import type { FileStore } from './files/FileStore';
import type { FileSessions, FileTickets } from './files/fileSessions';
import type { FrameBudgets } from './FrameBudgets';
import type { MessageLog } from './log/MessageLog';
import type { PairingGate } from './pairing/PairingGate';
import type { PresenceAnnouncer } from './PresenceAnnouncer';
import type { Registry } from './registry/Registry';
import type { RoomCaps } from './RoomCaps';
import type { Sessions } from './Sessions';

export type HubLogger = {
  info(message: string): void;
  warn(message: string): void;
  error(message: string, err?: unknown): void;
};

/** What the frame handlers share. Built once by Hub and passed to each handler. */
export type HubContext = {
  readonly registry: Registry;
  readonly log: MessageLog;
  /** Uploaded files and which messages reference them (PROTOCOL.md appendix F). */
  readonly files: FileStore;
  /** One-time tickets that open file sessions over HTTPS (appendix F.2). */
  readonly fileTickets: FileTickets;
  /** The file sessions those tickets opened, and each device's file requests in flight. */
  readonly fileSessions: FileSessions;
  readonly gate: PairingGate;
  readonly sessions: Sessions;
  readonly fanout: Fanout;
  readonly presence: PresenceAnnouncer;
  /** Frames and fetched bytes per user, across their devices (and before `ready`, per address). */
  readonly budgets: FrameBudgets;
  /** Rooms created and people added, per user (PROTOCOL.md 2.2). */
  readonly rooms: RoomCaps;
  readonly logger: HubLogger;
  readonly now: () => number;
  readonly info: () => HubInfo;
  /** How long after the hub first ran protocol 2 a protocol-1 device may still bind a key (PROTOCOL.md 6.7). */
  readonly keyMigrationWindowMs: number;
};
