import { useEffect, useId, useRef, type KeyboardEvent } from 'react';
import { fileDownloadPath, formatBytes } from '../../shared/protocol';
import { sanitizeFileName } from '../../shared/files/safeFileName';
import { Icon } from '../ui/Icon';
import type { ConversationImage } from './attachmentLayout';
import { useFileObjectUrl } from './useFileObjectUrl';
import { useFiles } from './useFiles';
import './files.css';

export type ImagePosition = { seq: number; index: number };

type Props = {
  conversationId: string;
  /** Every picture of the conversation's loaded messages, oldest first. */
  images: readonly ConversationImage[];
  /** The picture shown; undefined: closed. */
  at: ImagePosition | undefined;
  onMove: (to: ImagePosition) => void;
  onClose: () => void;
};

/**
 * A picture at the size of the window, on the native modal <dialog> (focus trapped, Esc closes, focus goes
 * back to the picture that opened it). The arrow keys, and the buttons beside it, move through the pictures
 * of the conversation.
 */
export function ImageViewer({ conversationId, images, at, onMove, onClose }: Props) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const position = at ? images.findIndex((i) => i.seq === at.seq && i.index === at.index) : -1;
  const current = position >= 0 ? images[position] : undefined;
  const open = current !== undefined;

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) dialog.showModal();
    if (!open && dialog.open) dialog.close();
  }, [open]);

  const move = (step: number) => {
    const next = images[position + step];
    if (next) onMove({ seq: next.seq, index: next.index });
  };

  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key === 'ArrowLeft') move(-1);
    else if (event.key === 'ArrowRight') move(1);
    else return;
    event.preventDefault();
  };

  const href = current && fileDownloadPath(conversationId, current.seq, current.index);
  // The desktop window cannot load it by its path: fetched with the session header, shown from a blob: URL.
  const files = useFiles();
  const fetched = useFileObjectUrl(files?.fetchFile, href, files?.generation ?? 0);
  const src = files?.fetchFile ? fetched.url : href;
  return (
    <dialog
      ref={ref}
      className="image-viewer"
      aria-labelledby={titleId}
      onClose={onClose}
      onKeyDown={onKeyDown}
      onClick={(event) => {
        if (event.target === event.currentTarget) onClose();
      }}
      data-testid="image-viewer"
    >
      {current && href && (
        <div className="image-viewer__panel">
          <div className="image-viewer__header">
            <h2 id={titleId} className="image-viewer__title" title={current.attachment.name}>
              {current.attachment.name}
            </h2>
            <span className="image-viewer__count">
              {position + 1} of {images.length} · {formatBytes(current.attachment.size)}
            </span>
            <a
              className="icon-button"
              href={src}
              download={sanitizeFileName(current.attachment.name)}
              aria-label={`Save ${current.attachment.name}`}
              title="Save"
              data-testid="viewer-save"
            >
              <Icon name="download" />
            </a>
            <button type="button" className="icon-button" aria-label="Close" onClick={onClose}>
              <Icon name="close" />
            </button>
          </div>
          <div className="image-viewer__stage">
            <button
              type="button"
              className="icon-button image-viewer__step"
              aria-label="Previous picture"
              // aria-disabled, not disabled: a disabled button loses the focus, and the arrow keys with it.
              aria-disabled={position === 0}
              onClick={() => move(-1)}
            >
              <Icon name="back" />
            </button>
            <img
              key={src ?? href}
              className="image-viewer__img"
              src={src}
              alt={current.attachment.name}
              width={current.attachment.image.width}
              height={current.attachment.image.height}
            />
            <button
              type="button"
              className="icon-button image-viewer__step"
              aria-label="Next picture"
              aria-disabled={position === images.length - 1}
              onClick={() => move(1)}
            >
              <Icon name="forward" />
            </button>
          </div>
        </div>
      )}
    </dialog>
  );
}
