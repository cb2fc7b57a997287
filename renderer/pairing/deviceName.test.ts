import { describe, expect, it } from 'vitest';
import { defaultDeviceName } from './deviceName';

const UA = {
  chromeLinux: 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36',
  headless:
    'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/130.0.0.0 Safari/537.36',
  edgeWindows:
    'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) ' +
    'Chrome/130.0.0.0 Safari/537.36 Edg/130.0.0.0',
  firefoxMac: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 14.5; rv:131.0) Gecko/20100101 Firefox/131.0',
  safariIphone:
    'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) ' +
    'Version/17.5 Mobile/15E148 Safari/604.1',
  chromeAndroid:
    'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) ' +
    'Chrome/130.0.0.0 Mobile Safari/537.36',
  samsung:
    'Mozilla/5.0 (Linux; Android 14; SM-S918B) AppleWebKit/537.36 (KHTML, like Gecko) ' +
    'SamsungBrowser/25.0 Chrome/121.0.0.0 Mobile Safari/537.36',
  chromeIpad:
    'Mozilla/5.0 (iPad; CPU OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) ' +
    'CriOS/130.0.0.0 Mobile/15E148 Safari/604.1',
};

describe('defaultDeviceName', () => {
  it.each([
    [UA.chromeLinux, 'Chrome on Linux'],
    [UA.headless, 'Chrome on Linux'],
    [UA.edgeWindows, 'Edge on Windows'],
    [UA.firefoxMac, 'Firefox on macOS'],
    [UA.safariIphone, 'Safari on iPhone'],
    [UA.chromeAndroid, 'Chrome on Android'],
    [UA.samsung, 'Samsung Internet on Android'],
    [UA.chromeIpad, 'Chrome on iPad'],
  ])('names %s', (userAgent, name) => {
    expect(defaultDeviceName({ userAgent })).toBe(name);
  });

  it('prefers client hints where the browser gives them', () => {
    const brands = [
      { brand: 'Not A(Brand', version: '8' },
      { brand: 'Chromium', version: '130' },
      { brand: 'Microsoft Edge', version: '130' },
    ];
    expect(defaultDeviceName({ userAgent: UA.chromeLinux, brands, platform: 'Windows' })).toBe('Edge on Windows');
    expect(defaultDeviceName({ userAgent: '', brands: brands.slice(0, 2), platform: 'Chrome OS' })).toBe(
      'Chromium on ChromeOS',
    );
  });

  it('falls back to something sensible', () => {
    expect(defaultDeviceName({ userAgent: 'curl/8.0' })).toBe('Web browser');
    expect(defaultDeviceName({ userAgent: 'SomethingNew (Linux)' })).toBe('Browser on Linux');
  });
});
