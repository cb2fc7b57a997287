import {
  useEffect,
  useLayoutEffect,
  useRef,
  useState,
  type ClipboardEvent,
  type FormEvent,
  type KeyboardEvent,
} from 'react';
import { fitsTextLength, isBlank, LIMITS, textLength } from '../../shared/protocol';
import { useClient } from '../app/useClient';
import { AttachButton } from '../files/AttachButton';
import { FileChips } from '../files/FileChips';
import { OutgoingTransfers } from '../files/OutgoingTransfers';
import type { AttachmentDraft } from '../files/useAttachmentDraft';
import { filesOf } from '../files/useFileDrop';
import { useFiles } from '../files/useFiles';
import { useOutgoingFiles } from '../files/useOutgoingFiles';
import { mayHavePhotoDetails, withoutPhotoDetails } from '../files/photoDetails';
import { Icon } from '../ui/Icon';
import { loadDraft, saveDraft } from './drafts';

const MAX_HEIGHT_PX = 180;

type Props = {
  conversationId: string;
  placeholder: string;
  onSent: () => void;
  /** The files chosen for the next message (dropped onto the conversation too); absent where files are not. */
  attachments?: AttachmentDraft;
};

/**
 * Enter sends, Shift+Enter starts a new line. Sending works offline: the message waits in the outbox.
 * With files, it is sent once they are uploaded (with progress and Cancel above the box); the text may then
 * be empty.
 */
export function Composer({ conversationId, placeholder, onSent, attachments }: Props) {
  const client = useClient();
  const files = useFiles();
  const outgoing = useOutgoingFiles(files?.outgoing, conversationId);
  const [text, setText] = useState(() => loadDraft(conversationId));
  const [error, setError] = useState<string>();
  // Per message: pictures lose their location and camera details unless the person keeps them.
  const [keepDetails, setKeepDetails] = useState(false);
  const ref = useRef<HTMLTextAreaElement>(null);
  const chosen = attachments?.files ?? [];
  const withFiles = files !== undefined && files.available && attachments !== undefined;
  // Counted and judged blank exactly as the hub does (PROTOCOL.md: lengths are code points).
  const tooLong = !fitsTextLength(text, LIMITS.maxTextLength);
  const canSend = (!isBlank(text) || (withFiles && chosen.length > 0)) && !tooLong;

  useEffect(() => saveDraft(conversationId, text), [conversationId, text]);

  // Focus on open where a keyboard is at hand; on a phone that would pop the on-screen keyboard over the messages.
  useEffect(() => {
    if (matchMedia('(pointer: fine)').matches) ref.current?.focus();
  }, []);

  // Grow with the text up to a limit (CSSOM writes are allowed by the CSP, unlike style attributes).
  useLayoutEffect(() => {
    const area = ref.current;
    if (!area) return;
    area.style.height = 'auto';
    area.style.height = `${Math.min(area.scrollHeight, MAX_HEIGHT_PX)}px`;
  }, [text]);

  const send = () => {
    if (!canSend) return;
    const outgoing = text;
    setText('');
    setError(undefined);
    if (withFiles && chosen.length > 0) {
      const outbox = files.outgoing;
      const picked = [...chosen];
      attachments.clear();
      setKeepDetails(false);
      onSent();
      const ready = keepDetails ? Promise.resolve(picked) : Promise.all(picked.map(withoutPhotoDetails));
      ready
        .then((toSend) => outbox.start(conversationId, isBlank(outgoing) ? '' : outgoing, toSend))
        .catch((err: unknown) => {
          attachments.add(picked);
          setText((current) => current || outgoing);
          setError(`Not sent: ${err instanceof Error ? err.message : String(err)}`);
        });
      return;
    }
    client.send(conversationId, outgoing).catch((err: unknown) => {
      setText((current) => current || outgoing);
      setError(`Not sent: ${err instanceof Error ? err.message : String(err)}`);
    });
    onSent();
  };

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    send();
  };

  // A picture or file pasted from the clipboard is attached; pasted text stays text.
  const onPaste = (event: ClipboardEvent<HTMLTextAreaElement>) => {
    if (!withFiles) return;
    const pasted = filesOf(event.clipboardData);
    if (pasted.length === 0) return;
    event.preventDefault();
    attachments.add(pasted);
  };

  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (event.key === 'Enter' && !event.shiftKey && !event.altKey && !event.nativeEvent.isComposing) {
      event.preventDefault();
      send();
    }
  };

  return (
    <form className="composer" onSubmit={onSubmit}>
      {(error || tooLong) && (
        <p className="composer__error" role="alert">
          {tooLong
            ? `Too long: ${textLength(text).toLocaleString()} of ${LIMITS.maxTextLength.toLocaleString()} characters.`
            : error}
        </p>
      )}
      {files && (
        <OutgoingTransfers
          batches={outgoing}
          onCancel={(id) => files.outgoing.cancel(id)}
          onRetry={(id) => files.outgoing.retry(id)}
        />
      )}
      {attachments?.notice && (
        <p className="composer__error" role="alert">
          {attachments.notice}
        </p>
      )}
      {withFiles && <FileChips files={chosen} onRemove={attachments.remove} />}
      {withFiles && chosen.some(mayHavePhotoDetails) && (
        <label className="composer__keep-details">
          <input type="checkbox" checked={keepDetails} onChange={(e) => setKeepDetails(e.target.checked)} />
          Keep photo details (location, camera, time)
        </label>
      )}
      <div className="composer__box">
        {withFiles && <AttachButton onFiles={attachments.add} />}
        <textarea
          ref={ref}
          className="composer__input"
          aria-label="Message"
          placeholder={placeholder}
          rows={1}
          value={text}
          onChange={(e) => {
            setText(e.target.value);
            if (e.target.value.trim()) client.notifyTyping(conversationId);
          }}
          onKeyDown={onKeyDown}
          onPaste={onPaste}
          enterKeyHint="send"
          data-testid="composer"
        />
        <button
          type="submit"
          className="composer__send"
          aria-label="Send"
          title="Send (Enter)"
          disabled={!canSend}
          data-testid="send-button"
        >
          <Icon name="send" size={20} />
        </button>
      </div>
    </form>
  );
}
