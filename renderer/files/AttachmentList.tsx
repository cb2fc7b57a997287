import { memo, useState } from 'react';
import { fileDownloadPath, formatBytes, thumbnailDownloadPath, type AttachmentWire } from '../../shared/protocol';
import { isExecutableFile } from '../../shared/files/riskyFileTypes';
import { sanitizeFileName } from '../../shared/files/safeFileName';
import { Icon } from '../ui/Icon';
import { fileEmoji, fitImage, isInlineImage, type ImageSize } from './attachmentLayout';
import { FetchedDownloadButton } from './FetchedDownloadButton';
import { useFileObjectUrl } from './useFileObjectUrl';
import { useFiles } from './useFiles';
import './files.css';

type Props = {
  conversationId: string;
  /** The message's seq; undefined while it is on its way (the files are not downloadable yet). */
  seq: number | undefined;
  attachments: readonly AttachmentWire[];
  /** Opens the viewer on attachment `index` of this message. */
  onOpenImage?: (seq: number, index: number) => void;
};

/** The files of one message: pictures inline, the others as cards with a download link. */
export const AttachmentList = memo(function AttachmentList({ conversationId, seq, attachments, onOpenImage }: Props) {
  return (
    <div className="attachments" data-testid="attachments">
      {attachments.map((attachment, index) => {
        const href = seq === undefined ? undefined : fileDownloadPath(conversationId, seq, index);
        // The timeline shows a picture's thumbnail where the sender made one; the viewer shows the file.
        const shown =
          seq !== undefined && attachment.thumbnail ? thumbnailDownloadPath(conversationId, seq, index) : href;
        return isInlineImage(attachment) ? (
          // An attachment's index is its identity (its URL).
          <InlineImage
            key={index}
            href={shown}
            attachment={attachment}
            onOpen={() => seq !== undefined && onOpenImage?.(seq, index)}
          />
        ) : (
          <FileCard key={index} href={href} attachment={attachment} />
        );
      })}
    </div>
  );
});

/**
 * A picture at its own aspect ratio. Its box is sized from `image` by the width and height attributes before a
 * byte has loaded (CSS only narrows it), so the row is measured at its final height and the list never jumps.
 */
function InlineImage({
  href,
  attachment,
  onOpen,
}: {
  href: string | undefined;
  attachment: AttachmentWire & { image: ImageSize };
  onOpen: () => void;
}) {
  const files = useFiles();
  const size = fitImage(attachment.image);
  const generation = files?.generation ?? 0;
  const [failedAt, setFailedAt] = useState<number>();
  const failed = () => {
    setFailedAt(generation);
    files?.imageFailed();
  };
  // Until the session is open, the hub would refuse the picture: the reserved box waits empty.
  const ready = (files?.sessionReady ?? true) && href !== undefined;
  // The desktop window cannot load it by its path: it is fetched with the session header, shown from a blob: URL.
  const fetched = useFileObjectUrl(ready ? files?.fetchFile : undefined, href, generation, failed);
  const src = files?.fetchFile ? fetched.url : href;
  // This page cannot reach the hub's files: the box stays, saying so.
  const broken = failedAt === generation || files?.available === false;
  return (
    <button
      type="button"
      className="attachment-image"
      aria-label={`Open picture ${attachment.name}`}
      onClick={onOpen}
      data-testid="attachment-image"
    >
      {ready && !broken && src !== undefined ? (
        <img
          // A new session (a hub restart) gives the picture another try.
          key={generation}
          className="attachment-image__img"
          src={src}
          alt={attachment.name}
          width={size.width}
          height={size.height}
          decoding="async"
          onError={failed}
        />
      ) : (
        <span className="attachment-image__placeholder">
          <svg
            width={size.width}
            height={size.height}
            viewBox={`0 0 ${size.width} ${size.height}`}
            aria-hidden="true"
            focusable="false"
          />
          {broken && <span className="attachment-image__broken">Picture not available</span>}
        </span>
      )}
    </button>
  );
}

/** Any other file: what it is, how big, and a link that saves it under a name safe for this device. */
function FileCard({ href, attachment }: { href: string | undefined; attachment: AttachmentWire }) {
  const files = useFiles();
  const saveAs = sanitizeFileName(attachment.name);
  const executable = isExecutableFile(saveAs, attachment.type);
  return (
    <div className={`file-card${executable ? ' file-card--warn' : ''}`} data-testid="file-card">
      <span className="file-card__emoji" aria-hidden="true">
        {fileEmoji(attachment.type, executable)}
      </span>
      <span className="file-card__text">
        <span className="file-card__name" title={attachment.name}>
          {attachment.name}
        </span>
        <span className="file-card__meta">
          {formatBytes(attachment.size)} · {attachment.type}
        </span>
        {executable && (
          <span className="file-card__warning" data-testid="executable-warning">
            ⚠️ This file can run programs. Open it only if you expected it from this person.
          </span>
        )}
      </span>
      {href !== undefined && files?.fetchFile && files.sessionReady && (
        <FetchedDownloadButton path={href} saveAs={saveAs} label={`Download ${attachment.name}`} />
      )}
      {href !== undefined && !files?.fetchFile && (files === undefined || files.sessionReady) && (
        <a
          className="file-card__download icon-button"
          href={href}
          download={saveAs}
          aria-label={`Download ${attachment.name}`}
          title="Download"
          data-testid="download-link"
        >
          <Icon name="download" size={18} />
        </a>
      )}
    </div>
  );
}
