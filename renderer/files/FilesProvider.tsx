import { useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { FILE_UPLOADS_PATH } from '../../shared/protocol';
import { useClient } from '../app/useClient';
import { useRoost } from '../app/useRoost';
import { FilesContext, type FilesService } from './filesContext';
import { FileSession } from './FileSession';
import { randomId } from '../sync/browserEnvironment';
import { fileOutboxName, openFileOutbox } from './fileOutboxDb';
import { OutgoingFiles } from './OutgoingFiles';
import { fileTransfer } from './prepareAttachment';

/** A broken picture asks for a new session at most this often (a deleted file stays broken after one). */
const RENEW_AFTER_BROKEN_IMAGE_MS = 30_000;

/** `hubOrigin`: the hub's, where it is not this page's (the desktop window): the session goes in a header. */
type Props = { available: boolean; hubOrigin?: string | undefined; children: ReactNode };

/**
 * File transfer for the chat screens. Where the page is served by the hub (`available`), its session cookie
 * is opened as soon as the client is connected, and again after every reconnection, since a hub that
 * restarted has forgotten every session (appendix F.2).
 */
export function FilesProvider({ available, hubOrigin, children }: Props) {
  const client = useClient();
  const connected = useRoost((s) => s.status === 'connected');
  // The chat screens show only once both are known (ChatApp waits for `self`).
  const hubId = useRoost((s) => s.hub?.id ?? '');
  const deviceId = useRoost((s) => s.self?.deviceId ?? '');
  const [sessionReady, setSessionReady] = useState(false);
  const [generation, setGeneration] = useState(0);
  const lastRenewal = useRef(0);

  const session = useMemo(
    () => new FileSession(() => client.openFileSession(), undefined, hubOrigin),
    [client, hubOrigin],
  );
  const outgoing = useMemo(
    () =>
      new OutgoingFiles({
        store: openFileOutbox(fileOutboxName(hubId, deviceId)),
        transfer: fileTransfer(session),
        send: (conversationId, text, attachments, clientMsgId) =>
          client.send(conversationId, text, attachments, { clientMsgId }),
        pendingOf: (clientMsgId) => client.getState().outbox.find((e) => e.clientMsgId === clientMsgId),
        discardPending: (clientMsgId) => void client.discardPending(clientMsgId),
        discard: async (uploadId) => {
          await session.fetch(`${FILE_UPLOADS_PATH}/${uploadId}`, {
            method: 'DELETE',
            headers: { 'Tus-Resumable': '1.0.0' },
          });
        },
        newId: randomId,
        now: () => Date.now(),
      }),
    [client, session, hubId, deviceId],
  );

  // Messages with files an earlier page left go on; handed to the sync client, each is forgotten once acked.
  useEffect(() => {
    if (!available) return;
    void outgoing.restore();
    return client.subscribe(() => outgoing.outboxChanged());
  }, [available, client, outgoing]);

  // Uploads and sends wait while the hub cannot be reached, and when these screens close.
  useEffect(() => {
    outgoing.setReady(available && connected);
    return () => outgoing.setReady(false);
  }, [available, connected, outgoing]);

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
      fetchFile: session.hubOrigin === undefined ? undefined : session.fetchBlob,
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
