import type { BlockRecord } from './registrySchema';

const NONE: ReadonlySet<string> = new Set();

/**
 * Who blocks whom, indexed both ways: by blocker for their own list (`ready`, `blocks`), by
 * blocked user for pushes (a message goes to every member but those who block its sender,
 * looked up once per message, not once per member).
 */
export class BlockList {
  private readonly byBlocker = new Map<string, Map<string, BlockRecord>>();
  private readonly byBlocked = new Map<string, Set<string>>();

  constructor(records: readonly BlockRecord[] = []) {
    for (const r of records) this.add(r);
  }

  /** The users `userId` blocks, oldest block first. */
  blockedBy(userId: string): string[] {
    return [...(this.byBlocker.get(userId)?.keys() ?? [])];
  }

  /** The users who block `userId`. */
  blockersOf(userId: string): ReadonlySet<string> {
    return this.byBlocked.get(userId) ?? NONE;
  }

  blocks(userId: string, blockedUserId: string): boolean {
    return this.byBlocker.get(userId)?.has(blockedUserId) ?? false;
  }

  /** False if it was there already. */
  add(record: BlockRecord): boolean {
    let own = this.byBlocker.get(record.userId);
    if (own?.has(record.blockedUserId)) return false;
    if (!own) this.byBlocker.set(record.userId, (own = new Map()));
    own.set(record.blockedUserId, record);
    let blockers = this.byBlocked.get(record.blockedUserId);
    if (!blockers) this.byBlocked.set(record.blockedUserId, (blockers = new Set()));
    blockers.add(record.userId);
    return true;
  }

  /** The record removed, or undefined if there was none. */
  remove(userId: string, blockedUserId: string): BlockRecord | undefined {
    const own = this.byBlocker.get(userId);
    const record = own?.get(blockedUserId);
    if (!own || !record) return undefined;
    own.delete(blockedUserId);
    if (own.size === 0) this.byBlocker.delete(userId);
    const blockers = this.byBlocked.get(blockedUserId);
    blockers?.delete(userId);
    if (blockers?.size === 0) this.byBlocked.delete(blockedUserId);
    return record;
  }

  records(): BlockRecord[] {
    return [...this.byBlocker.values()].flatMap((own) => [...own.values()]);
  }
}
