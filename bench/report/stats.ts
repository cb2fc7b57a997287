export function median(values: readonly number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/**
 * a relative to b. Runs are interleaved, so run i of both happened under
 * about the same load on the machine: the median of per-run ratios cancels
 * more of the noise than a ratio of medians. Unpaired data falls back to that.
 */
export function ratio(a: readonly number[], b: readonly number[]): number | null {
  if (a.length === 0 || b.length === 0) return null;
  if (a.length !== b.length) return median(a) / median(b);
  return median(a.map((x, i) => x / b[i]!));
}
