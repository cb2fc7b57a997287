import { readFileSync } from 'node:fs';

/**
 * CPU time of this process's main (event-loop) thread in microseconds, or
 * null where Linux's per-thread schedstat is not available. Set beside
 * process.cpuUsage (all threads), it tells event-loop work apart from the
 * thread pool's, which is where the hub's synced writes run.
 */
export function mainThreadCpuMicros(): number | null {
  try {
    const onCpuNs = Number(readFileSync(`/proc/self/task/${process.pid}/schedstat`, 'utf8').split(' ')[0]);
    return Number.isFinite(onCpuNs) ? onCpuNs / 1000 : null;
  } catch {
    return null;
  }
}
