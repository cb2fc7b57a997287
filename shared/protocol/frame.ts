import { z } from 'zod';
import { RequestIdSchema } from './primitives';

/** A frame schema: a literal `type`, the optional `rid` every frame may carry, and its own fields. */
export const frame = <T extends string, S extends z.ZodRawShape>(type: T, shape: S) =>
  z.object({ type: z.literal(type), rid: RequestIdSchema.optional(), ...shape });
