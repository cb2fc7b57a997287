import type { ClientFrameInput, ServerFrame } from '../protocol';
import { ClientErrorCode, RoostError } from './errors';
import type { HubLink } from './HubLink';
import type { Clock, TimerHandle } from './transport';

type Waiter = { resolve(frame: ServerFrame): void; reject(err: RoostError): void; timer: TimerHandle; type: string };

/**
 * Matches answers to requests by `rid`. An `error` answer rejects with a
 * RoostError carrying the hub's code; losing the connection rejects every
 * open request with DISCONNECTED.
 */
export class Requests {
  private readonly waiting = new Map<string, Waiter>();
  private next = 1;

  constructor(
    private readonly clock: Clock,
    private readonly timeoutMs: number,
    private readonly link: HubLink,
  ) {}

  /** A fresh rid (also used for sends, whose answers the outbox matches itself). */
  newRid(prefix = 'r'): string {
    return `${prefix}${this.next++}`;
  }

  /**
   * Sends `frame` with a fresh rid and waits for the answer. Rejects at once
   * with NOT_CONNECTED if the link is not open, or if `allowed` is false (a
   * request that needs authentication, before `ready`).
   */
  request(frame: ClientFrameInput, allowed = true): Promise<ServerFrame> {
    const rid = this.newRid();
    return new Promise<ServerFrame>((resolve, reject) => {
      if (!allowed || !this.link.send({ ...frame, rid })) {
        reject(
          new RoostError(
            ClientErrorCode.NOT_CONNECTED,
            `Cannot send "${frame.type}": not connected to the hub.`,
            frame.type,
          ),
        );
        return;
      }
      const timer = this.clock.setTimeout(() => {
        this.waiting.delete(rid);
        reject(
          new RoostError(
            ClientErrorCode.TIMEOUT,
            `The hub did not answer "${frame.type}" within ${this.timeoutMs} ms.`,
            frame.type,
          ),
        );
      }, this.timeoutMs);
      this.waiting.set(rid, { resolve, reject, timer, type: frame.type });
    });
  }

  /** Settles the request this frame answers; false if no request was waiting for it. */
  settle(frame: ServerFrame): boolean {
    if (frame.rid === undefined) return false;
    const waiter = this.waiting.get(frame.rid);
    if (!waiter) return false;
    this.waiting.delete(frame.rid);
    this.clock.clearTimeout(waiter.timer);
    if (frame.type === 'error')
      waiter.reject(new RoostError(frame.code, frame.message, frame.frameType ?? waiter.type));
    else waiter.resolve(frame);
    return true;
  }

  /** Rejects every open request (the connection is gone, or the client stopped). */
  failAll(code: ClientErrorCode, message: string): void {
    const waiters = [...this.waiting.values()];
    this.waiting.clear();
    for (const w of waiters) {
      this.clock.clearTimeout(w.timer);
      w.reject(new RoostError(code, message, w.type));
    }
  }
}

/** Narrows an answer to the expected type, or throws UNEXPECTED_ANSWER. */
export function expectAnswer<T extends ServerFrame['type']>(
  frame: ServerFrame,
  type: T,
): Extract<ServerFrame, { type: T }> {
  if (frame.type !== type)
    throw new RoostError(ClientErrorCode.UNEXPECTED_ANSWER, `Expected "${type}" from the hub, got "${frame.type}".`);
  return frame as Extract<ServerFrame, { type: T }>;
}
