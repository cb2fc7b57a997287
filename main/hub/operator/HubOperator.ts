import type { AuditAction, AuditActor, OperatorDevice, OperatorUser } from '../../../shared/hub/operatorViews';
import type { PairingState } from '../../../shared/hub/pairingState';
import { HUB_OPERATOR_ID } from '../../../shared/protocol';
import { describeSchemaError } from '../../../shared/util/schemaError';
import { revokeDevice } from '../handlers/devices';
import type { HubContext } from '../HubContext';
import { HubError } from '../HubError';
import { newId } from '../secrets';
import type { DeviceRecord, UserRecord } from '../registry/registrySchema';
import type { AuditLog } from './AuditLog';
import { deleteMessage } from './deleteMessage';
import { OPERATOR_COMMANDS, OperatorError, OperatorErrorCode, type OperatorResult } from './operatorProtocol';
import { removeUser } from './removeUser';

/** Who asks: the owner through the desktop app that hosts the hub, or through the CLI on the operator socket. */
export type OperatorChannel = Extract<AuditActor, 'desktop' | 'cli'>;

/** What changed through the operator API, for a UI that shows it. */
export type OperatorChange = 'people' | 'name' | 'pairing';

/**
 * The hub's owner's controls (PROTOCOL.md 11.8, 7.5), in-process: the desktop app calls them directly, the
 * operator socket on behalf of the CLI. Nothing here is reachable over the network. Every action is written
 * to the audit log with who asked and how it ended, refusals included. Refusals are OperatorErrors with a
 * stable code and a message for the owner.
 */
export class HubOperator {
  private readonly listeners = new Set<(change: OperatorChange) => void>();

  constructor(
    private readonly ctx: HubContext,
    private readonly audit: AuditLog,
  ) {}

  /** Every user, removed ones flagged, with their devices; oldest first. */
  users(): OperatorUser[] {
    const { registry, sessions } = this.ctx;
    return registry
      .users()
      .sort((a, b) => a.createdAt - b.createdAt)
      .map((u) => ({
        id: u.id,
        displayName: u.displayName,
        createdAt: u.createdAt,
        ...(u.removedAt === undefined ? {} : { removedAt: u.removedAt }),
        online: sessions.isUserOnline(u.id),
        devices: registry.devicesOf(u.id).map((d) => this.deviceView(d)),
      }));
  }

  /** Every device of every user. */
  devices(): OperatorDevice[] {
    return this.ctx.registry.allDevices().map((d) => this.deviceView(d));
  }

  /** Removes any device: its connections close with 4003 at once, and the removal is on disk when this resolves. */
  async removeDevice(deviceId: string, via: OperatorChannel): Promise<OperatorResult<'remove-device'>> {
    const device = this.ctx.registry.device(deviceId);
    const target = device ? this.describeDevice(device) : `device ${deviceId}`;
    return this.audited(via, 'removeDevice', target, async () => {
      if (!device) throw notFound(`No device "${deviceId}" on this hub.`);
      const view = this.deviceView(device);
      await revokeDevice(this.ctx, deviceId);
      this.changed('people');
      return { device: { ...view, connections: 0 } };
    });
  }

  /**
   * Removes a user for good: every device revoked at once, taken out of every room, announced to everyone
   * as removed. Their messages stay, shown as from a removed user; they can only come back by pairing as a
   * new user.
   */
  async removeUser(userId: string, via: OperatorChannel): Promise<OperatorResult<'remove-user'>> {
    const user = this.ctx.registry.user(userId);
    const target = user ? describeUser(user) : `user ${userId}`;
    return this.audited(via, 'removeUser', target, async () => {
      if (!user) throw notFound(`No user "${userId}" on this hub.`);
      const alreadyRemoved = user.removedAt !== undefined;
      if (!alreadyRemoved) await removeUser(this.ctx, user);
      this.changed('people');
      return { user: this.users().find((u) => u.id === userId)!, alreadyRemoved };
    });
  }

  /**
   * Deletes a message for everyone: a deletion is appended to the conversation and pushed like a message,
   * and the text is overwritten in the hub's files. Deleting it again is harmless.
   */
  async deleteMessage(
    conversationId: string,
    seq: number,
    via: OperatorChannel,
  ): Promise<OperatorResult<'delete-message'>> {
    const conversation = this.ctx.registry.conversation(conversationId);
    const where = conversation?.kind === 'direct' ? 'a direct conversation' : `"${conversation?.name ?? '?'}"`;
    const target = `message ${seq} in ${conversation ? where : 'conversation'} (${conversationId})`;
    return this.audited(via, 'deleteMessage', target, async () => {
      if (!conversation) throw notFound(`No conversation "${conversationId}" on this hub.`);
      const by = { clientMsgId: newId(), senderUserId: HUB_OPERATOR_ID, senderDeviceId: HUB_OPERATOR_ID };
      const { record, target: deleted } = await deleteMessage(this.ctx, conversation, seq, by);
      return {
        conversationName: conversation.kind === 'direct' ? '' : conversation.name,
        senderName: this.ctx.registry.user(deleted.senderUserId)?.displayName ?? '',
        ...(record ? { deletionSeq: record.seq } : {}),
      };
    });
  }

