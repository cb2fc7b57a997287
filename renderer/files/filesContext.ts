import { createContext } from 'react';
import type { OutgoingFiles } from './OutgoingFiles';

/** What the chat screens use of file transfer; absent where the page cannot reach the hub's /api/files. */
export type FilesService = {
  /** False where the page is not served by the hub (the desktop window): files are listed, not loaded or sent. */
  available: boolean;
  outgoing: OutgoingFiles;
  /** The session cookie is set, so <img> and download links to the hub work. */
  sessionReady: boolean;
  /** Goes up each time the session is renewed, so pictures that failed to load try again. */
  generation: number;
  /** A picture failed to load: perhaps the session is gone (a hub restart), so a new one is asked for. */
  imageFailed: () => void;
};

export const FilesContext = createContext<FilesService | undefined>(undefined);
