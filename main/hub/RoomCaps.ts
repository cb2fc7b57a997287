import { ErrorCode } from '../../shared/protocol';
import { HubError } from './HubError';
import { SlidingWindow } from './SlidingWindow';

export type RoomCapOptions = {
  /** Group rooms one user may create within an hour. */
  roomsPerHour: number;
  /** People one user may add to rooms within a minute, by createGroup and addMembers together. */
  membersAddedPerMinute: number;
};

/**
 * The defaults, in one place (docs: "Limits and abuse"). A person makes a few rooms a day and adds
 * a room's people at once; a spammer is held to 480 rooms a day, and every person they add costs
 * them a minute's share. Set either to Infinity to lift it (the benchmark adds 1,000 members).
 */
export const ROOM_CAP_DEFAULTS: RoomCapOptions = { roomsPerHour: 20, membersAddedPerMinute: 60 };

const HOUR = 60 * 60 * 1000;
const MINUTE = 60 * 1000;

/**
 * Caps per user on making rooms and adding people to them (PROTOCOL.md 2.2), counted across all of
 * the user's devices, in memory: a hub restart forgets what was spent. A request is checked whole
 * before anything is spent, so a refused one costs nothing.
 */
export class RoomCaps {
  private readonly rooms: SlidingWindow;
  private readonly members: SlidingWindow;

  constructor(private readonly options: RoomCapOptions = ROOM_CAP_DEFAULTS) {
    this.rooms = new SlidingWindow(HOUR, options.roomsPerHour);
    this.members = new SlidingWindow(MINUTE, options.membersAddedPerMinute);
  }

  /** Spends one room and `added` people, or throws ROOM_RATE_LIMITED / MEMBER_RATE_LIMITED and spends nothing. */
  createRoom(userId: string, added: number, now: number): void {
    const wait = this.rooms.waitFor(userId, 1, now);
    if (wait > 0) {
      throw new HubError(
        ErrorCode.ROOM_RATE_LIMITED,
        `You can create ${this.options.roomsPerHour} rooms an hour. Try again in ${waitText(wait)}.`,
      );
    }
    this.checkMembers(userId, added, now);
    this.rooms.spend(userId, 1, now);
    this.members.spend(userId, added, now);
  }

  /** Spends `added` people, or throws MEMBER_RATE_LIMITED and spends nothing. */
  addMembers(userId: string, added: number, now: number): void {
    this.checkMembers(userId, added, now);
    this.members.spend(userId, added, now);
  }

  private checkMembers(userId: string, added: number, now: number): void {
    const limit = this.options.membersAddedPerMinute;
    const wait = this.members.waitFor(userId, added, now);
    if (wait === 0) return;
    throw new HubError(
      ErrorCode.MEMBER_RATE_LIMITED,
      wait === Number.POSITIVE_INFINITY
        ? `You can add ${limit} people a minute, and this adds ${added}: add them in smaller groups.`
        : `You can add ${limit} people a minute. Try again in ${waitText(wait)}.`,
    );
  }
}

/** "45 s" under two minutes, else whole minutes rounded up (as pairing's refusals say it). */
function waitText(ms: number): string {
  const seconds = Math.max(1, Math.ceil(ms / 1000));
  return seconds < 120 ? `${seconds} s` : `${Math.ceil(seconds / 60)} min`;
}
