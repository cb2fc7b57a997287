import { z } from 'zod';

/** A refusal from the hub's /api/files endpoints, or a failure on the way there, in words a person can act on. */
export class FileTransferError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status = 0,
  ) {
    super(message);
    this.name = 'FileTransferError';
  }
}

export const FILE_SESSION_INVALID = 'FILE_SESSION_INVALID';

const ErrorBodySchema = z.object({ error: z.object({ code: z.string().max(64), message: z.string().max(1000) }) });

/** What to say when the hub's answer has no readable body (a HEAD, a proxy's page, a dropped connection). */
const BY_STATUS: Record<number, [code: string, message: string]> = {
  0: ['NETWORK', 'The hub could not be reached. Check the connection and try again.'],
  401: [FILE_SESSION_INVALID, 'This device may no longer use files on the hub.'],
  404: ['FILE_NOT_FOUND', 'The hub does not have this file.'],
  413: ['FILE_TOO_LARGE', 'The file is larger than the hub accepts.'],
  429: ['FILE_UPLOADS_TOO_MANY', 'Too many unfinished uploads. Wait for some to finish.'],
  507: ['HUB_STORAGE_FULL', 'The hub has no space left for files.'],
};

/** The error the hub's JSON body names (`{"error":{"code","message"}}`), else one for the status alone. */
export function fileErrorFrom(status: number, body: string | undefined): FileTransferError {
  const parsed = ErrorBodySchema.safeParse(parseJson(body));
  if (parsed.success) return new FileTransferError(parsed.data.error.code, parsed.data.error.message, status);
  const [code, message] = BY_STATUS[status] ?? ['HTTP_' + status, `The hub answered ${status}. Try again later.`];
  return new FileTransferError(code, message, status);
}

export async function fileErrorOfResponse(response: Response): Promise<FileTransferError> {
  const body = await response.text().catch(() => undefined);
  return fileErrorFrom(response.status, body);
}

/** Whether the hub says the file session is gone (a HEAD has no body: its 401 alone says so). */
export function isSessionInvalid(error: FileTransferError): boolean {
  return error.status === 401 && error.code === FILE_SESSION_INVALID;
}

function parseJson(text: string | undefined): unknown {
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
