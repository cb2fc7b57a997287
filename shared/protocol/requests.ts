import type { ClientFrameType } from './clientFrames';
import { CloseCode, ErrorCode } from './codes';
import type { ServerFrameType } from './serverFrames';

/** The connection state a request is handled in (docs/PROTOCOL.md 5.3); `any` includes before `hello`. */
export type RequestState = 'any' | 'connected' | 'greeted' | 'ready';

export type RequestPush = {
  readonly frame: ServerFrameType;
  /** Who receives it, and when. */
  readonly to: string;
};

/**
 * What a request gets back: its answer, what it makes the hub send to others,
 * and how it can be refused. docs/protocol/frames.md is generated from this
 * table and the schemas; the hub's own behaviour is tested against it.
 */
export type RequestSpec = {
  readonly state: RequestState;
  /** The frame that carries the request's `rid` (one of these); an `error` can always come instead. */
  readonly answer: readonly ServerFrameType[];
  /** `withRid`: fire-and-forget without a rid (no `ok`, errors still sent). */
  readonly answered: 'always' | 'withRid';
  readonly pushes: readonly RequestPush[];
  readonly closes?: { readonly code: CloseCode; readonly to: string };
  /** Refusals of this request itself; see requestErrors for every code it can get. */
  readonly errors: readonly ErrorCode[];
  /** Where docs/PROTOCOL.md specifies it. */
  readonly section: string;
};

const MEMBERSHIP = [ErrorCode.NOT_FOUND, ErrorCode.NOT_A_MEMBER] as const;

/** What a successful pairing (`pair`, `pakeFinish`) makes the hub send. */
const PAIRED_PUSHES: readonly RequestPush[] = [
  { frame: 'ready', to: 'this connection, right after `paired` (without rid)' },
  { frame: 'user', to: 'every other ready connection, when the pairing created a user' },
  { frame: 'conversation', to: 'every other ready connection (general gained a member), when it created a user' },
  { frame: 'presence', to: "connections ready before, when it is the user's first ready connection (10.1)" },
  { frame: 'devices', to: "the user's other ready connections" },
];

