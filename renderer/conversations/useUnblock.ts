import { useState } from 'react';
import { useClient } from '../app/useClient';

/** Unblocking needs no confirmation (it only shows more); a failure is shown where the button is. */
export function useUnblock(): {
  unblock: (userId: string) => void;
  busyId: string | undefined;
  error: string | undefined;
} {
  const client = useClient();
  const [busyId, setBusyId] = useState<string>();
  const [error, setError] = useState<string>();
  const unblock = (userId: string) => {
    setBusyId(userId);
    setError(undefined);
    client
      .unblockUser(userId)
      .catch((err: unknown) => setError(`Not unblocked: ${err instanceof Error ? err.message : String(err)}`))
      .finally(() => setBusyId(undefined));
  };
  return { unblock, busyId, error };
}
