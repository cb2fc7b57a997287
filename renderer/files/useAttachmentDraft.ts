import { useCallback, useMemo, useState } from 'react';
import { LIMITS } from '../../shared/protocol';

/** The files chosen for the next message of a conversation, before it is sent. */
export type AttachmentDraft = {
  files: readonly File[];
  /** Why some files were not added (the limit per message), until the next change. */
  notice: string | undefined;
  add: (files: Iterable<File>) => void;
  remove: (index: number) => void;
  clear: () => void;
};

export function useAttachmentDraft(): AttachmentDraft {
  const [files, setFiles] = useState<readonly File[]>([]);
  const [notice, setNotice] = useState<string>();

  const add = useCallback(
    (added: Iterable<File>) => {
      const incoming = [...added];
      if (incoming.length === 0) return;
      const room = Math.max(0, LIMITS.maxAttachments - files.length);
      const left = incoming.length - room;
      setNotice(left > 0 ? `A message takes at most ${LIMITS.maxAttachments} files; ${left} not added.` : undefined);
      if (room > 0) setFiles([...files, ...incoming.slice(0, room)]);
    },
    [files],
  );

  const remove = useCallback((index: number) => {
    setNotice(undefined);
    setFiles((current) => current.filter((_, i) => i !== index));
  }, []);

  const clear = useCallback(() => {
    setNotice(undefined);
    setFiles([]);
  }, []);

  return useMemo(() => ({ files, notice, add, remove, clear }), [files, notice, add, remove, clear]);
}
