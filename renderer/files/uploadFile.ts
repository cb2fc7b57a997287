import { Upload, type DetailedError, type HttpStack } from 'tus-js-client';
import { FILE_UPLOADS_PATH, UPLOAD_ID_PATTERN } from '../../shared/protocol';
import { fileErrorFrom, FileTransferError, isSessionInvalid } from './fileErrors';
import type { FileSession } from './FileSession';

/** Chunks of this size per PATCH: large enough to keep a LAN busy, small enough that a lost one costs little. */
export const UPLOAD_CHUNK_BYTES = 16 * 1024 * 1024;
/** Waits between attempts after a network failure or a 5xx; a success resets the count (tus-js-client). */
const RETRY_DELAYS_MS = [0, 1_000, 3_000, 5_000, 10_000, 20_000, 30_000];

export type UploadOptions = {
  /** The file's SHA-256: it names the upload for resuming, so the same bytes resume wherever they come from. */
  sha256: string;
  session: FileSession;
  signal: AbortSignal;
  onProgress: (bytesSent: number, total: number) => void;
  /** Tests only: requests go here instead of the network. */
  httpStack?: HttpStack;
};

/**
 * Uploads `file` to the hub by tus (appendix F.3) and resolves with the upload's id. An upload interrupted
 * (network, reload, hub restart) resumes from what the hub holds: tus-js-client keeps its URL in localStorage,
 * keyed by the file's hash, and forgets it on success. Aborting `signal` stops it and deletes it on the hub.
 */
export function uploadFile(file: Blob, options: UploadOptions): Promise<string> {
  const { session, signal } = options;
  return new Promise<string>((resolve, reject) => {
    let renewed = false;
    const upload: Upload = new Upload(file, {
      // The hub's absolute address in the desktop window (its origin is not the hub's); the page's own path else.
      endpoint: session.url(FILE_UPLOADS_PATH),
      chunkSize: UPLOAD_CHUNK_BYTES,
      retryDelays: RETRY_DELAYS_MS,
      storeFingerprintForResuming: true,
      removeFingerprintOnSuccess: true,
      // The desktop window may join another hub later: its uploads resume only on the hub that has them.
      fingerprint: () => Promise.resolve(`roost-upload-${hubPart(session)}${options.sha256}-${file.size}`),
      // Every request waits for the session, a renewed one included. With the cookie it travels by itself; in the
      // desktop window it is the Authorization header, set on each request rather than once (tus-js-client's
      // `headers`), so a renewed session is the one sent.
      onBeforeRequest: async (request) => {
        await session.ensure();
        for (const [name, value] of Object.entries(session.authorization())) request.setHeader(name, value);
      },
      // tus-js-client takes any 4xx to HEAD for "upload gone" and starts over from zero. A 401 there is the
      // session (a restarted hub forgets them all): renew it and let the retry HEAD again, resuming.
      onAfterResponse: (request, response) => {
        if (request.getMethod() !== 'HEAD' || response.getStatus() !== 401) return;
        void session.renew().catch(() => {});
        throw new FileTransferError('FILE_SESSION_INVALID', 'The file session ended; renewing it.');
      },
      onProgress: (sent, total) => options.onProgress(sent, total),
      ...(options.httpStack && { httpStack: options.httpStack }),
      onShouldRetry: (error) => {
        const refusal = refusalOf(error);
        if (refusal && isSessionInvalid(refusal) && !renewed) {
          // The hub restarted or the session expired: one new session, then try again (it resumes).
          renewed = true;
          void session.renew().catch(() => {});
          return true;
        }
        return refusal === undefined || isTransient(refusal.status);
      },
      onSuccess: () => {
        signal.removeEventListener('abort', onAbort);
        const id = upload.url?.split('/').pop() ?? '';
        if (UPLOAD_ID_PATTERN.test(id)) resolve(id);
        else
          reject(new FileTransferError('BAD_LOCATION', 'The hub answered with an upload address Roost does not know.'));
      },
      onError: (error) => {
        signal.removeEventListener('abort', onAbort);
        reject(refusalOf(error) ?? new FileTransferError('NETWORK', `The upload failed: ${error.message}`));
      },
    });
    const onAbort = () => {
      // true: the upload is deleted on the hub as well (tus termination).
      void upload.abort(true).catch(() => {});
      reject(signal.reason instanceof Error ? signal.reason : new DOMException('Cancelled', 'AbortError'));
    };
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    void upload
      .findPreviousUploads()
      .then((previous) => {
        if (signal.aborted) return;
        if (previous[0]) upload.resumeFromPreviousUpload(previous[0]);
        upload.start();
      })
      .catch(() => upload.start());
  });
}

/** The hub's answer in an upload error, if the hub answered at all. */
function refusalOf(error: Error | DetailedError): FileTransferError | undefined {
  const response = 'originalResponse' in error ? error.originalResponse : null;
  if (!response) return undefined;
  return fileErrorFrom(response.getStatus(), response.getBody());
}

/** Worth trying again: the hub is busy or briefly unwell, not refusing (a full disk or a quota stays so). */
function isTransient(status: number): boolean {
  return status === 409 || status === 423 || (status >= 500 && status !== 507);
}

/** The hub in an upload's fingerprint: none for the page's own hub (as before), its origin for the desktop's. */
function hubPart(session: FileSession): string {
  return session.hubOrigin === undefined ? '' : `${session.hubOrigin}-`;
}
