import { useSyncExternalStore } from 'react';
import type { OutgoingBatch, OutgoingFiles } from './OutgoingFiles';

const NONE: readonly OutgoingBatch[] = [];
const noStore = () => () => {};

/** The messages with files on their way to one conversation, from this page. */
export function useOutgoingFiles(outgoing: OutgoingFiles | undefined, conversationId: string): OutgoingBatch[] {
  const all = useSyncExternalStore(outgoing?.subscribe ?? noStore, outgoing?.getSnapshot ?? (() => NONE));
  return all.filter((b) => b.conversationId === conversationId);
}
