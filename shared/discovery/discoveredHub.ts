import { z } from 'zod';
import { HubIdentitySchema } from '../protocol/hubIdentity';
import { IdSchema } from '../protocol/primitives';
import { HttpUrlSchema } from '../protocol/urls';

/** A hub found on the LAN over mDNS and confirmed alive through GET /api/info (main/discovery). */
export const DiscoveredHubSchema = z.object({
  hubId: IdSchema,
  /**
   * The identity the hub proved inside TLS when it answered (never the TXT hint): shown for a person to compare,
   * and pinned if they join it (trust on first use).
   */
  identity: HubIdentitySchema,
  name: z.string().max(255),
  protocolVersion: z.int().min(0),
  /** Whether this app speaks that protocol version. */
  compatible: z.boolean(),
  /** Where /api/info answered, e.g. `https://192.168.1.20:7420/`. */
  url: HttpUrlSchema,
  /** Every address the hub announced, IPv4 first. */
  addresses: z.array(z.string().max(64)).max(16),
  port: z.int().min(1).max(65535),
});
export type DiscoveredHub = z.infer<typeof DiscoveredHubSchema>;
