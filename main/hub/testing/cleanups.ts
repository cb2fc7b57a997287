import { afterEach } from 'vitest';

export type Cleanups = { push(cleanup: () => Promise<void> | void): void };

/**
 * Clean-ups a test registers as it goes (hubs, clients, temp dirs), run
 * after each test newest first, so what was made last is undone first.
 * Call once at the top of a test file.
 */
export function cleanupsAfterEach(): Cleanups {
  let pending: Array<() => Promise<void> | void> = [];
  afterEach(async () => {
    const due = pending.reverse();
    pending = [];
    for (const cleanup of due) await cleanup();
  });
  return { push: (cleanup) => void pending.push(cleanup) };
}