export const REQUESTS = {
  ping: { state: 'any', answer: ['pong'], answered: 'always', pushes: [], errors: [], section: '10.3' },
  hello: {
    state: 'connected',
    answer: ['welcome', 'incompatible'],
    answered: 'always',
    pushes: [],
    closes: { code: CloseCode.INCOMPATIBLE_PROTOCOL, to: 'this connection, right after `incompatible`' },
    errors: [],
    section: '5.4',
  },
  pair: {
    state: 'greeted',
    answer: ['paired'],
    answered: 'always',
    pushes: PAIRED_PUSHES,
    errors: [ErrorCode.PAIRING_LOCKED, ErrorCode.JOIN_TOKEN_INVALID, ErrorCode.DEVICE_KEY_INVALID],
    section: '6.3',
  },
  pakeStart: {
    state: 'greeted',
    answer: ['pakeReply'],
    answered: 'always',
    pushes: [],
    errors: [
      ErrorCode.PAIRING_LOCKED,
      ErrorCode.LINK_CODE_INVALID,
      ErrorCode.PAIRING_CLOSED,
      ErrorCode.PAIRING_LIMIT_REACHED,
      ErrorCode.PAIRING_BUSY,
      ErrorCode.DEVICE_KEY_INVALID,
    ],
    section: '6.2',
  },
  pakeFinish: {
    state: 'greeted',
    answer: ['paired'],
    answered: 'always',
    pushes: PAIRED_PUSHES,
    errors: [
      ErrorCode.PAIRING_CODE_INVALID,
      ErrorCode.LINK_CODE_INVALID,
      ErrorCode.PAKE_NOT_STARTED,
      ErrorCode.DEVICE_KEY_INVALID,
    ],
    section: '6.2',
  },
  auth: {
    state: 'greeted',
    answer: ['ready'],
    answered: 'always',
    pushes: [
      { frame: 'presence', to: "connections ready before, when it is the user's first ready connection (10.1)" },
      { frame: 'devices', to: "the user's other ready connections" },
    ],
    errors: [ErrorCode.AUTH_FAILED],
    section: '6.6',
  },
  send: {
    state: 'ready',
    answer: ['ack'],
    answered: 'always',
    pushes: [{ frame: 'message', to: 'every other ready connection of every member; not for a duplicate' }],
    errors: [
      ...MEMBERSHIP,
      ErrorCode.STORAGE_FAILED,
      ErrorCode.STORAGE_QUOTA_EXCEEDED,
      ErrorCode.STORAGE_CORRUPT,
      ErrorCode.FILE_NOT_UPLOADED,
      ErrorCode.FILE_HASH_MISMATCH,
    ],
    section: '7',
  },
  fetchMessages: {
    state: 'ready',
    answer: ['messages'],
    answered: 'always',
    pushes: [],
    errors: [...MEMBERSHIP, ErrorCode.STORAGE_CORRUPT],
    section: '8.2',
  },
  markDelivered: {
    state: 'ready',
    answer: ['ok'],
    answered: 'withRid',
    pushes: [{ frame: 'receipt', to: 'every ready connection of every member, this one included, if it moved' }],
    errors: MEMBERSHIP,
    section: '9.2',
  },
  markRead: {
    state: 'ready',
    answer: ['ok'],
    answered: 'withRid',
    pushes: [{ frame: 'receipt', to: 'every ready connection of every member, this one included, if it moved' }],
    errors: MEMBERSHIP,
    section: '9.2',
  },
  typing: {
    state: 'ready',
    answer: ['ok'],
    answered: 'withRid',
    pushes: [{ frame: 'typing', to: 'every other ready connection of every member, at most once per 2 s' }],
    errors: MEMBERSHIP,
    section: '10.2',
  },
  openFileSession: {
    state: 'ready',
    answer: ['fileTicket'],
    answered: 'always',
    pushes: [],
    errors: [],
    section: 'F.2',
  },
  deleteMessage: {
    state: 'ready',
    answer: ['ok'],
    answered: 'withRid',
    pushes: [
      {
        frame: 'message',
        to: 'every ready connection of every member, this one included, before `ok`; none if already deleted',
      },
    ],
    errors: [...MEMBERSHIP, ErrorCode.FORBIDDEN, ErrorCode.STORAGE_FAILED, ErrorCode.STORAGE_CORRUPT],
    section: '7.5',
  },
  createGroup: {
    state: 'ready',
    answer: ['conversation'],
    answered: 'always',
    pushes: [{ frame: 'conversation', to: 'every other ready connection of every member' }],
    errors: [
      ErrorCode.NOT_FOUND,
      ErrorCode.BLOCKED_BY_USER,
      ErrorCode.ROOM_RATE_LIMITED,
      ErrorCode.MEMBER_RATE_LIMITED,
    ],
    section: '11.2',
  },
  addMembers: {
    state: 'ready',
    answer: ['conversation'],
    answered: 'always',
    pushes: [{ frame: 'conversation', to: 'every other ready connection of every member, new ones included' }],
    errors: [...MEMBERSHIP, ErrorCode.FORBIDDEN, ErrorCode.BLOCKED_BY_USER, ErrorCode.MEMBER_RATE_LIMITED],
    section: '11.3',
  },
  openDirect: {
    state: 'ready',
    answer: ['conversation'],
    answered: 'always',
    pushes: [{ frame: 'conversation', to: 'every other ready connection of both users, if it was created' }],
    errors: [ErrorCode.NOT_FOUND, ErrorCode.FORBIDDEN, ErrorCode.BLOCKED_BY_USER],
    section: '11.4',
  },
  createLinkCode: { state: 'ready', answer: ['linkCode'], answered: 'always', pushes: [], errors: [], section: '6.4' },
  listDevices: { state: 'ready', answer: ['devices'], answered: 'always', pushes: [], errors: [], section: '12.2' },
  renameDevice: {
    state: 'ready',
    answer: ['ok'],
    answered: 'withRid',
    pushes: [{ frame: 'devices', to: 'every ready connection of the user, this one included' }],
    errors: [ErrorCode.NOT_FOUND],
    section: '12.3',
  },
  removeDevice: {
    state: 'ready',
    answer: ['ok'],
    answered: 'withRid',
    pushes: [
      { frame: 'devices', to: "the user's remaining ready connections" },
      { frame: 'presence', to: "connections ready before, when it closed the user's last ready connection" },
    ],
    closes: {
      code: CloseCode.DEVICE_REVOKED,
      to: 'every connection of the removed device (this one, if it removed itself)',
    },
    errors: [ErrorCode.NOT_FOUND, ErrorCode.STORAGE_FAILED],
    section: '12.4',
  },
  claimJoinLink: {
    state: 'greeted',
    answer: ['joinLinkClaimed'],
    answered: 'always',
    pushes: [],
    errors: [
      ErrorCode.JOIN_TOKEN_INVALID,
      ErrorCode.JOIN_TOKEN_USED,
      ErrorCode.JOIN_TOKEN_EXPIRED,
      ErrorCode.PAIRING_LOCKED,
    ],
    section: '6.3',
  },
  leaveConversation: {
    state: 'ready',
    answer: ['conversationLeft'],
    answered: 'always',
    pushes: [
      { frame: 'conversationLeft', to: "the user's other ready connections" },
      { frame: 'conversation', to: 'every ready connection of every remaining member' },
    ],
    errors: [...MEMBERSHIP, ErrorCode.FORBIDDEN, ErrorCode.STORAGE_FAILED],
    section: '11.6',
  },
  blockUser: {
    state: 'ready',
    answer: ['blocks'],
    answered: 'always',
    pushes: [{ frame: 'blocks', to: "the user's other ready connections, if the list changed" }],
    errors: [ErrorCode.NOT_FOUND, ErrorCode.FORBIDDEN, ErrorCode.STORAGE_FAILED],
    section: '11.7',
  },
  unblockUser: {
    state: 'ready',
    answer: ['blocks'],
    answered: 'always',
    pushes: [{ frame: 'blocks', to: "the user's other ready connections, if the list changed" }],
    errors: [ErrorCode.STORAGE_FAILED],
    section: '11.7',
  },
} as const satisfies { readonly [T in ClientFrameType]: RequestSpec };

