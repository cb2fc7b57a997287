import { useCallback, useEffect, useRef, useState } from 'react';
import type { ClientStorage } from '../../shared/sync/storage';
import { openIndexedDbStorage } from '../sync/IndexedDbStorage';
import { importMigration, type KeyAdoption } from './importMigration';
import {
  FromOldPageSchema,
  MIGRATE_FROM_HASH,
  MIGRATION_DATABASE,
  MIGRATION_TAG,
  type FromOldPage,
  type RefusalReason,
  type ToOldPage,
} from './migrationMessages';

export type MigrationState =
  | { phase: 'intro' }
  /** The old page is open in a popup; its data has not arrived. */
  | { phase: 'waiting' }
  /** Imported and confirmed to the old page, which is deleting its copy. */
  | { phase: 'finishing'; pending: number }
  | { phase: 'moved'; pending: number; cleared: boolean }
  /** The old address held nothing to move. */
  | { phase: 'empty' }
  /** The popup was blocked, or closed (or cut off from this page, as COOP does) before it sent anything. */
  | { phase: 'blocked' }
  | { phase: 'lost' }
  | { phase: 'unreadable' }
  | { phase: 'refused'; reason: RefusalReason };

/** This origin's storage, with the device key store it keeps in the same database (IndexedDbStorage). */
type Storage = ClientStorage & { close(): void; deviceKeys(): KeyAdoption };

/** One function for every render, so the message listener is not replaced each time. */
const openMigrationStorage = (): Promise<Storage> => openIndexedDbStorage(MIGRATION_DATABASE);

/** How often to look whether the popup was closed: a closed window fires no event its opener can hear. */
const POPUP_CHECK_MS = 500;

/**
 * The https app's side of a move from the old http:// origin (migrationMessages.ts): opens the old page,
 * accepts only its messages (exact origin, from that window, of the documented shape), imports, answers.
 */
export function useMigration(
  oldOrigin: string,
  openStorage: () => Promise<Storage> = openMigrationStorage,
): { state: MigrationState; start: () => void } {
  const [state, setState] = useState<MigrationState>({ phase: 'intro' });
  const popup = useRef<Window | null>(null);
  /** The data is taken once per popup: a second `data` message is ignored. */
  const taken = useRef(false);

  useEffect(() => {
    const answer = (message: ToOldPage) => popup.current?.postMessage(message, oldOrigin);
    const handle = async (message: FromOldPage): Promise<void> => {
      if (message.kind === 'empty') return setState({ phase: 'empty' });
      if (message.kind === 'unreadable') return setState({ phase: 'unreadable' });
      if (message.kind === 'done') {
        popup.current?.close();
        return setState((s) => (s.phase === 'finishing' ? { ...s, phase: 'moved', cleared: message.cleared } : s));
      }
      if (taken.current) return;
      taken.current = true;
      const storage = await openStorage().catch(() => undefined);
      const result = storage
        ? await importMigration(storage, storage.deviceKeys(), message.data).finally(() => storage.close())
        : ({ ok: false, reason: 'STORAGE_FAILED' } as const);
      if (!result.ok) {
        answer({ tag: MIGRATION_TAG, kind: 'refused', reason: result.reason });
        return setState({ phase: 'refused', reason: result.reason });
      }
      answer({ tag: MIGRATION_TAG, kind: 'imported' });
      setState({ phase: 'finishing', pending: result.pending });
    };
    const onMessage = (event: MessageEvent) => {
      if (event.origin !== oldOrigin || !popup.current || event.source !== popup.current) return;
      const parsed = FromOldPageSchema.safeParse(event.data);
      if (parsed.success) void handle(parsed.data);
    };
    window.addEventListener('message', onMessage);
    return () => window.removeEventListener('message', onMessage);
  }, [oldOrigin, openStorage]);

  // The popup's own messages say how it ended; closed without a word, it was cut off or closed by hand.
  useEffect(() => {
    if (state.phase !== 'waiting' && state.phase !== 'finishing') return;
    const timer = setInterval(() => {
      if (!popup.current?.closed) return;
      setState((s) =>
        s.phase === 'waiting'
          ? { phase: 'lost' }
          : s.phase === 'finishing'
            ? { ...s, phase: 'moved', cleared: false }
            : s,
      );
    }, POPUP_CHECK_MS);
    return () => clearInterval(timer);
  }, [state.phase]);

  const start = useCallback(() => {
    const opened = window.open(`${oldOrigin}/${MIGRATE_FROM_HASH}`, 'roost-migrate', 'popup,width=520,height=640');
    popup.current = opened;
    taken.current = false;
    setState(opened ? { phase: 'waiting' } : { phase: 'blocked' });
  }, [oldOrigin]);

  return { state, start };
}
