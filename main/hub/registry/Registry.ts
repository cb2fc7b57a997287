import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { Low } from 'lowdb';
import type { Platform } from '../../../shared/protocol';
import { SerialQueue } from '../../../shared/util/SerialQueue';
import type { HubLogger } from '../HubContext';
import { hashToken, hashesEqual, newId } from '../secrets';
import { DurableJsonFile } from './DurableJsonFile';
import { nodeDurableFs, type DurableFs } from './durableWrite';
import { freshRegistry, readRegistryFile, refuseOverHistory, RegistryFileError, startOver } from './registryFile';
import { RegistryWriter, type RegistryWriterOptions } from './RegistryWriter';
import { BlockList } from './BlockList';
import type { StorageReserve } from './StorageReserve';

export { RegistryFileError };
import {
  REGISTRY_SCHEMA_VERSION,
  type ConversationRecord,
  type DeviceRecord,
  type KeyedDeviceRecord,
  type ReceiptRecord,
  type RegistryFile,
  type UserRecord,
} from './registrySchema';

export type RegistryOptions = {
  dataDir: string;
  /** Name for a new hub; an existing hub keeps its stored name unless renamed. */
  hubName: string;
  now?: () => number;
  /** Where failed background writes are reported. */
  logger: HubLogger;
  /** How long marker updates may wait before they are written together. Default 500 ms. */
  saveDelayMs?: number;
  /** File operations on registry.json; tests record their order or make one fail. */
  fs?: DurableFs;
  /** Disk space the registry may use when the disk is full, so that a removal can still be written. */
  reserve?: StorageReserve;
  /**
   * The message log's directory. If registry.json is missing while it holds conversations, the
   * registry was lost, not never made: open refuses rather than start a new hub over that history.
   */
  historyDir?: string;
};

/** It holds device public keys and protocol-1 token hashes: for the hub's own user only. */
const REGISTRY_FILE_MODE = 0o600;

/**
 * Users, devices, conversations and receipts, persisted in registry.json with
 * lowdb. Everything here is small; message bodies live in the MessageLog.
 *
 * One map per kind of record is the only copy in memory, and every read
 * comes from it. Every change is made there and then goes to disk through
 * the one RegistryWriter, which builds the file from the maps. Pairing,
 * revocation and other answered changes are durable (they would survive a
 * power cut) before they are answered; receipts and last-seen times are
 * written in batches.
 */
export class Registry {
  private readonly usersById = new Map<string, UserRecord>();
  private readonly devicesById = new Map<string, DeviceRecord>();
  private readonly conversationsById = new Map<string, ConversationRecord>();
  /** Receipts by conversation and user: markDelivered runs for every message a device receives. */
  private readonly receiptsByKey = new Map<string, ReceiptRecord>();
  private readonly blockList: BlockList;
  private readonly hubRecord: RegistryFile['hub'];
  private readonly writer: RegistryWriter;
  /**
   * Changes that are taken back if their write fails run one at a time: each
   * starts once the previous one is on disk or taken back, so none is decided
   * on another that may yet be taken back (openDirect finding a conversation
   * whose write then fails).
   */
  private readonly changes = new SerialQueue();

  private constructor(
    db: Low<RegistryFile>,
    data: RegistryFile,
    private readonly now: () => number,
    writer: Omit<RegistryWriterOptions, 'snapshot'>,
  ) {
    this.writer = new RegistryWriter(db, { ...writer, snapshot: () => this.toFile() });
    this.hubRecord = data.hub;
    // A registry from before protocol 2: its devices' migration window starts now (6.7).
    if (this.hubRecord.protocol2Since === undefined) {
      this.hubRecord.protocol2Since = now();
      this.writer.writeSoon();
    }
    for (const u of data.users) this.usersById.set(u.id, u);
    for (const d of data.devices) this.devicesById.set(d.id, d);
    for (const c of data.conversations) this.conversationsById.set(c.id, c);
    for (const r of data.receipts) this.receiptsByKey.set(receiptKey(r.conversationId, r.userId), r);
    this.blockList = new BlockList(data.blocks);
  }

