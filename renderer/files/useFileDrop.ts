import { useCallback, useRef, useState, type DragEvent } from 'react';

/** Files a drop or a paste carries, without folders (a dropped folder arrives as an unreadable empty File). */
export function filesOf(data: DataTransfer): File[] {
  const files: File[] = [];
  const items = [...data.items];
  if (items.length === 0) return [...data.files];
  for (const item of items) {
    if (item.kind !== 'file') continue;
    if (item.webkitGetAsEntry?.()?.isDirectory) continue;
    const file = item.getAsFile();
    if (file) files.push(file);
  }
  return files;
}

function carriesFiles(event: DragEvent): boolean {
  return event.dataTransfer.types.includes('Files');
}

/** Drop files onto an element: the handlers to spread on it, and whether files are being dragged over it. */
export function useFileDrop(onFiles: ((files: File[]) => void) | undefined) {
  const [dragging, setDragging] = useState(false);
  // dragenter/dragleave fire for every child crossed; counting them tells when the pointer really left.
  const depth = useRef(0);

  const onDragEnter = useCallback(
    (event: DragEvent) => {
      if (!onFiles || !carriesFiles(event)) return;
      event.preventDefault();
      depth.current++;
      setDragging(true);
    },
    [onFiles],
  );
  const onDragOver = useCallback(
    (event: DragEvent) => {
      if (!onFiles || !carriesFiles(event)) return;
      // Without this the browser opens the dropped file itself, leaving the app.
      event.preventDefault();
      event.dataTransfer.dropEffect = 'copy';
    },
    [onFiles],
  );
  const onDragLeave = useCallback(
    (event: DragEvent) => {
      if (!onFiles || !carriesFiles(event)) return;
      depth.current = Math.max(0, depth.current - 1);
      if (depth.current === 0) setDragging(false);
    },
    [onFiles],
  );
  const onDrop = useCallback(
    (event: DragEvent) => {
      if (!onFiles || !carriesFiles(event)) return;
      event.preventDefault();
      depth.current = 0;
      setDragging(false);
      onFiles(filesOf(event.dataTransfer));
    },
    [onFiles],
  );

  return { dragging, handlers: { onDragEnter, onDragOver, onDragLeave, onDrop } };
}
