import { formatBytes } from '../../shared/protocol';
import { declaredMediaType } from '../../shared/files/attachmentFields';
import { isExecutableFile } from '../../shared/files/riskyFileTypes';
import { Icon } from '../ui/Icon';
import { fileEmoji } from './attachmentLayout';
import './files.css';

/** The files chosen for the next message, each removable before sending. */
export function FileChips({ files, onRemove }: { files: readonly File[]; onRemove: (index: number) => void }) {
  if (files.length === 0) return null;
  return (
    <ul className="file-chips" aria-label="Files to send" data-testid="file-chips">
      {files.map((file, index) => {
        const executable = isExecutableFile(file.name, declaredMediaType(file.type));
        return (
          // Files have no id; the same file may be chosen twice on purpose, so its place is its key.
          <li key={index} className="file-chip" data-testid="file-chip">
            <span className="file-chip__emoji" aria-hidden="true">
              {fileEmoji(declaredMediaType(file.type), executable)}
            </span>
            <span className="file-chip__name" title={file.name}>
              {file.name}
            </span>
            <span className="file-chip__size">{formatBytes(file.size)}</span>
            {executable && <span className="sr-only">(a program)</span>}
            <button
              type="button"
              className="file-chip__remove icon-button"
              aria-label={`Remove ${file.name}`}
              title="Remove"
              onClick={() => onRemove(index)}
            >
              <Icon name="close" size={14} />
            </button>
          </li>
        );
      })}
    </ul>
  );
}
