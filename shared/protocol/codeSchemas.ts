import { z } from 'zod';
import { ErrorCode, IncompatibleReason } from './codes';

/** Unknown error codes from a newer hub read as INTERNAL instead of failing the frame. */
export const ErrorCodeSchema = z
  .enum(ErrorCode)
  .catch(ErrorCode.INTERNAL)
  .describe('A stable error code (section 14.1); a code the client does not know means INTERNAL.');
export const IncompatibleReasonSchema = z.enum(IncompatibleReason);
