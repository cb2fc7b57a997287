/** A server under test, listening on loopback. */
export type RunningServer = {
  port: number;
  /** For the Roost hub only: a one-time join token for the sender to pair with. */
  joinToken?: () => string;
  /** For the Roost hub only: its identity, which clients over TLS check its proof against. */
  identity?: string;
  stop(): Promise<void>;
};

/** Loopback only: the benchmark never puts traffic on a real interface. */
export const HOST = '127.0.0.1';

/** How a client tells the bare servers that it is the sender, not a receiver. */
export const SENDER_PATH = '/send';
