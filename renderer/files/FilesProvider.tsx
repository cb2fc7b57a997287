import { useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { FILE_UPLOADS_PATH } from '../../shared/protocol';
import { useClient } from '../app/useClient';
import { useRoost } from '../app/useRoost';
import { FilesContext, type FilesService } from './filesContext';
import { FileSession } from './FileSession';
import { OutgoingFiles } from './OutgoingFiles';
import { attachmentPreparer } from './prepareAttachment';

/** A broken picture asks for a new session at most this often (a deleted file stays broken after one). */
const RENEW_AFTER_BROKEN_IMAGE_MS = 30_000;

/**
 * File transfer for the chat screens. Where the page is served by the hub (`available`), its session cookie
 * is opened as soon as the client is connected, and again after every reconnection, since a hub that
 * restarted has forgotten every session (appendix F.2).
 */
export function FilesProvider({ available, children }: { available: boolean; children: ReactNode }) {
  const client = useClient();
  const connected = useRoost((s) => s.status === 'connected');
  const [sessionReady, setSessionReady] = useState(false);
  const [generation, setGeneration] = useState(0);
  const lastRenewal = useRef(0);

  const { session, outgoing } = useMemo(() => {
    const session = new FileSession(() => client.openFileSession());
    const outgoing = new OutgoingFiles({
      prepare: attachmentPreparer(session),
      send: (conversationId, text, attachments) => client.send(conversationId, text, attachments),
      discard: async (uploadId) => {
        await session.fetch(`${FILE_UPLOADS_PATH}/${uploadId}`, {
          method: 'DELETE',
          headers: { 'Tus-Resumable': '1.0.0' },
        });
      },
      now: () => Date.now(),
    });
    return { session, outgoing };
  }, [client]);

  useEffect(() => {
    if (!connected || !available) return;
    let current = true;
    lastRenewal.current = Date.now();
    session.renew().then(
      () => {
        if (!current) return;
        setSessionReady(true);
        setGeneration((g) => g + 1);
      },
      () => {},
    );
    return () => {
      current = false;
    };
  }, [available, connected, session]);

  const value = useMemo<FilesService>(
    () => ({
      available,
      outgoing,
      sessionReady,
      generation,
      imageFailed: () => {
        if (Date.now() - lastRenewal.current < RENEW_AFTER_BROKEN_IMAGE_MS) return;
        lastRenewal.current = Date.now();
        session.renew().then(
          () => setGeneration((g) => g + 1),
          () => {},
        );
      },
    }),
    [available, outgoing, session, sessionReady, generation],
  );

  return <FilesContext.Provider value={value}>{children}</FilesContext.Provider>;
}
