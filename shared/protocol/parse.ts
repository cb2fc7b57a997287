import { z } from 'zod';
import { describeSchemaError } from '../util/schemaError';
import { ErrorCode } from './codes';
import { CLIENT_FRAME_TYPES, ClientFrameSchema, type ClientFrame } from './clientFrames';
import { CLIENT_FRAME_JSON_BOUNDS, exceededJsonBound, jsonBoundMessage } from './jsonBounds';
import { RequestIdSchema } from './primitives';
import { cutToLength } from './textLength';
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

const RoughFrameSchema = z.object({ type: z.string(), rid: z.unknown().optional() });

/**
 * JSON, then the envelope (`type`, `rid`), then the full schema, so each kind
 * of failure gets its own code and, where readable, the offending type and rid.
 */
function parseFrame<T>(text: string, knownTypes: readonly string[], schema: z.ZodType<T>): ParseResult<T> {
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
  const frameType = cutToLength(rough.data.type, 64);
  // Only a rid the frame may carry is echoed; an invalid one (an empty one too) is the reason for the error.
  const validRid = RequestIdSchema.safeParse(rough.data.rid);
  const rid = validRid.success ? validRid.data : undefined;
  if (!knownTypes.includes(rough.data.type)) {
    return { ok: false, code: ErrorCode.UNKNOWN_TYPE, message: `unknown frame type "${frameType}"`, frameType, rid };
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    return {
      ok: false,
      code: ErrorCode.BAD_FRAME,
      message: `invalid "${frameType}": ${describeSchemaError(parsed.error, { root: '(frame)' })}`,
      frameType,
      rid,
    };
  }
  return { ok: true, frame: parsed.data };
}

/**
 * The single entry point for text arriving from a client. Never throws: a bad
 * frame yields a failure with the stable error code to send back. Text past
 * the JSON bounds (LIMITS.maxJsonDepth, maxJsonElements) is refused before it
 * is parsed, so its rid and type are not known.
 */
export function parseClientFrame(text: string): ParseResult<ClientFrame> {
  const bound = exceededJsonBound(text, CLIENT_FRAME_JSON_BOUNDS);
  if (bound)
    return { ok: false, code: ErrorCode.BAD_FRAME, message: jsonBoundMessage(bound, CLIENT_FRAME_JSON_BOUNDS) };
  return parseFrame(text, CLIENT_FRAME_TYPES, ClientFrameSchema);
}

/**
 * The client side's counterpart: validates what the hub sent. A frame type
 * from a newer hub comes back as UNKNOWN_TYPE, which clients skip.
 */
export function parseServerFrame(text: string): ParseResult<ServerFrame> {
  return parseFrame(text, SERVER_FRAME_TYPES, ServerFrameSchema);
}
