import { z } from 'zod';
import { ErrorCode } from './codes';
import { CLIENT_FRAME_TYPES, ClientFrameSchema, type ClientFrame } from './clientFrames';
import { SERVER_FRAME_TYPES, ServerFrameSchema, type ServerFrame } from './serverFrames';

export type ParseFailure = {
  ok: false;
  code: ErrorCode;
  message: string;
  /** Echo of the offending frame's `type` and `rid` when they could be read, so errors can still be matched. */
  frameType?: string;
  rid?: string;
};
export type ParseResult<T> = { ok: true; frame: T } | ParseFailure;

const RoughFrameSchema = z.object({ type: z.string(), rid: z.string().max(64).optional() });

function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 3)
    .map((i) => `${i.path.length ? i.path.join('.') : '(frame)'}: ${i.message}`)
    .join('; ');
}

/**
 * The single entry point for text arriving from a client. Never throws: a bad
 * frame yields a failure with the stable error code to send back.
 */
export function parseClientFrame(text: string): ParseResult<ClientFrame> {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return { ok: false, code: ErrorCode.BAD_JSON, message: 'frame is not valid JSON' };
  }
  const rough = RoughFrameSchema.safeParse(raw);
  if (!rough.success) {
    return { ok: false, code: ErrorCode.BAD_FRAME, message: 'frame must be a JSON object with a string "type"' };
  }
  const { type, rid } = rough.data;
  if (!(CLIENT_FRAME_TYPES as readonly string[]).includes(type)) {
    return { ok: false, code: ErrorCode.UNKNOWN_TYPE, message: `unknown frame type "${type.slice(0, 64)}"`, frameType: type.slice(0, 64), rid };
  }
  const parsed = ClientFrameSchema.safeParse(raw);
  if (!parsed.success) {
    return { ok: false, code: ErrorCode.BAD_FRAME, message: `invalid "${type}": ${describeIssues(parsed.error)}`, frameType: type, rid };
  }
  return { ok: true, frame: parsed.data };
}

/** The client side's counterpart: validates what the hub sent. */
export function parseServerFrame(text: string): ParseResult<ServerFrame> {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return { ok: false, code: ErrorCode.BAD_JSON, message: 'frame is not valid JSON' };
  }
  const rough = RoughFrameSchema.safeParse(raw);
  if (rough.success && !(SERVER_FRAME_TYPES as readonly string[]).includes(rough.data.type)) {
    // A newer hub's frame: clients ignore it (docs/PROTOCOL.md, unknown values).
    return { ok: false, code: ErrorCode.UNKNOWN_TYPE, message: `unknown frame type "${rough.data.type.slice(0, 64)}"`, frameType: rough.data.type.slice(0, 64) };
  }
  const parsed = ServerFrameSchema.safeParse(raw);
  if (!parsed.success) {
    return { ok: false, code: ErrorCode.BAD_FRAME, message: describeIssues(parsed.error), frameType: rough.data?.type };
  }
  return { ok: true, frame: parsed.data };
}
