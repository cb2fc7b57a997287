import { createContext } from 'react';
import type { OutgoingFiles } from './OutgoingFiles';

/** What the chat screens use of file transfer; absent where the page cannot reach the hub's /api/files. */
export type FilesService = {
  /** False where this page cannot reach the hub's files: they are listed, not loaded or sent. */
  available: boolean;
  outgoing: OutgoingFiles;
  /** The session is open, so pictures and downloads from the hub work. */
  sessionReady: boolean;
  /** Goes up each time the session is renewed, so pictures that failed to load try again. */
  generation: number;
  /** A picture failed to load: perhaps the session is gone (a hub restart), so a new one is asked for. */
  imageFailed: () => void;
  /**
   * Set where the page is not on the hub's origin (the desktop window, app://roost): no cookie reaches the hub,
   * so <img> and download links cannot load a file by its path. Files are fetched with the session header
   * instead, and shown or saved from blob: URLs. Undefined: the page is the hub's, paths work as they are.
   */
  fetchFile?: (path: string, signal?: AbortSignal) => Promise<Blob>;
};

export const FilesContext = createContext<FilesService | undefined>(undefined);