  static async open(options: RegistryOptions): Promise<Registry> {
    const now = options.now ?? Date.now;
    await mkdir(options.dataDir, { recursive: true, mode: 0o700 });
    const file = path.join(options.dataDir, 'registry.json');
    const fs = options.fs ?? nodeDurableFs;
    const adapter = new DurableJsonFile<RegistryFile>(file, { fs, mode: REGISTRY_FILE_MODE });
    let loaded: Awaited<ReturnType<typeof adapter.load>>;
    try {
      loaded = await adapter.load();
    } catch (err) {
      throw new RegistryFileError(
        `${file} is not valid JSON (${(err as Error).message}). ${startOver(options.dataDir)}`,
      );
    }
    if (!loaded.exists && options.historyDir) await refuseOverHistory(file, options.historyDir, options.dataDir);
    const data = loaded.exists
      ? readRegistryFile(file, loaded.value, options.dataDir)
      : freshRegistry(options.hubName, now());
    // Hubs before durable writes left it world-readable (0644); until its next write it would stay so.
    if (loaded.exists) await fs.chmod(file, REGISTRY_FILE_MODE);
    const db = new Low<RegistryFile>(adapter, data);
    const registry = new Registry(db, data, now, {
      logger: options.logger,
      batchDelayMs: options.saveDelayMs ?? 500,
      reserve: options.reserve,
      fileBytes: () => adapter.bytes,
    });
    if (!loaded.exists) {
      // Not retried: the hub does not start without it.
      await registry.writer.write().catch((err: unknown) => {
        registry.writer.abandon();
        throw err;
      });
    }
    return registry;
  }

  get hub(): Readonly<RegistryFile['hub']> {
    return this.hubRecord;
  }

  async setHubName(name: string): Promise<void> {
    this.hubRecord.name = name;
    await this.writer.write();
  }

  // Users

  users(): UserRecord[] {
    return [...this.usersById.values()];
  }

  user(id: string): UserRecord | undefined {
    return this.usersById.get(id);
  }

  createUser(displayName: string): Promise<UserRecord> {
    return this.changes.run(async () => {
      const user: UserRecord = { id: newId(), displayName, createdAt: this.now() };
      this.usersById.set(user.id, user);
      await this.writer.write(() => this.usersById.delete(user.id));
      return user;
    });
  }

  /** The user unless the hub's owner removed them: removed users keep their record but may do nothing. */
  activeUser(id: string): UserRecord | undefined {
    const user = this.usersById.get(id);
    return user && user.removedAt === undefined ? user : undefined;
  }

  /**
   * The owner removes a user for good (PROTOCOL.md 11.8): marked removed and taken out of every group
   * room at once, before the write settles, so callers can announce it first; the record stays, so their
   * messages still name them. Their devices are the caller's to revoke. Never taken back: like a device
   * removal its write may use the reserve, and is retried until it lands. Returns the rooms they left and
   * the write, or undefined for no such user or one removed already.
   */
  markUserRemoved(id: string): { left: ConversationRecord[]; saved: Promise<void> } | undefined {
    const user = this.activeUser(id);
    if (!user) return undefined;
    user.removedAt = this.now();
    const left: ConversationRecord[] = [];
    for (const c of this.conversationsById.values()) {
      if (c.kind !== 'group' || !c.memberUserIds.includes(id)) continue;
      c.memberUserIds = c.memberUserIds.filter((member) => member !== id);
      left.push(c);
    }
    return { left, saved: this.writer.writeRemoval() };
  }

  /** Forgets a user that never got a device (pairing interrupted). */
  async removeUser(id: string): Promise<void> {
    if (this.devicesOf(id).length > 0) return;
    this.usersById.delete(id);
    for (const [key, r] of this.receiptsByKey) if (r.userId === id) this.receiptsByKey.delete(key);
    await this.writer.write();
  }

  // Devices

  device(id: string): DeviceRecord | undefined {
    return this.devicesById.get(id);
  }

  devicesOf(userId: string): DeviceRecord[] {
    const devices: DeviceRecord[] = [];
    for (const d of this.devicesById.values()) if (d.userId === userId) devices.push(d);
    return devices;
  }

  allDevices(): DeviceRecord[] {
    return [...this.devicesById.values()];
  }

  /** Registers a device with its public key; durable before it resolves. */
  addDevice(input: {
    userId: string;
    name: string;
    platform: Platform;
    publicKey: string;
  }): Promise<KeyedDeviceRecord> {
    return this.changes.run(async () => {
      const t = this.now();
      const device: KeyedDeviceRecord = { id: newId(), ...input, pairedAt: t, lastSeenAt: t };
      this.devicesById.set(device.id, device);
      await this.writer.write(() => this.devicesById.delete(device.id));
      return device;
    });
  }

  /** When this hub first ran protocol 2: protocol-1 devices may bind a key until a window after it (6.7). */
  get protocol2Since(): number {
    return this.hubRecord.protocol2Since ?? 0;
  }

