import type { z } from 'zod';
import { describeSchemaError } from '../../shared/util/schemaError';
import { SerialQueue } from '../../shared/util/SerialQueue';

type Reply = { id: number; type: string };
type ReplyBody<R> = R extends unknown ? Omit<R, 'id'> : never;

/**
 * The child side of Child: validates each request from the parent, runs the
 * handler, and answers with its reply or an `error` reply. Requests are
 * handled one at a time, in order.
 */
export function serveRequests<Req extends { id: number; type: string }, Rep extends Reply>(
  schema: z.ZodType<Req>,
  handle: (request: Req) => Promise<ReplyBody<Rep>>,
): void {
  const requests = new SerialQueue();
  process.on('message', (raw) => {
    const parsed = schema.safeParse(raw);
    if (!parsed.success) {
      const id = typeof (raw as { id?: unknown } | null)?.id === 'number' ? (raw as { id: number }).id : -1;
      process.send?.({ id, type: 'error', message: `bad request: ${describeSchemaError(parsed.error)}` });
      return;
    }
    const request = parsed.data;
    // Never rejects: a failure is answered as an `error` reply.
    void requests.run(async () => {
      try {
        process.send?.({ ...(await handle(request)), id: request.id });
      } catch (err) {
        process.send?.({
          id: request.id,
          type: 'error',
          message: err instanceof Error ? (err.stack ?? err.message) : String(err),
        });
      }
    });
  });
  // The parent going away must not leave servers or load behind.
  process.on('disconnect', () => process.exit(0));
}
