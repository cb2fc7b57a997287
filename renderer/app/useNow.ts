import { useEffect, useState } from 'react';

/** The time, refreshed every `intervalMs` while `active` (for countdowns and "5 min ago"). */
export function useNow(intervalMs: number, active = true): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!active) return;
    // Refresh `intervalMs` after the time shown: at once if it went stale while inactive, while a fresh mount waits
    // the full interval instead of rendering again straight away.
    const timer = setTimeout(() => setNow(Date.now()), Math.max(0, now + intervalMs - Date.now()));
    return () => clearTimeout(timer);
  }, [now, intervalMs, active]);
  return now;
}
