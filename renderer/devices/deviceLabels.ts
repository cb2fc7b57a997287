import type { Platform } from '../../shared/protocol';
import type { IconName } from '../ui/Icon';

const PLATFORMS: Record<Platform, { label: string; icon: IconName }> = {
  linux: { label: 'Linux', icon: 'laptop' },
  macos: { label: 'macOS', icon: 'laptop' },
  windows: { label: 'Windows', icon: 'laptop' },
  android: { label: 'Android', icon: 'phone' },
  ios: { label: 'iOS', icon: 'phone' },
  web: { label: 'Web browser', icon: 'globe' },
  other: { label: 'Other', icon: 'devices' },
};

export function platformLabel(platform: Platform): string {
  return (PLATFORMS[platform] ?? PLATFORMS.other).label;
}

export function platformIcon(platform: Platform): IconName {
  return (PLATFORMS[platform] ?? PLATFORMS.other).icon;
}

/** A link code as people read it aloud: `K7QM4XZP` → `K7QM-4XZP` (the hub ignores the dash). */
export function formatLinkCode(code: string): string {
  return code.length === 8 ? `${code.slice(0, 4)}-${code.slice(4)}` : code;
}

/** "4:05" left until `expiresAt`; "0:00" once past. */
export function formatCountdown(expiresAt: number, now: number): string {
  const seconds = Math.max(0, Math.ceil((expiresAt - now) / 1000));
  return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`;
}
