import { createContext } from 'react';
import type { RoostClient } from '../../shared/sync';

/** The one sync client of the app, provided once the hub's address is known. */
export const ClientContext = createContext<RoostClient | undefined>(undefined);
