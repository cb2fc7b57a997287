import { useState } from 'react';
import { Icon } from '../ui/Icon';
import { saveBlob } from './saveBlob';
import { useFiles } from './useFiles';

type Props = { path: string; saveAs: string; label: string };

/**
 * Download, where a link to the hub's file cannot carry the session (the desktop window): the file is fetched
 * with the session header, then saved from a blob: URL under `saveAs`. Says so if the hub could not give it.
 */
export function FetchedDownloadButton({ path, saveAs, label }: Props) {
  const files = useFiles();
  const [state, setState] = useState<'idle' | 'saving' | 'failed'>('idle');
  const fetchFile = files?.fetchFile;
  if (!fetchFile) return null;
  const save = () => {
    setState('saving');
    fetchFile(path).then(
      (blob) => {
        saveBlob(blob, saveAs);
        setState('idle');
      },
      () => setState('failed'),
    );
  };
  return (
    <button
      type="button"
      className="file-card__download icon-button"
      aria-label={label}
      title={state === 'failed' ? 'The hub could not give this file. Try again.' : 'Download'}
      aria-busy={state === 'saving'}
      disabled={state === 'saving'}
      onClick={save}
      data-testid="download-link"
      data-state={state}
    >
      <Icon name="download" size={18} />
    </button>
  );
}
