import type { ClientFrameInputOf, ClientFrameType } from './clientFrames';
import type { AttachmentWire } from './attachments';
import type { ConversationWire, DeviceWire, MessageWire } from './wire';
import type { ServerFrameOf, ServerFrameType } from './serverFrames';

/**
 * One valid example of every frame, checked by the compiler against the
 * schemas' types. docs/protocol/frames.md shows them; tests parse them with
 * the schemas and the JSON Schema, and send them to a real hub.
 */

const ALICE = '84ua0EkkZseWJsOMMx_3Aw';
const BOB = 'Hte2GPNUZYYBXAPdD-c72g';
const LAPTOP = 'QqEh360wdx8qNU9byzkFJw';
const PHONE = '6eyi3L_yob_3NsIWEnoWng';
const PUBLIC_KEY = [
  'MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE9KX91l9rWv3wjdRBdVCroJITqFcTJW4NNS1h',
  'CTLQt6YXI7TYGVGfq5_ARYPr_rhV-JxX8K479JOwObnJAj0OuA',
].join('');
const SIGNATURE = '648w7hgt5qiP63Y8ch9p0xiYuEWmfqB-w8jmtDQaoO4eHJl3CRR22FS53PwlWW190ylMduukM0Hc63alBSpILA';

const laptop: DeviceWire = {
  id: LAPTOP,
  userId: ALICE,
  name: "Alice's laptop",
  platform: 'linux',
  pairedAt: 1767261000000,
  lastSeenAt: 1767261600000,
  online: true,
};

const general: ConversationWire = {
  id: 'general',
  kind: 'default',
  name: 'General',
  memberUserIds: [ALICE, BOB],
  lastSeq: 42,
  createdAt: 1767200000000,
  receipts: [
    { userId: ALICE, deliveredSeq: 42, readSeq: 40 },
    { userId: BOB, deliveredSeq: 41, readSeq: 41 },
  ],
};

/** An image's thumbnail as a message carries it; `send` adds its uploadId. */
const MENU_THUMBNAIL = {
  sha256: '3a5c0f5e1d5b0e2b9f6c0d8e7a4b3c2d1e0f9a8b7c6d5e4f3a2b1c0d9e8f7a6b',
  size: 18_204,
  type: 'image/webp',
  width: 480,
  height: 360,
} as const;

/** A file as a message carries it; `send` adds the uploadId. */
const MENU: AttachmentWire = {
  sha256: '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08',
  name: 'menu.jpg',
  size: 481_233,
  type: 'image/jpeg',
  image: { width: 1600, height: 1200 },
  thumbnail: MENU_THUMBNAIL,
};

const message: MessageWire = {
  conversationId: 'general',
  seq: 42,
  clientMsgId: 'm-7fK2pQ9xL3vN8rT1',
  senderUserId: ALICE,
  senderDeviceId: LAPTOP,
  sentAt: 1767261601234,
  text: 'Dinner at 7?',
  attachments: [MENU],
};

export const CLIENT_FRAME_EXAMPLES: { readonly [T in ClientFrameType]: ClientFrameInputOf<T> } = {
  ping: { type: 'ping', rid: '40' },
  hello: { type: 'hello', rid: '1', protocol: 3, client: 'roost-web/0.1.0' },
  pair: {
    type: 'pair',
    rid: '2',
    credential: { kind: 'joinToken', token: '0zaK-ft544kFj8Kzmccr7t_9J0k_0IrVI6LV4IVfdE0', displayName: 'Alice' },
    device: { name: "Alice's laptop", platform: 'linux' },
    publicKey: PUBLIC_KEY,
    signature: SIGNATURE,
  },
  pakeStart: {
    type: 'pakeStart',
    rid: '2',
    credential: { kind: 'code', displayName: 'Alice' },
    device: { name: "Alice's laptop", platform: 'linux' },
    publicKey: PUBLIC_KEY,
    share: 'BAPHoApDtUyMBvcbaCMQhXWwMkQqoym_78AKd9K2mWtcirrlpDr-lUJjI8eo_mhtJcgDK6dBumgy-GkKlV_TTt8',
  },
  pakeFinish: {
    type: 'pakeFinish',
    rid: '3',
    confirm: 'm4_lnz9gabip131RXo3EiaoPwpYq4VI-qMljKirDLTM',
    signature: SIGNATURE,
  },
  auth: { type: 'auth', rid: '2', deviceId: LAPTOP, signature: SIGNATURE },
  send: {
    type: 'send',
    rid: '10',
    conversationId: 'general',
    clientMsgId: 'm-7fK2pQ9xL3vN8rT1',
    text: 'Dinner at 7?',
    attachments: [
      {
        uploadId: 'Xk3vPq9LmN2rT8wYz4Ab1c',
        ...MENU,
        thumbnail: { uploadId: 'Tq7wMn2bVc9xZa4sDf6gHj', ...MENU_THUMBNAIL },
      },
    ],
  },
  fetchMessages: {
    type: 'fetchMessages',
    rid: '11',
    conversationId: 'general',
    direction: 'forward',
    cursor: 40,
    limit: 200,
  },
  markDelivered: { type: 'markDelivered', conversationId: 'general', seq: 42 },
  markRead: { type: 'markRead', rid: '13', conversationId: 'general', seq: 42 },
  typing: { type: 'typing', conversationId: 'general' },
  deleteMessage: { type: 'deleteMessage', rid: '14', conversationId: 'general', seq: 42 },
  openFileSession: { type: 'openFileSession', rid: '15' },
  createGroup: { type: 'createGroup', rid: '20', name: 'Climbing', memberUserIds: [BOB] },
  addMembers: { type: 'addMembers', rid: '21', conversationId: 'gRRvglEDnF-5buY8fafUog', userIds: [BOB] },
  openDirect: { type: 'openDirect', rid: '22', userId: BOB },
  createLinkCode: { type: 'createLinkCode', rid: '7' },
  listDevices: { type: 'listDevices', rid: '30' },
  renameDevice: { type: 'renameDevice', rid: '31', deviceId: PHONE, name: 'Pixel' },
  removeDevice: { type: 'removeDevice', rid: '32', deviceId: PHONE },
  claimJoinLink: { type: 'claimJoinLink', rid: '3', token: '0zaK-ft544kFj8Kzmccr7t_9J0k_0IrVI6LV4IVfdE0' },
  leaveConversation: { type: 'leaveConversation', rid: '23', conversationId: 'gRRvglEDnF-5buY8fafUog' },
  blockUser: { type: 'blockUser', rid: '24', userId: BOB },
  unblockUser: { type: 'unblockUser', rid: '25', userId: BOB },
};

