import { z } from 'zod';

/**
 * One stored message, and the JSON line it is written as. The line uses short
 * keys because the log is mostly keys otherwise; this file is the one place
 * that maps between the two shapes. Limits are deliberately looser than the
 * protocol's: data written under older limits must stay readable.
 */

const Seq = z.int().min(1).max(Number.MAX_SAFE_INTEGER);
const Id = z.string().min(1).max(256);

const StoredAttachmentSchema = z.object({
  uploadId: Id,
  sha256: z.string().length(64),
  name: z.string().min(1).max(1024),
  size: z.int().min(0),
  type: z.string().min(1).max(256),
  image: z.object({ width: z.int().min(1), height: z.int().min(1) }).optional(),
  thumbnail: z
    .object({
      uploadId: Id,
      sha256: z.string().length(64),
      size: z.int().min(0),
      type: z.string().min(1).max(256),
      width: z.int().min(1),
      height: z.int().min(1),
    })
    .optional(),
});
export type StoredAttachment = z.infer<typeof StoredAttachmentSchema>;

const AttachmentsSchema = z.array(StoredAttachmentSchema).min(1);

/** A message's text and files, as its `"x"` holds them when it has files (encodeLine). */
const EnvelopeSchema = z.object({ t: z.string(), a: AttachmentsSchema });

export const StoredMessageSchema = z.object({
  seq: Seq,
  clientMsgId: Id,
  senderUserId: Id,
  senderDeviceId: Id,
  sentAt: z.int().min(0),
  text: z.string(),
  /** Files sent with it (their upload ids, for the file store's references); none once deleted. */
  attachments: z.array(StoredAttachmentSchema).optional(),
  /** The message was deleted: its text was overwritten on disk and reads as "" (README, "Deletions"). */
  deleted: z.literal(true).optional(),
  /** This line is a deletion, not a message: the seq of the message it deleted. */
  deletes: Seq.optional(),
});
export type StoredMessage = z.infer<typeof StoredMessageSchema>;

/**
 * The on-disk line: {"s":seq,"i":clientMsgId,"u":senderUserId,"d":senderDeviceId,"t":sentAt,"x":text}; a
 * deletion adds "e" (the seq it deleted); a deleted message has "z" (the overwritten text) instead of "x".
 * A message with files has "f":1 and its "x" holds the JSON of {"t":text,"a":attachments}: the files live
 * inside the text, so deleting the message overwrites them with it.
 */
export const StoredLineSchema = z.object({
  s: Seq,
  i: Id,
  u: Id,
  d: Id,
  t: z.int().min(0),
  x: z.string().optional(),
  z: z.string().optional(),
  e: Seq.optional(),
  f: z.literal(1).optional(),
});

type StoredLine = z.input<typeof StoredLineSchema>;

/**
 * Why the schema would refuse the message, or null. Checked by hand, for
 * every append and every line read: on the write path a zod round trip cost
 * more than the write itself, on the read path about three quarters of
 * reading a page (1 s of a 100k-message catch-up, measured with bench/).
 */
export function messageProblem(m: StoredMessage): string | null {
  for (const [name, id] of [
    ['clientMsgId', m.clientMsgId],
    ['senderUserId', m.senderUserId],
    ['senderDeviceId', m.senderDeviceId],
  ] as const) {
    if (typeof id !== 'string' || id.length === 0 || id.length > 256)
      return `${name} must be a string of 1-256 characters`;
  }
  if (typeof m.text !== 'string') return 'text must be a string';
  if (!Number.isSafeInteger(m.sentAt) || m.sentAt < 0) return `sentAt must be a non-negative integer, got ${m.sentAt}`;
  if (!Number.isSafeInteger(m.seq) || m.seq < 1) return `seq must be a positive integer, got ${m.seq}`;
  if (m.deletes !== undefined && (!Number.isSafeInteger(m.deletes) || m.deletes < 1 || m.deletes >= m.seq))
    return `deletes must be the seq of an earlier message, got ${m.deletes}`;
  if (m.attachments !== undefined && !AttachmentsSchema.safeParse(m.attachments).success)
    return 'attachments must be 1 or more files with uploadId, sha256, name, size and type';
  return null;
}

/** The line's bytes, newline included. JSON.stringify escapes newlines inside strings, so one message is one line. */
export function encodeLine(m: StoredMessage): Buffer {
  const line: StoredLine = {
    s: m.seq,
    i: m.clientMsgId,
    u: m.senderUserId,
    d: m.senderDeviceId,
    t: m.sentAt,
    ...(m.attachments && !m.deleted ? { f: 1 as const } : {}),
    // The text comes last: deleting a message overwrites it in place (deletedLine.ts).
    ...(m.deleted ? { z: '' } : { x: m.attachments ? JSON.stringify({ t: m.text, a: m.attachments }) : m.text }),
    ...(m.deletes === undefined ? {} : { e: m.deletes }),
  };
  return Buffer.from(`${JSON.stringify(line)}\n`, 'utf8');
}

/** The message on a line (without its newline), or null if the line is not a valid stored message. */
export function decodeLine(bytes: Buffer): StoredMessage | null {
  let raw: unknown;
  try {
    raw = JSON.parse(bytes.toString('utf8'));
  } catch {
    return null;
  }
  if (typeof raw !== 'object' || raw === null) return null;
  const line = raw as Partial<Record<keyof StoredLine, unknown>>;
  // Only the known keys are copied: unknown ones, which a newer writer may add, are dropped as the schema would.
  const deleted = line.x === undefined && typeof line.z === 'string';
  const message = {
    seq: line.s,
    clientMsgId: line.i,
    senderUserId: line.u,
    senderDeviceId: line.d,
    sentAt: line.t,
    // A deleted message's overwritten text is never read back.
    text: deleted ? '' : line.x,
  } as StoredMessage;
  if (deleted) message.deleted = true;
  if (line.e !== undefined) message.deletes = line.e as number;
  if (line.f === 1 && !deleted && !withFiles(message)) return null;
  return messageProblem(message) === null ? message : null;
}

/** Unpacks the text and files of a line with "f" (encodeLine); false if they do not parse. */
function withFiles(message: StoredMessage): boolean {
  if (typeof message.text !== 'string') return false;
  let envelope;
  try {
    envelope = EnvelopeSchema.safeParse(JSON.parse(message.text));
  } catch {
    return false;
  }
  if (!envelope.success) return false;
  message.text = envelope.data.t;
  message.attachments = envelope.data.a;
  return true;
}
