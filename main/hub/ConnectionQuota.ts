import { hostKey, isLoopback, networkKey } from './addressKey';

export type ConnectionQuotaOptions = {
  /** Open TCP connections (plain HTTP and WebSocket alike) one device address may hold. */
  maxPerAddress: number;
  /**
   * Open connections one network may hold: an IPv6 /64, which one host can rotate its
   * address through at will (an IPv4 address is its own network, so maxPerAddress rules).
   */
  maxPerNetwork: number;
  /**
   * Open connections of the whole hub, loopback included: a cap below the process's file
   * descriptor limit, so that connections can never take the descriptors the message log
   * and the registry need.
   */
  maxConnections: number;
  /**
   * Whether this machine is limited per address too. Off by default: the hosting desktop,
   * local tools and benchmarks connect over loopback, and a process on the hub's own
   * machine could exhaust it by other means anyway. maxConnections always counts it.
   */
  limitLoopback?: boolean;
};

export type QuotaVerdict =
  { ok: true; release: () => void } | { ok: false; over: 'address' | 'network' | 'hub'; open: number };

/**
 * Caps the connections one device address, one network and the whole hub can
 * hold open, so a single misbehaving device cannot use up the hub's memory and
 * file descriptors for everyone else. A slot is taken when the TCP connection
 * is accepted, before any request on it is read.
 */
export class ConnectionQuota {
  private readonly open = new Map<string, number>();
  private total = 0;

  constructor(private readonly options: ConnectionQuotaOptions) {}

  reserve(address: string): QuotaVerdict {
    if (this.total >= this.options.maxConnections) return { ok: false, over: 'hub', open: this.total };
    if (!this.options.limitLoopback && isLoopback(address)) return { ok: true, release: this.take([]) };
    const host = hostKey(address);
    const network = networkKey(address);
    const hostOpen = this.count(host);
    if (hostOpen >= this.options.maxPerAddress) return { ok: false, over: 'address', open: hostOpen };
    // An IPv4 address is its own network: counted once, under maxPerAddress.
    if (network === host) return { ok: true, release: this.take([host]) };
    const networkOpen = this.count(network);
    if (networkOpen >= this.options.maxPerNetwork) return { ok: false, over: 'network', open: networkOpen };
    return { ok: true, release: this.take([host, network]) };
  }

  /** Connections open from this device address (0 for unlimited loopback). */
  openFrom(address: string): number {
    return this.count(hostKey(address));
  }

  /** Connections open to the hub. */
  get openTotal(): number {
    return this.total;
  }

  private count(key: string): number {
    return this.open.get(key) ?? 0;
  }

  private take(keys: string[]): () => void {
    this.total += 1;
    for (const key of keys) this.open.set(key, this.count(key) + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.total -= 1;
      for (const key of keys) {
        const left = this.count(key) - 1;
        if (left > 0) this.open.set(key, left);
        else this.open.delete(key);
      }
    };
  }
}
