import { describe, expect, it } from 'vitest';
import { pageIsUnencrypted } from './pageSecurity';

describe('pageIsUnencrypted', () => {
  it('marks a page that came over plain HTTP from another machine', () => {
    expect(pageIsUnencrypted({ protocol: 'http:', hostname: '192.168.1.20' })).toBe(true);
    expect(pageIsUnencrypted({ protocol: 'http:', hostname: 'kitchen-pc.local' })).toBe(true);
    expect(pageIsUnencrypted({ protocol: 'http:', hostname: '[fe80::1]' })).toBe(true);
  });

  it('does not mark HTTPS, nor plain HTTP that never leaves this machine', () => {
    expect(pageIsUnencrypted({ protocol: 'https:', hostname: '192.168.1.20' })).toBe(false);
    for (const hostname of ['localhost', 'roost.localhost', '127.0.0.1', '127.1.2.3', '[::1]'])
      expect(pageIsUnencrypted({ protocol: 'http:', hostname })).toBe(false);
    expect(pageIsUnencrypted({ protocol: 'file:', hostname: '' })).toBe(false);
  });
});