  /** Renames the hub; devices see the new name from their next connection, and mDNS once re-advertised. */
  async renameHub(name: string, via: OperatorChannel): Promise<OperatorResult<'rename'>> {
    return this.audited(via, 'renameHub', JSON.stringify(name), async () => {
      const parsed = OPERATOR_COMMANDS.rename.args.safeParse({ name });
      if (!parsed.success)
        throw new OperatorError(
          OperatorErrorCode.BAD_REQUEST,
          `That hub name cannot be used: ${describeSchemaError(parsed.error, { place: () => 'name' })}.`,
        );
      try {
        await this.ctx.registry.setHubName(parsed.data.name);
      } catch (err) {
        throw new OperatorError(
          OperatorErrorCode.STORAGE_FAILED,
          `The hub could not save its new name (${(err as Error).message}); free space on its disk and try again.`,
        );
      }
      // Devices learn it now; a client that ignores the push sees it in its next `welcome`.
      this.ctx.fanout.toAll({ type: 'hubInfo', hub: this.ctx.info() });
      this.changed('name');
      return { name: parsed.data.name };
    });
  }

  pairingState(): PairingState {
    return this.ctx.gate.state();
  }

  /** Opens pairing by code for `minutes` (default 10, at most 60), or extends the open window. */
  openPairing(minutes: number | undefined, via: OperatorChannel): Promise<PairingState> {
    const target = minutes === undefined ? 'pairing by code' : `pairing by code for ${minutes} min`;
    return this.audited(via, 'openPairing', target, async () => {
      this.ctx.gate.open(minutes === undefined ? undefined : minutes * 60_000);
      this.changed('pairing');
      return this.ctx.gate.state();
    });
  }

  closePairing(via: OperatorChannel): Promise<PairingState> {
    return this.audited(via, 'closePairing', 'pairing by code', async () => {
      this.ctx.gate.close();
      this.changed('pairing');
      return this.ctx.gate.state();
    });
  }

  /** The newest audit entries, newest first. */
  readAudit(limit = 50): Promise<OperatorResult<'audit'>> {
    return this.audit.read(limit);
  }

  /** Told after each change made through this API; returns the unsubscribe. Errors are logged. */
  onChange(listener: (change: OperatorChange) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private changed(change: OperatorChange): void {
    for (const listener of this.listeners) {
      try {
        listener(change);
      } catch (err) {
        this.ctx.logger.error('an operator-change listener failed', err);
      }
    }
  }

  /** Runs an action and writes its audit entry, ok or refused; refusals come back as OperatorErrors. */
  private async audited<T>(via: OperatorChannel, action: AuditAction, target: string, run: () => Promise<T>) {
    const entry = { at: this.ctx.now(), actor: via, action, target: target.slice(0, 500) };
    try {
      const result = await run();
      await this.audit.append({ ...entry, result: 'ok' });
      return result;
    } catch (err) {
      const refusal = asOperatorError(err);
      if (refusal.code === OperatorErrorCode.INTERNAL) this.ctx.logger.error(`operator ${action} failed`, err);
      await this.audit.append({ ...entry, result: refusal.code, detail: refusal.message.slice(0, 1000) });
      throw refusal;
    }
  }

  private deviceView(d: DeviceRecord): OperatorDevice {
    return {
      id: d.id,
      userId: d.userId,
      userName: this.ctx.registry.user(d.userId)?.displayName ?? '',
      name: d.name,
      platform: d.platform,
      pairedAt: d.pairedAt,
      lastSeenAt: d.lastSeenAt,
      connections: this.ctx.sessions.ofDevice(d.id).size,
      ...(d.publicKey ? {} : { keyMigrationUntil: this.ctx.registry.protocol2Since + this.ctx.keyMigrationWindowMs }),
    };
  }

  private describeDevice(d: DeviceRecord): string {
    const owner = this.ctx.registry.user(d.userId);
    return `device ${JSON.stringify(d.name)} (${d.id}) of ${owner ? describeUser(owner) : d.userId}`;
  }
}

function describeUser(u: UserRecord): string {
  return `${JSON.stringify(u.displayName)} (${u.id})`;
}

function notFound(message: string): OperatorError {
  return new OperatorError(OperatorErrorCode.NOT_FOUND, message);
}

/** The hub's own refusals map onto the operator's codes; anything unexpected is INTERNAL. */
function asOperatorError(err: unknown): OperatorError {
  if (err instanceof OperatorError) return err;
  if (err instanceof HubError) {
    const code =
      err.code === 'STORAGE_FAILED' || err.code === 'STORAGE_QUOTA_EXCEEDED'
        ? OperatorErrorCode.STORAGE_FAILED
        : err.code === 'STORAGE_CORRUPT'
          ? OperatorErrorCode.STORAGE_CORRUPT
          : err.code === 'NOT_FOUND'
            ? OperatorErrorCode.NOT_FOUND
            : OperatorErrorCode.INTERNAL;
    return new OperatorError(code, err.message);
  }
  return new OperatorError(OperatorErrorCode.INTERNAL, `The hub failed: ${(err as Error)?.message ?? String(err)}`);
}
