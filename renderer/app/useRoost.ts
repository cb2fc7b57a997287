import { useSyncExternalStore } from 'react';
import type { RoostState } from '../../shared/sync';
import { useClient } from './useClient';

/**
 * A part of the client's state; re-renders only when that part changes.
 * `select` must return a part of the state (or a primitive), never a new
 * object: the client keeps unchanged parts identical, so that is cheap.
 */
export function useRoost<T>(select: (state: RoostState) => T): T {
  const client = useClient();
  return useSyncExternalStore(client.subscribe, () => select(client.getState()));
}
