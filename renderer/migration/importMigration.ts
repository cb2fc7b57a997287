import { MessageWireSchema, type MessageWire } from '../../shared/protocol';
import { checkSnapshot } from '../../shared/sync/cacheSchema';
import type { ClientStorage, TimelineRange } from '../../shared/sync/storage';
import {
  MigrationDataSchema,
  NON_EXTRACTABLE_KEY,
  RangeRowSchema,
  RefusalReason,
  type MigrationData,
} from './migrationMessages';

export type ImportResult = { ok: true; pending: number } | { ok: false; reason: RefusalReason; detail?: string };

/** Where a moved key goes: this origin's device key store (WebCryptoDeviceKeys.adopt). */
export type KeyAdoption = { adopt(secretKey: Uint8Array): Promise<unknown> };

/**
 * Writes what the old origin held into this origin's storage, only if this browser has no account here:
 * a device already paired at the https address keeps its own, and the old page keeps its data (it then
 * shows the person the messages that were not sent). Credentials, the outbox, the snapshot and the device's
 * key must all validate, or nothing is imported; a conversation's cached messages that do not are left to the hub.
 * The device's key moves when it is a raw secret (a page without WebCrypto), stored here non-extractable; a device
 * that signs in with a key that cannot move is refused before anything is written (keyProblem()), as is any device
 * when this browser has an account here already.
 * The credentials are written last, so an import that stops half way leaves no account and can run again.
 */
export async function importMigration(storage: ClientStorage, keys: KeyAdoption, raw: unknown): Promise<ImportResult> {
  const parsed = MigrationDataSchema.safeParse(raw);
  if (!parsed.success || !parsed.data.credentials)
    return { ok: false, reason: RefusalReason.INVALID, detail: parsed.error?.message ?? 'no credentials' };
  const data = parsed.data;
  const credentials = data.credentials!;
  try {
    if (await storage.loadCredentials()) return { ok: false, reason: RefusalReason.HAS_ACCOUNT };
    const refused = keyProblem(data);
    if (refused) return refused;
    await storage.clear();
    for (const entry of data.outbox) await storage.saveOutboxEntry(entry);
    const snapshot = data.snapshot === null || data.snapshot === undefined ? undefined : checkSnapshot(data.snapshot);
    if (snapshot?.ok) await storage.saveSnapshot(snapshot.value);
    for (const [conversationId, { range, messages }] of conversations(data.ranges, data.messages))
      await storage.saveMessages(conversationId, messages, range);
    // Moved beside a token too: the hub may have bound this key already, in a session whose answer the device lost.
    if (data.deviceKey !== null && data.deviceKey !== NON_EXTRACTABLE_KEY) await keys.adopt(data.deviceKey.secretKey);
    await storage.saveCredentials(credentials);
  } catch (err) {
    return {
      ok: false,
      reason: RefusalReason.STORAGE_FAILED,
      detail: err instanceof Error ? err.message : String(err),
    };
  }
  return { ok: true, pending: data.outbox.filter((e) => e.failedCode === undefined).length };
}

/**
 * Whether the device could sign in here once moved. A protocol-1 device (credentials with a token) can: it binds a
 * key made here on its first auth (PROTOCOL.md 6.7), whatever its old key. A protocol-2 device needs its key, which
 * moves only as a raw secret: a non-extractable WebCrypto key stays at its origin, so the device stays there too.
 */
function keyProblem({ credentials, deviceKey }: MigrationData): ImportResult | undefined {
  if (credentials?.token) return undefined;
  if (deviceKey === NON_EXTRACTABLE_KEY) return { ok: false, reason: RefusalReason.KEY_NOT_MOVABLE };
  if (deviceKey === null) return { ok: false, reason: RefusalReason.INVALID, detail: 'neither a key nor a token' };
  return undefined;
}

type Timeline = { range: TimelineRange; messages: MessageWire[] };

/** Each conversation's range with its messages; one with a message that does not validate is skipped whole. */
function conversations(ranges: unknown[], messages: unknown[]): Map<string, Timeline> {
  const out = new Map<string, Timeline>();
  for (const row of ranges) {
    const r = RangeRowSchema.safeParse(row);
    if (r.success)
      out.set(r.data.conversationId, {
        range: { cursor: r.data.cursor, reachedStart: r.data.reachedStart },
        messages: [],
      });
  }
  const broken = new Set<string>();
  for (const row of messages) {
    const m = MessageWireSchema.safeParse(row);
    const id =
      typeof row === 'object' && row !== null ? (row as { conversationId?: unknown }).conversationId : undefined;
    if (!m.success) {
      if (typeof id === 'string') broken.add(id);
      continue;
    }
    out.get(m.data.conversationId)?.messages.push(m.data);
  }
  for (const id of broken) out.delete(id);
  return out;
}
