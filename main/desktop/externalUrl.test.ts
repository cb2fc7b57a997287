import { describe, expect, it } from 'vitest';
import { safeExternalUrl } from './externalUrl';

describe('safeExternalUrl', () => {
  it('lets http and https links through', () => {
    expect(safeExternalUrl('https://example.com/a?b=c#d')).toBe('https://example.com/a?b=c#d');
    expect(safeExternalUrl('http://192.168.1.20:7420/')).toBe('http://192.168.1.20:7420/');
  });

  it.each([
    'file:///etc/passwd',
    'javascript:alert(1)',
    'smb://server/share',
    'app://roost/index.html',
    'mailto:a@b.c',
    'ms-settings:',
    'vbscript:x',
    '//example.com',
    'example.com',
    '',
  ])('refuses %j', (url) => {
    expect(safeExternalUrl(url)).toBeUndefined();
  });

  it('refuses links with credentials, which disguise the real host', () => {
    expect(safeExternalUrl('https://bank.example@evil.example/')).toBeUndefined();
  });

  it('refuses what is not a string or is too long', () => {
    expect(safeExternalUrl(42)).toBeUndefined();
    expect(safeExternalUrl(`https://example.com/${'a'.repeat(3000)}`)).toBeUndefined();
  });
});