  /** A protocol-1 device that has not bound a key, if `token` is its token; undefined for anything else. */
  unmigratedDevice(deviceId: string, token: string): DeviceRecord | undefined {
    const device = this.devicesById.get(deviceId);
    if (!device?.tokenHash || device.publicKey) return undefined;
    return hashesEqual(device.tokenHash, hashToken(token)) ? device : undefined;
  }

  /**
   * A protocol-1 device binds its key once: the token hash goes, so the token never works again. Durable before it
   * resolves; undefined if the device was removed or bound meanwhile.
   */
  bindDeviceKey(deviceId: string, publicKey: string): Promise<KeyedDeviceRecord | undefined> {
    return this.changes.run(async () => {
      const device = this.devicesById.get(deviceId);
      if (!device?.tokenHash || device.publicKey) return undefined;
      const bound: KeyedDeviceRecord = { ...device, publicKey, keyBoundAt: this.now() };
      delete bound.tokenHash;
      this.devicesById.set(deviceId, bound);
      await this.writer.write(() => {
        if (this.devicesById.get(deviceId) === bound) this.devicesById.set(deviceId, device);
      });
      // Removed while the key was written: the removal stands, and the device gets no session.
      return this.devicesById.get(deviceId) === bound ? bound : undefined;
    });
  }

  renameDevice(id: string, name: string): Promise<DeviceRecord | undefined> {
    return this.changes.run(async () => {
      const device = this.devicesById.get(id);
      if (!device) return undefined;
      const before = device.name;
      device.name = name;
      await this.writer.write(() => {
        device.name = before;
      });
      return device;
    });
  }

  /**
   * Forgets the device. Takes effect in memory before the write starts, so a
   * token check that runs meanwhile already fails. Never taken back: a removed
   * device stays cut off, and a failed write is retried until it lands. On a
   * full disk the write may use the space reserve, which nothing else but
   * removals may.
   */
  async removeDevice(id: string): Promise<DeviceRecord | undefined> {
    const device = this.devicesById.get(id);
    if (!device) return undefined;
    this.devicesById.delete(id);
    await this.writer.writeRemoval();
    return device;
  }

  touchDevice(id: string): void {
    const device = this.devicesById.get(id);
    if (!device) return;
    device.lastSeenAt = this.now();
    this.writer.writeSoon();
  }

  // Conversations

  conversation(id: string): ConversationRecord | undefined {
    return this.conversationsById.get(id);
  }

  membersOf(conversation: ConversationRecord): string[] {
    if (conversation.kind !== 'default') return conversation.memberUserIds;
    const members: string[] = [];
    for (const u of this.usersById.values()) if (u.removedAt === undefined) members.push(u.id);
    return members;
  }

  isMember(conversation: ConversationRecord, userId: string): boolean {
    if (conversation.kind === 'default') return this.activeUser(userId) !== undefined;
    return conversation.memberUserIds.includes(userId);
  }

  conversationsOf(userId: string): ConversationRecord[] {
    const conversations: ConversationRecord[] = [];
    for (const c of this.conversationsById.values()) if (this.isMember(c, userId)) conversations.push(c);
    return conversations;
  }

  createGroup(input: { name: string; createdBy: string; memberUserIds: string[] }): Promise<ConversationRecord> {
    const members = unique([input.createdBy, ...input.memberUserIds]);
    return this.changes.run(() =>
      this.addConversation({
        id: newId(),
        kind: 'group',
        name: input.name,
        memberUserIds: members,
        createdAt: this.now(),
        createdBy: input.createdBy,
      }),
    );
  }

  /**
   * Membership changes synchronously, before the returned write settles, so
   * callers can announce it first. Never taken back (it may have been
   * announced): a failed write is retried until it lands.
   */
  async addMembers(conversation: ConversationRecord, userIds: string[]): Promise<ConversationRecord> {
    conversation.memberUserIds = unique([...conversation.memberUserIds, ...userIds]);
    await this.writer.write();
    return conversation;
  }

  /** The direct conversation between two users, created on first use. */
  openDirect(a: string, b: string): Promise<{ conversation: ConversationRecord; created: boolean }> {
    // One at a time, so two devices opening the same pair at once get one conversation.
    return this.changes.run(async () => {
      const pair = [a, b].sort();
      const existing = [...this.conversationsById.values()].find(
        (c) =>
          c.kind === 'direct' &&
          c.memberUserIds.length === 2 &&
          [...c.memberUserIds].sort().every((id, i) => id === pair[i]),
      );
      if (existing) return { conversation: existing, created: false };
      const conversation = await this.addConversation({
        id: newId(),
        kind: 'direct',
        name: '',
        memberUserIds: pair,
        createdAt: this.now(),
        createdBy: a,
      });
      return { conversation, created: true };
    });
  }

