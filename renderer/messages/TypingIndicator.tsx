import type { TypingUser } from '../../shared/sync';
import { useRoost } from '../app/useRoost';
import { typingText } from '../conversations/conversationSummaries';

/** "Ann is typing…", in a polite live region that keeps its height so the list does not jump. */
export function TypingIndicator({ typing }: { typing: readonly TypingUser[] }) {
  const users = useRoost((s) => s.users);
  const names = [...new Set(typing.map((t) => users[t.userId]?.displayName ?? 'Someone'))];
  const text = typingText(names);
  return (
    <div className="typing" aria-live="polite" data-testid="typing-indicator" data-typing={names.length > 0}>
      {text && (
        <>
          <span className="typing__dots" aria-hidden="true">
            <span />
            <span />
            <span />
          </span>
          {text}
        </>
      )}
    </div>
  );
}
