import { useContext } from 'react';
import type { RoostClient } from '../../shared/sync';
import { ClientContext } from './clientContext';

export function useClient(): RoostClient {
  const client = useContext(ClientContext);
  if (!client) throw new Error('useClient() needs a <ClientContext.Provider> above it.');
  return client;
}
