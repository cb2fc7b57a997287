/**
 * Send times travel inside the message text as `@<microseconds>@`, read from
 * CLOCK_MONOTONIC (process.hrtime on Linux), which every process on the
 * machine shares: the receiver subtracts it from its own reading.
 */

export function nowMicros(): number {
  const [s, ns] = process.hrtime();
  return s * 1e6 + ns / 1e3;
}

const AT = 64; // '@'
const DOT = 46; // '.'
const ZERO = 48;

/** About 200 bytes of text, starting with the send time. */
export function stampedText(bytes = 200): string {
  const stamp = `@${nowMicros().toFixed(1)}@`;
  return stamp + PADDING.slice(0, Math.max(0, bytes - stamp.length));
}

const PADDING = (
  'Lorem ipsum dolor sit amet, consectetur adipiscing elit, ' +
  'sed do eiusmod tempor incididunt ut labore et dolore magna aliqua. '
).repeat(4);

/**
 * The send time in a received frame, or -1 if it carries none (frames other
 * than messages: presence, acks, engine.io packets). Reads bytes, never
 * decodes the frame: the load generator must stay cheaper than the servers.
 */
export function stampOf(frame: Buffer): number {
  const start = frame.indexOf(AT);
  if (start < 0) return -1;
  let whole = 0;
  let fraction = 0;
  let scale = 0;
  for (let i = start + 1; i < frame.length; i++) {
    const b = frame[i]!;
    if (b === AT) return whole + fraction / (scale || 1);
    if (b === DOT) {
      scale = 1;
      continue;
    }
    const digit = b - ZERO;
    if (digit < 0 || digit > 9) return -1;
    if (scale) {
      fraction = fraction * 10 + digit;
      scale *= 10;
    } else {
      whole = whole * 10 + digit;
    }
  }
  return -1;
}
