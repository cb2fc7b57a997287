import { describe, expect, it } from 'vitest';
import { nativeNotification, shouldNotify, trayTitle, trayTooltip } from './notificationPolicy';

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

describe('nativeNotification', () => {
  const hostile = {
    conversationId: 'general',
    title: 'Bob <b>& "Co"</b>',
    body: '<a href="https://evil.example">Click</a> <img src="file:///etc/passwd"/> Tom & Jerry\'s',
  };

  it('escapes the body for Linux notification servers, which read it as markup', () => {
    const shown = nativeNotification(hostile, 'linux');
    expect(shown.body).toBe(
      '&lt;a href="https://evil.example"&gt;Click&lt;/a&gt; &lt;img src="file:///etc/passwd"/&gt; Tom &amp; Jerry\'s',
    );
    expect(shown.body).not.toMatch(/[<>]/);
    // Every `&` starts an entity of ours: none of the text's own can survive as markup.
    expect(shown.body.replace(/&(amp|lt|gt);/g, '')).not.toContain('&');
  });

  it('shows text that looks like an entity as typed', () => {
    expect(nativeNotification({ title: 'Ann', body: '&lt;b&gt; is <b>' }, 'linux').body).toBe(
      '&amp;lt;b&amp;gt; is &lt;b&gt;',
    );
  });

  it('keeps names and text that hold no markup as they are', () => {
    expect(nativeNotification({ title: 'Ann', body: 'See you at 7 :)' }, 'linux')).toEqual({
      title: 'Ann',
      body: 'See you at 7 :)',
    });
  });

  it('leaves the title plain: the spec makes the summary plain text, and servers show it so', () => {
    expect(nativeNotification(hostile, 'linux').title).toBe(hostile.title);
  });

  it.each(['darwin', 'win32'] as const)('shows plain text on %s, which interprets no markup', (platform) => {
    expect(nativeNotification(hostile, platform)).toEqual({ title: hostile.title, body: hostile.body });
  });
});
