import { describe, expect, it } from 'vitest';
import { hubFilesOrigin } from './hubFilesOrigin';

describe('hubFilesOrigin', () => {
  it.each([
    ['wss://192.168.1.20:7420/ws', 'https://192.168.1.20:7420'],
    ['wss://kitchen-pc.local:7420/ws', 'https://kitchen-pc.local:7420'],
    ['ws://127.0.0.1:7420/ws', 'http://127.0.0.1:7420'],
    ['wss://[fe80::1]:7420/ws', 'https://[fe80::1]:7420'],
  ])('%s → %s', (ws, origin) => {
    expect(hubFilesOrigin(ws)).toBe(origin);
  });
});
