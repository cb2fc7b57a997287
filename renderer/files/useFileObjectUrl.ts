import { useEffect, useEffectEvent, useState } from 'react';

export type FileObjectUrl = { url: string | undefined; failed: boolean };

/**
 * The file at `path` as a blob: URL, for a page that cannot load it by its path (filesContext.fetchFile).
 * Fetched again when `attempt` changes (a renewed session); the URL is revoked when the file changes or the
 * component goes, so the bytes are not kept for the page's lifetime. Nothing is fetched while `fetchFile` or
 * `path` is undefined. `onFailed` is told once per failed fetch.
 */
export function useFileObjectUrl(
  fetchFile: ((path: string, signal?: AbortSignal) => Promise<Blob>) | undefined,
  path: string | undefined,
  attempt: number,
  onFailed?: () => void,
): FileObjectUrl {
  const failed = useEffectEvent(() => onFailed?.());
  const key = fetchFile && path !== undefined ? `${attempt} ${path}` : undefined;
  const [state, setState] = useState<{ key: string; url?: string; failed: boolean }>();

  useEffect(() => {
    if (!fetchFile || path === undefined || key === undefined) return;
    const abort = new AbortController();
    let url: string | undefined;
    fetchFile(path, abort.signal).then(
      (blob) => {
        if (abort.signal.aborted) return;
        url = URL.createObjectURL(blob);
        setState({ key, url, failed: false });
      },
      () => {
        if (abort.signal.aborted) return;
        setState({ key, failed: true });
        failed();
      },
    );
    return () => {
      abort.abort();
      if (url) URL.revokeObjectURL(url);
    };
  }, [fetchFile, path, key]);

  // A state left from another file (or attempt) says nothing about this one.
  if (!state || state.key !== key) return { url: undefined, failed: false };
  return { url: state.url, failed: state.failed };
}
