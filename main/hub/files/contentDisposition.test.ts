import { describe, expect, it } from 'vitest';
import { attachmentDisposition, sanitiseFileName } from './contentDisposition';

describe('attachmentDisposition', () => {
  it('gives an ASCII stand-in and the UTF-8 name, percent-encoded', () => {
    expect(attachmentDisposition('rapport été.pdf')).toBe(
      `attachment; filename="rapport _t_.pdf"; filename*=UTF-8''rapport%20%C3%A9t%C3%A9.pdf`,
    );
    expect(attachmentDisposition("it's (1)*.txt")).toBe(
      `attachment; filename="it's (1)*.txt"; filename*=UTF-8''it%27s%20%281%29%2A.txt`,
    );
  });

  it('never lets quotes, backslashes, line breaks, direction marks or separators into the header', () => {
    const header = attachmentDisposition('a"b\\c\r\nSet-Cookie: x\u202egnp.exe/..');
    expect(header).not.toMatch(/[\r\n\u202e]/);
    expect(header).toMatch(/^attachment; filename="a_b_c__Set-Cookie: x_gnp\.exe_\.\."; filename\*=UTF-8''[^"\s]+$/);
  });

  it('keeps a name to 255 characters without splitting an emoji, and names an empty one "file"', () => {
    expect(sanitiseFileName(`${'a'.repeat(254)}😀`)).toBe('a'.repeat(254));
    expect(sanitiseFileName('..')).toBe('file');
    expect(sanitiseFileName('  ')).toBe('file');
  });
});
