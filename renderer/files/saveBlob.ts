/**
 * How long a saved file's blob: URL lives: the browser starts the download after the click returns, and a
 * URL revoked before that saves nothing; past it, the bytes are not held for the page's lifetime.
 */
const SAVE_URL_LIFETIME_MS = 60_000;

/**
 * Saves `blob` as `name` through an <a download> of a blob: URL (the desktop window, whose page cannot link to
 * the hub's file). Typed as bytes, whatever the hub said, so the URL can never be shown as a page of this
 * origin. The whole file is in memory first: fine for the sizes people send, not for files of several GB.
 */
export function saveBlob(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob.slice(0, blob.size, 'application/octet-stream'));
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  link.hidden = true;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), SAVE_URL_LIFETIME_MS);
}
