/**
 * Splits message text into plain text and web links. Only http: and https:
 * become links; everything is rendered as text nodes (never as HTML), so a
 * message can neither inject markup nor a `javascript:` link.
 */
export type Segment = { kind: 'text'; text: string } | { kind: 'link'; text: string; href: string };

const CANDIDATE = /\bhttps?:\/\/[^\s<>"'`]+/gi;
/** Punctuation that usually ends the sentence rather than the link. */
const TRAILING = /[.,;:!?*'"’”]+$/;

export function linkify(text: string): Segment[] {
  const segments: Segment[] = [];
  let plainFrom = 0;
  for (const match of text.matchAll(CANDIDATE)) {
    const start = match.index;
    const raw = trimLink(match[0]);
    const href = safeHref(raw);
    if (!href) continue;
    if (start > plainFrom) segments.push({ kind: 'text', text: text.slice(plainFrom, start) });
    segments.push({ kind: 'link', text: raw, href });
    plainFrom = start + raw.length;
  }
  if (plainFrom < text.length) segments.push({ kind: 'text', text: text.slice(plainFrom) });
  return mergeText(segments);
}

/**
 * Drops trailing punctuation, and closing brackets that have no opening one inside the link: "(see https://x.org/a)".
 */
function trimLink(raw: string): string {
  let link = raw;
  for (;;) {
    const before = link;
    link = link.replace(TRAILING, '');
    for (const [open, close] of [
      ['(', ')'],
      ['[', ']'],
      ['{', '}'],
    ] as const) {
      if (link.endsWith(close) && count(link, close) > count(link, open)) link = link.slice(0, -1);
    }
    if (link === before) return link;
  }
}

function count(text: string, char: string): number {
  return text.split(char).length - 1;
}

/** The link's address if it is a well-formed http(s) URL with a host. */
export function safeHref(candidate: string): string | undefined {
  let url: URL;
  try {
    url = new URL(candidate);
  } catch {
    return undefined;
  }
  if ((url.protocol !== 'http:' && url.protocol !== 'https:') || !url.hostname) return undefined;
  return url.href;
}

function mergeText(segments: Segment[]): Segment[] {
  const merged: Segment[] = [];
  for (const s of segments) {
    const last = merged.at(-1);
    if (s.kind === 'text' && last?.kind === 'text')
      merged[merged.length - 1] = { kind: 'text', text: last.text + s.text };
    else merged.push(s);
  }
  return merged;
}
