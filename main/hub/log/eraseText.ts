import { LogError, LogErrorCode } from './errors';
import { deletedLine } from './deletedLine';
import type { LocatedLine } from './readRange';
import type { WriterConfig } from './SegmentWriter';

/**
 * Overwrites a message's text in its segment, in place and durably (deletedLine.ts says how): first the
 * key (one byte, so a crash leaves the line either whole or marked deleted), then the text. Returns false
 * if the line already read as wholly erased (nothing written). Only durable bytes are touched, so the
 * conversation's writer, which appends past them, is never in the way.
 */
export async function eraseText(located: LocatedLine, sealed: boolean, config: WriterConfig): Promise<boolean> {
  const erased = deletedLine(located.bytes);
  if (!erased)
    throw new LogError(
      LogErrorCode.notFound,
      `seq ${located.message.seq} is not a message whose text can be deleted (${located.segment.dataPath})`,
    );
  if (erased.bytes.equals(located.bytes)) return false;
  const { handles, fs } = config;
  const path = located.segment.dataPath;
  const handle = handles.useOpen(path) ?? (await handles.use(path));
  try {
    if (located.bytes[erased.keyAt] !== erased.bytes[erased.keyAt])
      await fs.writeDurable(
        handle,
        erased.bytes.subarray(erased.keyAt, erased.keyAt + 1),
        located.offset + erased.keyAt,
      );
    const { start, end } = erased.text;
    if (!erased.bytes.subarray(start, end).equals(located.bytes.subarray(start, end)))
      await fs.writeDurable(handle, erased.bytes.subarray(start, end), located.offset + start);
  } finally {
    handles.release(path);
  }
  // A sealed segment is never appended to again: its descriptor is better spent elsewhere.
  if (sealed) await handles.close(path);
  return true;
}
