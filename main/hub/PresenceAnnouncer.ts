import type { Connection } from './Connection';
import type { Sessions } from './Sessions';
import { shareFrame } from './sharedFrame';

/** How long presence changes are gathered before they are announced. */
export const PRESENCE_FLUSH_MS = 100;

/**
 * Announces users coming online and going offline, gathered for
 * PRESENCE_FLUSH_MS. Sent one by one, a hub restart that brings N users back
 * cost about N x N / 2 socket writes (each user to every connection, each auth in a
 * tick of its own): 1,000 users took 11-13 s to reconnect, 45% of it in those
 * writes. Gathered, each connection gets a window's changes in one write (a
 * few when they pass the 64 KiB at which corked writes are flushed).
 *
 * What is announced is the user's state at the end of the window, so a user
 * who changes several times within one costs one frame per connection, and
 * only to connections whose `ready` snapshot came before the user's last
 * change (snapshotTaken). Not skipped when the state at the end equals the
 * one before the window: a new user's `user` frame already said "online"
 * to everyone, so who believes what before a window is not known here.
 */
export class PresenceAnnouncer {
  /** Numbers the changes. */
  private changes = 0;
  /**
   * Per connection, the last change its `ready` snapshot showed. Weak, so a
   * closed connection needs no clean-up here.
   */
  private readonly seen = new WeakMap<Connection, number>();
  /** Per user changed in this window, the number of their last change. */
  private readonly pending = new Map<string, number>();
  private timer: NodeJS.Timeout | null = null;
  private stopped = false;

  constructor(
    private readonly sessions: Sessions,
    private readonly onError: (err: unknown) => void,
    private readonly flushMs = PRESENCE_FLUSH_MS,
  ) {}

  /** The user's first connection opened or their last one closed. */
  changed(userId: string): void {
    if (this.stopped) return;
    this.changes += 1;
    this.pending.set(userId, this.changes);
    // Unref'd: a pending announcement is no reason to keep a process alive.
    this.timer ??= setTimeout(() => this.flush(), this.flushMs).unref();
  }

  /** Call when a connection's `ready` snapshot is taken: it already shows every change so far. */
  snapshotTaken(conn: Connection): void {
    this.seen.set(conn, this.changes);
  }

  /** Announces what is pending now (the timer calls this). */
  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.pending.size === 0) return;
    const changes = [...this.pending].map(([userId, last]) => ({
      last,
      frame: shareFrame({ type: 'presence', userId, online: this.sessions.isUserOnline(userId) }),
    }));
    this.pending.clear();
    for (const conn of this.sessions.all()) {
      // A ready connection always has a snapshot (enterSession); without one it would see every change.
      const seen = this.seen.get(conn) ?? 0;
      try {
        for (const { last, frame } of changes) if (seen < last) conn.sendShared(frame);
      } catch (err) {
        // Runs from a timer: a throw here would be uncaught, and the connections after this one would miss the window.
        // sendShared is not meant to throw (Connection),
        // so this one connection's stale presence is left to its next reconnect.
        this.onError(err);
      }
    }
  }

  /** Drops what is pending: the hub is closing every connection anyway. */
  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.pending.clear();
  }
}
