import { describe, expect, it } from 'vitest';
import { FALLBACK_FILE_NAME, MAX_FILE_NAME_BYTES, sanitizeFileName, utf8Length } from './safeFileName';

describe('sanitizeFileName', () => {
  it('keeps an ordinary name as it is', () => {
    expect(sanitizeFileName('Holiday photo (2).JPG')).toBe('Holiday photo (2).JPG');
    expect(sanitizeFileName('Überweisung März – 📄.pdf')).toBe('Überweisung März – 📄.pdf');
  });

  it('never lets a name leave the download folder', () => {
    expect(sanitizeFileName('../../.bashrc')).toBe('_.._.bashrc');
    expect(sanitizeFileName('..\\..\\Windows\\win.ini')).toBe('_.._Windows_win.ini');
    expect(sanitizeFileName('/etc/passwd')).toBe('_etc_passwd');
    expect(sanitizeFileName('..')).toBe(FALLBACK_FILE_NAME);
  });

  it('removes direction controls, so the extension shown is the real one', () => {
    expect(sanitizeFileName('photo\u202Egnp.exe')).toBe('photognp.exe');
    expect(sanitizeFileName('a\u2066b\u2069c\u200E\u200F\u061C\u202A\u202B\u202C\u202D.txt')).toBe('abc.txt');
  });

  it('removes control characters and replaces what Windows refuses', () => {
    expect(sanitizeFileName('a\u0000b\u001fc\u007fd\u0085e.txt')).toBe('abcde.txt');
    expect(sanitizeFileName('what? <yes>: "a|b*".txt')).toBe('what_ _yes__ _a_b__.txt');
  });

  it('renames Windows device names, with or without an extension', () => {
    for (const name of ['CON', 'nul.txt', 'Com1.tar.gz', 'LPT9', 'aux', 'PRN.', 'com\u00b9.log']) {
      expect(sanitizeFileName(name)).toMatch(/^_/);
    }
    expect(sanitizeFileName('console.txt')).toBe('console.txt');
    expect(sanitizeFileName('com10.txt')).toBe('com10.txt');
  });

  it('drops leading dots and trailing dots and spaces', () => {
    expect(sanitizeFileName('.hidden')).toBe('hidden');
    expect(sanitizeFileName('setup.exe. . ')).toBe('setup.exe');
    expect(sanitizeFileName('   ')).toBe(FALLBACK_FILE_NAME);
  });

  it('cuts a long name to 255 bytes of UTF-8, keeping the extension and whole characters', () => {
    const long = `${'é'.repeat(200)}.pdf`;
    const safe = sanitizeFileName(long);
    expect(utf8Length(safe)).toBeLessThanOrEqual(MAX_FILE_NAME_BYTES);
    expect(safe).toBe(`${'é'.repeat(125)}.pdf`);
    const emoji = sanitizeFileName('😀'.repeat(100));
    expect(emoji).toBe('😀'.repeat(63));
  });

  it('drops an overlong extension rather than the whole stem', () => {
    const safe = sanitizeFileName(`report.${'x'.repeat(300)}`);
    expect(utf8Length(safe)).toBe(MAX_FILE_NAME_BYTES);
    expect(safe.startsWith('report.xxx')).toBe(true);
  });

  it('composes characters (NFC), so one name is saved one way', () => {
    expect(sanitizeFileName('Cafe\u0301.txt')).toBe('Caf\u00e9.txt');
  });
});

describe('utf8Length', () => {
  it('counts bytes per code point', () => {
    expect(utf8Length('a')).toBe(1);
    expect(utf8Length('é')).toBe(2);
    expect(utf8Length('€')).toBe(3);
    expect(utf8Length('😀')).toBe(4);
  });
});
