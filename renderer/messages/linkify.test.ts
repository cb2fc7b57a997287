import { describe, expect, it } from 'vitest';
import { linkify, safeHref } from './linkify';

describe('linkify', () => {
  it('leaves text without links alone', () => {
    expect(linkify('Dinner at 7?')).toEqual([{ kind: 'text', text: 'Dinner at 7?' }]);
    expect(linkify('')).toEqual([]);
  });

  it('finds http and https links inside text', () => {
    expect(linkify('See https://example.org/a?b=1#c and http://10.0.0.2:8080/x now')).toEqual([
      { kind: 'text', text: 'See ' },
      { kind: 'link', text: 'https://example.org/a?b=1#c', href: 'https://example.org/a?b=1#c' },
      { kind: 'text', text: ' and ' },
      { kind: 'link', text: 'http://10.0.0.2:8080/x', href: 'http://10.0.0.2:8080/x' },
      { kind: 'text', text: ' now' },
    ]);
  });

  it('keeps sentence punctuation and unbalanced brackets out of the link', () => {
    expect(linkify('Look: https://example.org/page.')).toEqual([
      { kind: 'text', text: 'Look: ' },
      { kind: 'link', text: 'https://example.org/page', href: 'https://example.org/page' },
      { kind: 'text', text: '.' },
    ]);
    expect(linkify('(https://example.org/a)')[1]).toEqual({
      kind: 'link',
      text: 'https://example.org/a',
      href: 'https://example.org/a',
    });
    expect(linkify('https://en.wikipedia.org/wiki/Roost_(bird)')[0]).toMatchObject({
      kind: 'link',
      text: 'https://en.wikipedia.org/wiki/Roost_(bird)',
    });
  });

  it('never links other schemes or markup', () => {
    for (const text of [
      'javascript:alert(1)',
      'data:text/html,<b>x</b>',
      'ftp://example.org',
      '<a href="javascript:alert(1)">x</a>',
      'file:///etc/passwd',
    ]) {
      expect(linkify(text).every((s) => s.kind === 'text')).toBe(true);
    }
    expect(linkify('<img src=x onerror=alert(1)>')).toEqual([{ kind: 'text', text: '<img src=x onerror=alert(1)>' }]);
  });

  it('does not link an address whose quotes try to break out', () => {
    const segments = linkify('https://example.org/"onmouseover="alert(1)');
    expect(segments[0]).toEqual({ kind: 'link', text: 'https://example.org/', href: 'https://example.org/' });
    expect(segments.slice(1)).toEqual([{ kind: 'text', text: '"onmouseover="alert(1)' }]);
  });

  it('accepts only http(s) URLs with a host', () => {
    expect(safeHref('https://example.org')).toBe('https://example.org/');
    expect(safeHref('JAVASCRIPT:alert(1)')).toBeUndefined();
    expect(safeHref('http://')).toBeUndefined();
  });
});
