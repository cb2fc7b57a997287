import { cutToLength, LIMITS } from '../../shared/protocol';
import type { DeviceDescription } from '../../shared/sync';

/** What a browser tells about itself: `navigator.userAgent`, and `navigator.userAgentData` where there is one. */
export type BrowserHints = {
  userAgent: string;
  brands?: readonly { brand: string; version: string }[];
  platform?: string;
};

const BRAND_NAMES: [RegExp, string][] = [
  [/edge/i, 'Edge'],
  [/opera/i, 'Opera'],
  [/samsung/i, 'Samsung Internet'],
  [/brave/i, 'Brave'],
  [/vivaldi/i, 'Vivaldi'],
  [/google chrome/i, 'Chrome'],
];

/** Most specific first: Edge and Opera also say "Chrome", Chrome also says "Safari". */
const UA_BROWSERS: [RegExp, string][] = [
  [/Edg(?:e|A|iOS)?\//, 'Edge'],
  [/OPR\/|Opera/, 'Opera'],
  [/SamsungBrowser\//, 'Samsung Internet'],
  [/Firefox\/|FxiOS\//, 'Firefox'],
  [/CriOS\/|HeadlessChrome\/|Chrome\//, 'Chrome'],
  [/Chromium\//, 'Chromium'],
  [/Version\/[\d.]+.*Safari\//, 'Safari'],
];

const UA_SYSTEMS: [RegExp, string][] = [
  [/Android/, 'Android'],
  [/iPad/, 'iPad'],
  [/iPhone|iPod/, 'iPhone'],
  [/Windows/, 'Windows'],
  [/CrOS/, 'ChromeOS'],
  [/Macintosh|Mac OS X/, 'macOS'],
  [/Linux|X11/, 'Linux'],
];

const PLATFORM_NAMES: Record<string, string> = {
  'chrome os': 'ChromeOS',
  chromeos: 'ChromeOS',
  macos: 'macOS',
  ios: 'iOS',
};

function browserName(hints: BrowserHints): string | undefined {
  for (const [pattern, name] of BRAND_NAMES) if (hints.brands?.some((b) => pattern.test(b.brand))) return name;
  for (const [pattern, name] of UA_BROWSERS) if (pattern.test(hints.userAgent)) return name;
  if (hints.brands?.some((b) => /chromium/i.test(b.brand))) return 'Chromium';
  return undefined;
}

function systemName(hints: BrowserHints): string | undefined {
  const platform = hints.platform?.trim();
  if (platform) return PLATFORM_NAMES[platform.toLowerCase()] ?? platform;
  for (const [pattern, name] of UA_SYSTEMS) if (pattern.test(hints.userAgent)) return name;
  return undefined;
}

/** A name people recognise in their device list, e.g. "Chrome on Linux" or "Safari on iPhone". */
export function defaultDeviceName(hints: BrowserHints): string {
  const browser = browserName(hints);
  const system = systemName(hints);
  const name =
    browser && system ? `${browser} on ${system}` : (browser ?? (system ? `Browser on ${system}` : 'Web browser'));
  return cutToLength(name, LIMITS.maxNameLength);
}

type NavigatorWithHints = Navigator & {
  userAgentData?: { brands?: { brand: string; version: string }[]; platform?: string };
};

/** This browser as a Roost device. Its platform is `web` whatever the operating system. */
export function browserDevice(nav: Navigator = navigator): DeviceDescription {
  const data = (nav as NavigatorWithHints).userAgentData;
  return {
    name: defaultDeviceName({ userAgent: nav.userAgent, brands: data?.brands, platform: data?.platform }),
    platform: 'web',
  };
}
