import { describe, expect, it } from 'vitest';
import { shouldNotify, trayTitle, trayTooltip } from './notificationPolicy';

describe('shouldNotify', () => {
  it('notifies only when the window is hidden or unfocused, and never when muted', () => {
    expect(shouldNotify({ visible: true, focused: true }, false)).toBe(false);
    expect(shouldNotify({ visible: true, focused: false }, false)).toBe(true);
    expect(shouldNotify({ visible: false, focused: false }, false)).toBe(true);
    expect(shouldNotify({ visible: false, focused: false }, true)).toBe(false);
    expect(shouldNotify({ visible: true, focused: false }, true)).toBe(false);
  });
});

describe('tray text', () => {
  it('says how many messages are unread', () => {
    expect(trayTooltip(0)).toBe('Roost');
    expect(trayTooltip(1)).toBe('Roost: 1 unread message');
    expect(trayTooltip(12)).toBe('Roost: 12 unread messages');
    expect(trayTitle(0)).toBe('');
    expect(trayTitle(7)).toBe('7');
    expect(trayTitle(12_000)).toBe('999+');
  });
});