/** Pushes no request causes: the hub sends them when a connection closes, for any reason, or its owner acts (11.8). */
export const UNREQUESTED_PUSHES: readonly RequestPush[] = [
  { frame: 'presence', to: "connections ready before, when the user's last ready connection closed (10.1)" },
  { frame: 'devices', to: "the user's remaining ready connections, when a connection of one of their devices closed" },
  { frame: 'message', to: "every ready connection of every member, when the hub's owner deleted a message (7.5)" },
  { frame: 'devices', to: "the user's remaining ready connections, when the hub's owner removed a device (12.4)" },
  { frame: 'user', to: "every ready connection, when the hub's owner removed a user (`removed`, 11.8)" },
  {
    frame: 'conversation',
    to: "every ready connection of its members, when the hub's owner removed one of them (11.8)",
  },
  { frame: 'hubInfo', to: "every ready connection, when the hub's owner renamed the hub" },
];

/** Refusals for a frame sent in the wrong state (docs/PROTOCOL.md 5.3). */
export const STATE_ERRORS: { readonly [S in RequestState]: readonly ErrorCode[] } = {
  any: [],
  // A second hello.
  connected: [ErrorCode.BAD_FRAME],
  // Before hello; once ready; while a pair is in progress.
  greeted: [ErrorCode.HELLO_REQUIRED, ErrorCode.ALREADY_AUTHENTICATED, ErrorCode.BAD_FRAME],
  ready: [ErrorCode.NOT_AUTHENTICATED],
};

/** Every code a request can be refused with: its state's, a bad frame, its own, and the hub's unexpected failure. */
export function requestErrors(type: ClientFrameType): ErrorCode[] {
  const spec: RequestSpec = REQUESTS[type];
  return [...new Set([...STATE_ERRORS[spec.state], ErrorCode.BAD_FRAME, ...spec.errors, ErrorCode.INTERNAL])];
}
