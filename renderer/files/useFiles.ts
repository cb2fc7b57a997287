import { useContext } from 'react';
import { FilesContext, type FilesService } from './filesContext';

/** File transfer, or undefined where this page cannot use the hub's files (the desktop window, a test). */
export function useFiles(): FilesService | undefined {
  return useContext(FilesContext);
}
