import { isLoopback, networkKey } from './addressKey';

export type ConnectionQuotaOptions = {
  /** Open WebSockets allowed per address (IPv6: per /64). */
  maxPerAddress: number;
  /**
   * Whether this machine is limited too. Off by default: the hosting desktop,
   * local tools and benchmarks connect over loopback, and a process on the
   * hub's own machine could exhaust it by other means anyway.
   */
  limitLoopback?: boolean;
};

/**
 * Caps the WebSockets one LAN address can hold open, so a single misbehaving
 * device cannot use up the hub's memory and file descriptors for everyone
 * else. A slot is reserved before the upgrade completes, so a burst of
 * handshakes cannot slip past the count.
 */
export class ConnectionQuota {
  private readonly open = new Map<string, number>();

  constructor(private readonly options: ConnectionQuotaOptions) {}

  /** A release function for the reserved slot, or undefined when the address is at its cap. */
  reserve(address: string): (() => void) | undefined {
    if (!this.options.limitLoopback && isLoopback(address)) return () => {};
    const key = networkKey(address);
    const count = this.open.get(key) ?? 0;
    if (count >= this.options.maxPerAddress) return undefined;
    this.open.set(key, count + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const left = (this.open.get(key) ?? 1) - 1;
      if (left > 0) this.open.set(key, left);
      else this.open.delete(key);
    };
  }

  /** Open connections counted for the address (0 for unlimited loopback). */
  count(address: string): number {
    return this.open.get(networkKey(address)) ?? 0;
  }
}
