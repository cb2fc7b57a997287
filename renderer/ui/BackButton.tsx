import { Icon } from './Icon';

/** The pane header's way back to the conversation list (shown on narrow screens only, by CSS). */
export function BackButton({ onBack, testId }: { onBack: () => void; testId?: string }) {
  return (
    <button
      type="button"
      className="icon-button pane-header__back"
      aria-label="Back to conversations"
      onClick={onBack}
      data-testid={testId}
    >
      <Icon name="back" />
    </button>
  );
}
