import { fork, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import type { z } from 'zod';
import { describeSchemaError } from '../../shared/util/schemaError';

type Reply = { id: number; type: string };
type RequestBody<R> = R extends unknown ? Omit<R, 'id'> : never;

/**
 * A forked TypeScript process spoken to by request and reply over IPC.
 * Replies are validated with the given schema: a child that answers
 * something unexpected fails the run instead of skewing it.
 */
export class Child<Req extends { id: number; type: string }, Rep extends Reply> {
  private nextId = 1;
  private readonly waiting = new Map<number, { resolve(r: Rep): void; reject(e: Error): void }>();
  private exited: Error | null = null;
  private unsolicited: ((message: unknown) => void) | null = null;

  private constructor(
    readonly name: string,
    readonly proc: ChildProcess,
    private readonly schema: z.ZodType<Rep>,
  ) {
    proc.on('message', (raw) => this.receive(raw));
    proc.on('exit', (code, signal) => {
      this.exited = new Error(`${name} exited (${signal ?? code})`);
      for (const w of this.waiting.values()) w.reject(this.exited);
      this.waiting.clear();
    });
  }

  static spawn<Req extends { id: number; type: string }, Rep extends Reply>(
    name: string,
    script: string,
    args: string[],
    schema: z.ZodType<Rep>,
    execArgv: string[] = [],
  ): Child<Req, Rep> {
    const proc = fork(path.resolve(import.meta.dirname, '..', script), args, {
      execArgv: ['--import', 'tsx', ...execArgv],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    return new Child(name, proc, schema);
  }

  /** Resolves with the first message the child sends without being asked (its start-up report). */
  first<T>(schema: z.ZodType<T>): Promise<T> {
    return new Promise((resolve, reject) => {
      const onExit = () => reject(new Error(`${this.name} exited before reporting`));
      this.proc.once('exit', onExit);
      this.unsolicited = (message) => {
        this.proc.off('exit', onExit);
        this.unsolicited = null;
        const parsed = schema.safeParse(message);
        if (parsed.success) resolve(parsed.data);
        else reject(new Error(`${this.name} sent a bad start-up report: ${describeSchemaError(parsed.error)}`));
      };
    });
  }

  request<T extends Rep['type']>(body: RequestBody<Req>, expect: T): Promise<Extract<Rep, { type: T }>> {
    if (this.exited) return Promise.reject(this.exited);
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.waiting.set(id, {
        resolve: (reply) => {
          if (reply.type === expect) resolve(reply as Extract<Rep, { type: T }>);
          else reject(new Error(`${this.name}: expected ${expect} for ${body.type}, got ${JSON.stringify(reply)}`));
        },
        reject,
      });
      this.proc.send({ ...body, id });
    });
  }

  /** Waits for the process to end, killing it if it does not within `ms`. */
  async ended(ms = 10_000): Promise<void> {
    if (this.proc.exitCode !== null || this.proc.signalCode !== null) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => this.proc.kill('SIGKILL'), ms);
      this.proc.once('exit', () => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  private receive(raw: unknown): void {
    const id = (raw as { id?: unknown } | null)?.id;
    if (id === 0 && this.unsolicited) {
      this.unsolicited(raw);
      return;
    }
    const parsed = this.schema.safeParse(raw);
    if (!parsed.success) {
      console.error(`${this.name} sent a malformed reply: ${describeSchemaError(parsed.error)}`);
      return;
    }
    const waiter = this.waiting.get(parsed.data.id);
    if (!waiter) return;
    this.waiting.delete(parsed.data.id);
    waiter.resolve(parsed.data);
  }
}
