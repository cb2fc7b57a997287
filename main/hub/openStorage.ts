import path from 'node:path';
import type { HubLogger } from './HubContext';
import { MessageLog, type MessageLogOptions } from './log/MessageLog';
import { Registry } from './registry/Registry';
import { StorageReserve } from './registry/StorageReserve';

export type StorageOptions = {
  /**
   * Disk space kept for the registry (a file in the data directory), so that a device removal can
   * be written even when messages have filled the disk. 0 keeps none. Default 8 MiB; it grows to
   * twice the registry's size when the registry is bigger.
   */
  reserveBytes?: number;
};

export const STORAGE_DEFAULTS = { reserveBytes: 8 * 1024 * 1024 } as const;

export const RESERVE_FILE_NAME = 'reserved-space';

export type HubStorage = {
  readonly registry: Registry;
  readonly log: MessageLog;
  /** Writes what is pending and closes every file. Never rejects: what could not be written is logged. */
  readonly close: () => Promise<void>;
};

/**
 * Opens what the hub keeps on disk, in order: the space reserve, the registry, the message log. A
 * conversation the log must refuse (damaged or missing files) is reported to the logger with what
 * to do; the hub serves the others.
 */
export async function openStorage(o: {
  dataDir: string;
  hubName: string;
  now: () => number;
  logger: HubLogger;
  log?: Omit<MessageLogOptions, 'dir' | 'now'>;
  storage?: StorageOptions;
}): Promise<HubStorage> {
  const { dataDir, logger } = o;
  const historyDir = path.join(dataDir, 'messages');
  const reserve = await StorageReserve.open({
    file: path.join(dataDir, RESERVE_FILE_NAME),
    bytes: o.storage?.reserveBytes ?? STORAGE_DEFAULTS.reserveBytes,
    logger,
    now: o.now,
  });
  let registry: Registry | undefined;
  let log: MessageLog | undefined;
  try {
    registry = await Registry.open({ dataDir, hubName: o.hubName, now: o.now, logger, reserve, historyDir });
    log = await MessageLog.open({
      ...o.log,
      dir: historyDir,
      now: o.now,
      warn: (m: string) => logger.warn(m),
      admitWrites: () => reserve.admitsMessages(),
    });
    refuseLostHistories(registry, log);
    for (const { message } of log.refusals()) logger.error(`message log: ${message}`);
  } catch (err) {
    await log?.close().catch(() => {});
    await registry?.close().catch(() => {});
    await reserve.close();
    throw err;
  }
  const opened = { registry, log };
  return {
    ...opened,
    close: async () => {
      await opened.log.close().catch((err: unknown) => logger.error('could not close the message log', err));
      await opened.registry
        .close()
        .catch((err: unknown) =>
          logger.error(
            `could not write ${path.join(dataDir, 'registry.json')} while stopping: changes since its last write ` +
              `are lost (receipts, last-seen times, and any device removal that was answered STORAGE_FAILED)`,
            err,
          ),
        );
      await reserve.close();
    },
  };
}

/** Receipts prove that a conversation had messages: without any file of it, its history was lost, not empty. */
function refuseLostHistories(registry: Registry, log: MessageLog): void {
  for (const [conversationId, seq] of registry.highestReceiptSeqs()) {
    if (registry.conversation(conversationId))
      log.requireHistory(conversationId, seq, `registry.json has receipts up to seq ${seq}`);
  }
}
