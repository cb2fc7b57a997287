import { formatBytes } from '../protocol/attachments';

/** Where one transfer stands, as the UI shows it. */
export type TransferProgress = {
  bytesSent: number;
  total: number;
  /** Whole percent, rounded down: 100 only once every byte is there. */
  percent: number;
  /** Over the last few seconds; undefined until there is enough to say. */
  bytesPerSecond: number | undefined;
  /** At that speed; undefined while the speed is. */
  secondsLeft: number | undefined;
};

type Sample = { bytes: number; at: number };

/** Speed is measured over this much of the most recent transfer, so a stall shows within seconds. */
const DEFAULT_WINDOW_MS = 5_000;
/** Less than this much time measured says nothing reliable about the speed. */
const MIN_SPAN_MS = 500;

/**
 * Turns "this many bytes are sent now" into percent, speed and time left. Pure apart from the samples it keeps;
 * the caller passes the clock's time, so it is tested without one.
 */
export class TransferMeter {
  private samples: Sample[] = [];

  constructor(
    readonly total: number,
    private readonly windowMs = DEFAULT_WINDOW_MS,
  ) {}

  /** Records `bytesSent` at `now` (ms) and says where the transfer stands. */
  update(bytesSent: number, now: number): TransferProgress {
    const sent = Math.min(Math.max(0, bytesSent), this.total);
    // A resumed upload may restart below what was reported (the hub kept less): the old samples mean nothing.
    const last = this.samples.at(-1);
    if (last && (sent < last.bytes || now < last.at)) this.samples = [];
    this.samples.push({ bytes: sent, at: now });
    while (this.samples.length > 2 && now - this.samples[1]!.at >= this.windowMs) this.samples.shift();
    return progressOf(sent, this.total, this.rate());
  }

  private rate(): number | undefined {
    const first = this.samples[0];
    const last = this.samples.at(-1);
    if (!first || !last || last.at - first.at < MIN_SPAN_MS) return undefined;
    return ((last.bytes - first.bytes) * 1000) / (last.at - first.at);
  }
}

/** The progress of `bytesSent` of `total` at `bytesPerSecond` (undefined: not known yet). */
export function progressOf(bytesSent: number, total: number, bytesPerSecond: number | undefined): TransferProgress {
  const percent = total <= 0 ? 100 : Math.floor((bytesSent / total) * 100);
  const remaining = Math.max(0, total - bytesSent);
  const secondsLeft =
    remaining === 0 ? 0 : bytesPerSecond && bytesPerSecond > 0 ? Math.ceil(remaining / bytesPerSecond) : undefined;
  return { bytesSent, total, percent, bytesPerSecond, secondsLeft };
}

/** "2.1 MB/s". */
export function formatRate(bytesPerSecond: number): string {
  return `${formatBytes(Math.round(bytesPerSecond))}/s`;
}

/** "12 s left", "3 min left", "1 h 5 min left". */
export function formatTimeLeft(seconds: number): string {
  if (seconds < 60) return `${Math.max(1, Math.ceil(seconds))} s left`;
  const minutes = Math.ceil(seconds / 60);
  if (minutes < 60) return `${minutes} min left`;
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  return rest === 0 ? `${hours} h left` : `${hours} h ${rest} min left`;
}

/** One line for people: "12.5 MB of 40 MB · 31% · 2.1 MB/s · 13 s left". */
export function describeProgress(p: TransferProgress): string {
  const parts = [`${formatBytes(p.bytesSent)} of ${formatBytes(p.total)}`, `${p.percent}%`];
  if (p.bytesPerSecond !== undefined && p.bytesSent < p.total) parts.push(formatRate(p.bytesPerSecond));
  if (p.secondsLeft !== undefined && p.bytesSent < p.total) parts.push(formatTimeLeft(p.secondsLeft));
  return parts.join(' · ');
}
