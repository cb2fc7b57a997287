import type { Connection } from './Connection';

/**
 * The index of ready connections by user and device: who is online and where
 * to push. Connections enter when authenticated and leave when closed.
 */
export class Sessions {
  private readonly byUser = new Map<string, Set<Connection>>();
  private readonly byDevice = new Map<string, Set<Connection>>();
  private readonly changeListeners = new Set<() => void>();

  /** Returns true when this made the user online (their first connection). */
  add(conn: Connection): boolean {
    const first = !this.byUser.has(conn.userId);
    addTo(this.byUser, conn.userId, conn);
    addTo(this.byDevice, conn.deviceId, conn);
    this.changed();
    return first;
  }

  /** Returns true when this made the user offline (their last connection). */
  remove(conn: Connection): boolean {
    if (!this.byUser.get(conn.userId)?.has(conn)) return false;
    removeFrom(this.byDevice, conn.deviceId, conn);
    removeFrom(this.byUser, conn.userId, conn);
    this.changed();
    return !this.byUser.has(conn.userId);
  }

  /**
   * Told after every add and remove, and when a connected device is renamed (a host's UI shows who is connected).
   * Returns the unsubscribe.
   */
  onChange(listener: () => void): () => void {
    this.changeListeners.add(listener);
    return () => this.changeListeners.delete(listener);
  }

  /** A connected device changed in a way listeners show (its name): tell them as for a connect. */
  deviceUpdated(deviceId: string): void {
    if (this.byDevice.has(deviceId)) this.changed();
  }

  private changed(): void {
    for (const listener of this.changeListeners) listener();
  }

  ofUser(userId: string): ReadonlySet<Connection> {
    return this.byUser.get(userId) ?? EMPTY;
  }

  ofDevice(deviceId: string): ReadonlySet<Connection> {
    return this.byDevice.get(deviceId) ?? EMPTY;
  }

  isUserOnline(userId: string): boolean {
    return this.byUser.has(userId);
  }

  isDeviceOnline(deviceId: string): boolean {
    return this.byDevice.has(deviceId);
  }

  *all(): Iterable<Connection> {
    for (const set of this.byUser.values()) yield* set;
  }
}

const EMPTY: ReadonlySet<Connection> = new Set();

function addTo(map: Map<string, Set<Connection>>, key: string, conn: Connection): void {
  const set = map.get(key);
  if (set) set.add(conn);
  else map.set(key, new Set([conn]));
}

function removeFrom(map: Map<string, Set<Connection>>, key: string, conn: Connection): void {
  const set = map.get(key);
  if (!set) return;
  set.delete(conn);
  if (set.size === 0) map.delete(key);
}
