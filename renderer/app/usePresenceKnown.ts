import { useRoost } from './useRoost';

/** Whether who-is-online is current: only while connected. Offline, the last known presence would mislead. */
export function usePresenceKnown(): boolean {
  return useRoost((s) => s.status === 'connected');
}