  /**
   * Takes the user out of a group room at once, before the write settles: no push of the room
   * reaches them once this is called. Never taken back; like a removal it takes access away,
   * so its write may use the reserve and lands on a full disk too (retried until it does).
   */
  async leaveGroup(conversation: ConversationRecord, userId: string): Promise<void> {
    conversation.memberUserIds = conversation.memberUserIds.filter((id) => id !== userId);
    await this.writer.writeRemoval();
  }

  private async addConversation(record: ConversationRecord): Promise<ConversationRecord> {
    this.conversationsById.set(record.id, record);
    await this.writer.write(() => this.conversationsById.delete(record.id));
    return record;
  }

  // Blocks (PROTOCOL.md 11.7)

  /** The users `userId` blocks. */
  blockedBy(userId: string): string[] {
    return this.blockList.blockedBy(userId);
  }

  /** The users who block `userId`. */
  blockersOf(userId: string): ReadonlySet<string> {
    return this.blockList.blockersOf(userId);
  }

  blocks(userId: string, blockedUserId: string): boolean {
    return this.blockList.blocks(userId, blockedUserId);
  }

  /**
   * In effect at once, before the write: the blocked user's next message is already not pushed.
   * False if it was in place (nothing written). Never taken back, and like a removal its write
   * may use the reserve: it protects someone, on a disk a spammer may have filled.
   */
  async block(userId: string, blockedUserId: string): Promise<boolean> {
    if (!this.blockList.add({ userId, blockedUserId, blockedAt: this.now() })) return false;
    await this.writer.writeRemoval();
    return true;
  }

  /** In effect at once; false if there was no such block. Never taken back: a failed write is retried. */
  async unblock(userId: string, blockedUserId: string): Promise<boolean> {
    if (!this.blockList.remove(userId, blockedUserId)) return false;
    await this.writer.write();
    return true;
  }

  // Receipts

  receipt(conversationId: string, userId: string): ReceiptRecord {
    return (
      this.receiptsByKey.get(receiptKey(conversationId, userId)) ?? {
        conversationId,
        userId,
        deliveredSeq: 0,
        readSeq: 0,
      }
    );
  }

  /**
   * For each conversation, the highest seq any member's receipt has reached: the hub had stored
   * at least that many of its messages (markers are clamped to the log's last seq).
   */
  highestReceiptSeqs(): Map<string, number> {
    const seqs = new Map<string, number>();
    for (const r of this.receiptsByKey.values())
      seqs.set(r.conversationId, Math.max(seqs.get(r.conversationId) ?? 0, r.deliveredSeq, r.readSeq));
    return seqs;
  }

  /**
   * Moves a user's markers forward (never back) and returns the new receipt,
   * or undefined when nothing changed. Reading implies delivery.
   */
  advanceReceipt(
    conversationId: string,
    userId: string,
    marks: { deliveredSeq?: number; readSeq?: number },
  ): ReceiptRecord | undefined {
    let record = this.receiptsByKey.get(receiptKey(conversationId, userId));
    const readSeq = Math.max(record?.readSeq ?? 0, marks.readSeq ?? 0);
    const deliveredSeq = Math.max(record?.deliveredSeq ?? 0, marks.deliveredSeq ?? 0, readSeq);
    if (record && record.readSeq === readSeq && record.deliveredSeq === deliveredSeq) return undefined;
    if (!record) {
      if (readSeq === 0 && deliveredSeq === 0) return undefined;
      record = { conversationId, userId, deliveredSeq, readSeq };
      this.receiptsByKey.set(receiptKey(conversationId, userId), record);
    }
    record.readSeq = readSeq;
    record.deliveredSeq = deliveredSeq;
    this.writer.writeSoon();
    return record;
  }

  /** Writes what is batched; no write is retried after this one. */
  close(): Promise<void> {
    return this.writer.close();
  }

  /** What registry.json holds: built from the maps as each write starts (RegistryWriter). */
  private toFile(): RegistryFile {
    return {
      schemaVersion: REGISTRY_SCHEMA_VERSION,
      hub: this.hubRecord,
      users: [...this.usersById.values()],
      devices: [...this.devicesById.values()],
      conversations: [...this.conversationsById.values()],
      receipts: [...this.receiptsByKey.values()],
      blocks: this.blockList.records(),
    };
  }
}

function receiptKey(conversationId: string, userId: string): string {
  return `${conversationId}\u0000${userId}`;
}

function unique(ids: string[]): string[] {
  return [...new Set(ids)];
}
