import { useEffect, useRef } from 'react';
import { useClient } from '../app/useClient';

/**
 * At most one read mark per conversation this often
 * (docs/PROTOCOL.md 9.2 asks clients to coalesce; the hub allows 100 frames/s).
 */
const MIN_INTERVAL_MS = 500;

/**
 * Marks the conversation read while the person can see its newest messages:
 * the page is visible and the list is scrolled to the bottom. The client
 * sends it to the hub, which tells this user's other devices.
 */
export function useMarkRead(conversationId: string, seeingLatest: boolean, cursor: number, readSeq: number): void {
  const client = useClient();
  const lastSent = useRef(0);
  useEffect(() => {
    if (!seeingLatest || cursor <= readSeq) return;
    const wait = lastSent.current + MIN_INTERVAL_MS - Date.now();
    const mark = () => {
      lastSent.current = Date.now();
      client.markRead(conversationId);
    };
    if (wait <= 0) {
      mark();
      return;
    }
    const timer = setTimeout(mark, wait);
    return () => clearTimeout(timer);
  }, [client, conversationId, seeingLatest, cursor, readSeq]);
}
