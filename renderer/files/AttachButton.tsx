import { useRef } from 'react';
import { Icon } from '../ui/Icon';

/** The paperclip: opens the system's file picker (several files at once). */
export function AttachButton({ onFiles, disabled }: { onFiles: (files: File[]) => void; disabled?: boolean }) {
  const input = useRef<HTMLInputElement>(null);
  return (
    <>
      <button
        type="button"
        className="composer__attach icon-button"
        aria-label="Attach files"
        title="Attach files"
        disabled={disabled}
        onClick={() => input.current?.click()}
        data-testid="attach-button"
      >
        <Icon name="paperclip" size={20} />
      </button>
      <input
        ref={input}
        type="file"
        multiple
        hidden
        tabIndex={-1}
        aria-hidden="true"
        data-testid="attach-input"
        onChange={(event) => {
          const files = [...(event.target.files ?? [])];
          // Cleared, so choosing the same file again still counts as a change.
          event.target.value = '';
          onFiles(files);
        }}
      />
    </>
  );
}