export const SERVER_FRAME_EXAMPLES: { readonly [T in ServerFrameType]: ServerFrameOf<T> } = {
  welcome: {
    type: 'welcome',
    rid: '1',
    hub: {
      id: 'bN8uXg5f9_GNL2AqDO_2EA',
      identity: 'OMYIJF5G5YLBKQM3ILPCFCBP7VBQNCF7ZZJYVCN6WV2DJQUUAFTA',
      name: 'Kitchen',
      protocolVersion: 3,
      appVersion: '0.1.0',
    },
    serverTime: 1767261600000,
    challenge: 'BL4Vp6qSGrDCg-wS0uV9i6PHjqL8AiJZAGUFkLnUC9g',
  },
  incompatible: { type: 'incompatible', rid: '1', reason: 'CLIENT_TOO_OLD', hubProtocol: 3, minProtocol: 2 },
  paired: { type: 'paired', rid: '3', userId: ALICE, deviceId: LAPTOP },
  pakeReply: {
    type: 'pakeReply',
    rid: '2',
    share: 'BD0ZieoYdHxUzi24U2PgoVC3XSZhgJcrSZb3tLikjbKeuhD0c_o9UFkxjhD_F21NO_q0Hw-WacHrYiKEO9kN_Ro',
    confirm: 'XsoUUmovNhPmOGKiJj0imt2P0W0U_1Ds5AI_F9Qlibc',
  },
  ready: {
    type: 'ready',
    rid: '2',
    self: { userId: ALICE, deviceId: LAPTOP },
    users: [
      { id: ALICE, displayName: 'Alice', online: true },
      { id: BOB, displayName: 'Bob', online: false },
    ],
    devices: [laptop],
    conversations: [general],
    blockedUserIds: [],
  },
  ack: {
    type: 'ack',
    rid: '10',
    conversationId: 'general',
    clientMsgId: message.clientMsgId,
    seq: 42,
    sentAt: message.sentAt,
    duplicate: false,
  },
  message: { type: 'message', message },
  fileTicket: {
    type: 'fileTicket',
    rid: '15',
    ticket: 'q8Vd2mXo1T9bZ4kLr7NwYc3sEa6uJh0pGf5iKt8yQvB',
    expiresAt: 1767261660000,
  },
  messages: {
    type: 'messages',
    rid: '11',
    conversationId: 'general',
    direction: 'forward',
    messages: [message],
    hasMore: false,
  },
  receipt: { type: 'receipt', conversationId: 'general', receipt: { userId: ALICE, deliveredSeq: 42, readSeq: 42 } },
  conversation: {
    type: 'conversation',
    rid: '22',
    conversation: {
      id: 'ObCSjZ5m4opcXvMv-FR4jw',
      kind: 'direct',
      name: '',
      memberUserIds: [ALICE, BOB],
      lastSeq: 0,
      createdAt: 1767261800000,
      receipts: [
        { userId: ALICE, deliveredSeq: 0, readSeq: 0 },
        { userId: BOB, deliveredSeq: 0, readSeq: 0 },
      ],
    },
  },
  user: { type: 'user', user: { id: BOB, displayName: 'Bob', online: true } },
  presence: { type: 'presence', userId: BOB, online: false },
  typing: { type: 'typing', conversationId: 'general', userId: BOB, deviceId: 'DpuBiPrYc-d7EfQN-5oYfQ' },
  linkCode: { type: 'linkCode', rid: '7', code: 'K7QM4XZP', expiresAt: 1767261900000 },
  devices: { type: 'devices', rid: '30', devices: [laptop] },
  ok: { type: 'ok', rid: '13' },
  pong: { type: 'pong', rid: '40', serverTime: 1767261615000 },
  error: {
    type: 'error',
    rid: '10',
    code: 'NOT_A_MEMBER',
    message: 'You are not a member of conversation "gRRvglEDnF-5buY8fafUog".',
    frameType: 'send',
  },
  joinLinkClaimed: {
    type: 'joinLinkClaimed',
    rid: '3',
    token: 'Xw2-hbQd0cWkVqg6Z9mY1oTs3LfJp8NuRa5EiCt7Kx4',
    expiresAt: 1767262500000,
  },
  hubInfo: {
    type: 'hubInfo',
    hub: {
      id: 'bN8uXg5f9_GNL2AqDO_2EA',
      identity: 'OMYIJF5G5YLBKQM3ILPCFCBP7VBQNCF7ZZJYVCN6WV2DJQUUAFTA',
      name: 'Attic',
      protocolVersion: 1,
      appVersion: '0.1.0',
    },
  },
  conversationLeft: { type: 'conversationLeft', rid: '23', conversationId: 'gRRvglEDnF-5buY8fafUog' },
  blocks: { type: 'blocks', rid: '24', userIds: [BOB] },
};
