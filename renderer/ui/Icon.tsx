/** Line icons drawn in the current text colour; decorative (aria-hidden), so give the control a label. */
const PATHS = {
  back: 'M15 18l-6-6 6-6',
  plus: 'M12 5v14M5 12h14',
  send: 'M4 12l16-8-6 16-2.5-6.5L4 12zM11.5 13.5L20 4',
  check: 'M5 12.5l4.5 4.5L19 7.5',
  checks: 'M2.5 12.5L7 17l9.5-9.5M11.5 16l1 1 9.5-9.5',
  clock: 'M12 21a9 9 0 100-18 9 9 0 000 18zM12 7v5l3 2',
  alert: 'M12 9v4M12 17h.01M10.3 3.9L2.4 18a2 2 0 001.7 3h15.8a2 2 0 001.7-3L13.7 3.9a2 2 0 00-3.4 0z',
  devices:
    'M4 6a2 2 0 012-2h12a2 2 0 012 2v7M2 17h11M4 13V6' +
    'M16 11h4a1 1 0 011 1v7a1 1 0 01-1 1h-4a1 1 0 01-1-1v-7a1 1 0 011-1z',
  laptop: 'M5 5h14a1 1 0 011 1v9H4V6a1 1 0 011-1zM2 18h20',
  phone: 'M8 3h8a1 1 0 011 1v16a1 1 0 01-1 1H8a1 1 0 01-1-1V4a1 1 0 011-1zM11 18h2',
  globe:
    'M12 21a9 9 0 100-18 9 9 0 000 18zM3 12h18' +
    'M12 3c2.5 2.5 3.7 5.5 3.7 9s-1.2 6.5-3.7 9c-2.5-2.5-3.7-5.5-3.7-9S9.5 5.5 12 3z',
  hash: 'M9 4L7 20M17 4l-2 16M4 9h16M3.5 15h16',
  users:
    'M16 19v-1a4 4 0 00-4-4H6a4 4 0 00-4 4v1M9 10a3.5 3.5 0 100-7 3.5 3.5 0 000 7z' +
    'M22 19v-1a4 4 0 00-3-3.9M16 3.1a3.5 3.5 0 010 6.8',
  userPlus: 'M15 19v-1a4 4 0 00-4-4H6a4 4 0 00-4 4v1M8.5 10a3.5 3.5 0 100-7 3.5 3.5 0 000 7zM19 8v6M16 11h6',
  close: 'M6 6l12 12M18 6L6 18',
  pencil: 'M4 20h4L19 9l-4-4L4 16v4zM13.5 6.5l4 4',
  trash: 'M4 7h16M10 11v6M14 11v6M6 7l1 12a2 2 0 002 2h6a2 2 0 002-2l1-12M9 7V4h6v3',
  key: 'M15 7a3 3 0 11-6 0 3 3 0 016 0zM12 10v11M12 15h3M12 18h2',
  arrowDown: 'M12 5v14M6 13l6 6 6-6',
  message: 'M4 5h16a1 1 0 011 1v10a1 1 0 01-1 1h-9l-5 4v-4H4a1 1 0 01-1-1V6a1 1 0 011-1z',
  retry: 'M4 12a8 8 0 0114-5.3L20 9M20 4v5h-5M20 12a8 8 0 01-14 5.3L4 15M4 20v-5h5',
  broadcast:
    'M12 12.5h.01M8.8 9.3a4.5 4.5 0 000 6.4M15.2 9.3a4.5 4.5 0 010 6.4' +
    'M5.9 6.4a8.7 8.7 0 000 12.2M18.1 6.4a8.7 8.7 0 010 12.2',
  bell: 'M6 16.5V11a6 6 0 1112 0v5.5l1.5 1.5h-15L6 16.5zM10 20.5a2 2 0 004 0',
  power: 'M12 3v8M7.1 6.2a7 7 0 109.8 0',
  copy:
    'M9 9h10a1 1 0 011 1v10a1 1 0 01-1 1H9a1 1 0 01-1-1V10a1 1 0 011-1z' +
    'M5 15H4a1 1 0 01-1-1V4a1 1 0 011-1h10a1 1 0 011 1v1',
  search: 'M11 18a7 7 0 100-14 7 7 0 000 14zM20 20l-4-4',
  leave: 'M14 4h4a2 2 0 012 2v12a2 2 0 01-2 2h-4M9 16l-4-4 4-4M5 12h11',
  block: 'M12 21a9 9 0 100-18 9 9 0 000 18zM5.6 5.6l12.8 12.8',
  paperclip:
    'M20.5 11.5l-8.2 8.2a5.5 5.5 0 01-7.8-7.8l8.5-8.5a3.7 3.7 0 015.2 5.2l-8.5 8.5a1.8 1.8 0 01-2.6-2.6l7.8-7.8',
  download: 'M12 4v11M7 10l5 5 5-5M5 20h14',
  forward: 'M9 18l6-6-6-6',
} as const;

export type IconName = keyof typeof PATHS;

export function Icon({ name, size = 20, className }: { name: IconName; size?: number; className?: string }) {
  return (
    <svg
      className={className ? `icon ${className}` : 'icon'}
      width={size}
      height={size}
      viewBox="0 0 24 24"
      fill="none"
      stroke="currentColor"
      strokeWidth={1.8}
      strokeLinecap="round"
      strokeLinejoin="round"
      aria-hidden="true"
      focusable="false"
    >
      <path d={PATHS[name]} />
    </svg>
  );
}

/** The Roost mark: a little house with someone home. */
export function Logo({ size = 28 }: { size?: number }) {
  return (
    <svg className="logo" width={size} height={size} viewBox="0 0 32 32" aria-hidden="true" focusable="false">
      <rect width="32" height="32" rx="8" className="logo__tile" />
      <path
        d="M9 21.5V14l7-5 7 5v7.5a1.5 1.5 0 0 1-1.5 1.5h-11A1.5 1.5 0 0 1 9 21.5Z"
        fill="none"
        className="logo__line"
        strokeWidth="2.2"
        strokeLinejoin="round"
      />
      <circle cx="16" cy="17" r="2.2" className="logo__dot" />
    </svg>
  );
}
