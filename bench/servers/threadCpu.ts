import { readFileSync } from 'node:fs';

/**
 * CPU time of this process's main (event-loop) thread in microseconds, or
 * null where Linux's per-thread schedstat is not available. Set beside
 * process.cpuUsage (all threads), it tells event-loop work apart from the
 * other threads': the thread pool (where the hub's synced writes run) and
 * V8's garbage-collector and compiler helpers.
 */
export function mainThreadCpuMicros(): number | null {
  try {
    const onCpuNs = Number(readFileSync(`/proc/self/task/${process.pid}/schedstat`, 'utf8').split(' ')[0]);
    // A kernel without schedstats reports zeros: a running thread cannot have had no CPU time.
    return Number.isFinite(onCpuNs) && onCpuNs > 0 ? onCpuNs / 1000 : null;
  } catch {
    return null;
  }
}
