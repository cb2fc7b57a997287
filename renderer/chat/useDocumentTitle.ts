import { useEffect } from 'react';
import { useRoost } from '../app/useRoost';

/** "(3) Roost · Kitchen": the tab shows unread messages across all conversations. */
export function useDocumentTitle(): void {
  const conversations = useRoost((s) => s.conversations);
  const hubName = useRoost((s) => s.hub?.name);
  let unread = 0;
  for (const c of Object.values(conversations)) unread += c.unreadCount;
  useEffect(() => {
    document.title = `${unread > 0 ? `(${unread}) ` : ''}Roost${hubName ? ` · ${hubName}` : ''}`;
  }, [unread, hubName]);
}
