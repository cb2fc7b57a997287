import { useEffect, useLayoutEffect, useRef, useState, type FormEvent, type KeyboardEvent } from 'react';
import { fitsTextLength, isBlank, LIMITS, textLength } from '../../shared/protocol';
import { useClient } from '../app/useClient';
import { Icon } from '../ui/Icon';
import { loadDraft, saveDraft } from './drafts';

const MAX_HEIGHT_PX = 180;

type Props = { conversationId: string; placeholder: string; onSent: () => void };

/** Enter sends, Shift+Enter starts a new line. Sending works offline: the message waits in the outbox. */
export function Composer({ conversationId, placeholder, onSent }: Props) {
  const client = useClient();
  const [text, setText] = useState(() => loadDraft(conversationId));
  const [error, setError] = useState<string>();
  const ref = useRef<HTMLTextAreaElement>(null);
  // Counted and judged blank exactly as the hub does (PROTOCOL.md: lengths are code points).
  const tooLong = !fitsTextLength(text, LIMITS.maxTextLength);
  const canSend = !isBlank(text) && !tooLong;

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
      <div className="composer__box">
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
