/**
 * Dates and times as the app shows them, in the reader's locale and time
 * zone. `now` and `locale` are parameters so tests are deterministic.
 */
const DAY = 24 * 60 * 60 * 1000;

/** Midnight (local time) of the day `time` falls on. */
export function startOfDay(time: number): number {
  const d = new Date(time);
  return new Date(d.getFullYear(), d.getMonth(), d.getDate()).getTime();
}

/** Midnight (local time) of the day after the day that starts at `dayStart`. */
export function startOfNextDay(dayStart: number): number {
  const d = new Date(dayStart);
  return new Date(d.getFullYear(), d.getMonth(), d.getDate() + 1).getTime();
}

/** Whole calendar days from `time`'s day to `now`'s day (0 = same day). Safe across DST changes. */
export function daysAgo(time: number, now: number): number {
  return Math.round((startOfDay(now) - startOfDay(time)) / DAY);
}

/** "14:05" or "2:05 PM", per locale. */
export function formatClock(time: number, locale?: string): string {
  return new Intl.DateTimeFormat(locale, { hour: 'numeric', minute: '2-digit' }).format(time);
}

/** A day separator in a conversation: "Today", "Yesterday", "Monday", "Monday, 3 March", "3 March 2024". */
export function formatDayLabel(time: number, now: number, locale?: string): string {
  const days = daysAgo(time, now);
  if (days === 0) return 'Today';
  if (days === 1) return 'Yesterday';
  if (days > 1 && days < 7) return new Intl.DateTimeFormat(locale, { weekday: 'long' }).format(time);
  const sameYear = new Date(time).getFullYear() === new Date(now).getFullYear();
  const options: Intl.DateTimeFormatOptions = sameYear
    ? { weekday: 'long', day: 'numeric', month: 'long' }
    : { day: 'numeric', month: 'long', year: 'numeric' };
  return new Intl.DateTimeFormat(locale, options).format(time);
}

/** A timestamp in the conversation list: the time today, "Yesterday", a weekday this week, else a short date. */
export function formatListTime(time: number, now: number, locale?: string): string {
  const days = daysAgo(time, now);
  if (days <= 0) return formatClock(time, locale);
  if (days === 1) return 'Yesterday';
  if (days < 7) return new Intl.DateTimeFormat(locale, { weekday: 'short' }).format(time);
  const sameYear = new Date(time).getFullYear() === new Date(now).getFullYear();
  return new Intl.DateTimeFormat(
    locale,
    sameYear ? { day: 'numeric', month: 'short' } : { day: 'numeric', month: 'short', year: 'numeric' },
  ).format(time);
}

/** Full date and time, for tooltips. */
export function formatFull(time: number, locale?: string): string {
  return new Intl.DateTimeFormat(locale, { dateStyle: 'full', timeStyle: 'short' }).format(time);
}

/** "just now", "5 min ago", "3 h ago", "yesterday", else a date: when a device was last seen. */
export function formatAgo(time: number, now: number, locale?: string): string {
  const seconds = Math.max(0, Math.round((now - time) / 1000));
  if (seconds < 60) return 'just now';
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min ago`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24 && daysAgo(time, now) === 0) return `${hours} h ago`;
  if (daysAgo(time, now) === 1) return `yesterday at ${formatClock(time, locale)}`;
  return `on ${formatListTime(time, now, locale)}`;
}
