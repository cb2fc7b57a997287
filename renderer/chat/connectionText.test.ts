import { describe, expect, it } from 'vitest';
import { connectionText } from './connectionText';

describe('connectionText', () => {
  it('says connected, with nothing more when nothing waits', () => {
    expect(connectionText('connected', 0, undefined, 0)).toEqual({
      label: 'Connected',
      pending: undefined,
      description: 'Connected to the hub.',
      retry: undefined,
    });
  });

  it('counts messages waiting to be sent', () => {
    expect(connectionText('offline', 1, undefined, 0)).toMatchObject({
      label: 'Offline',
      pending: '1 pending',
      description: 'Not connected to the hub. 1 message is waiting to be sent.',
    });
    expect(connectionText('reconnecting', 3, 12_400, 1_000)).toMatchObject({
      label: 'Reconnecting…',
      pending: '3 pending',
      retry: 'next try in 12 s',
    });
  });

  it('leaves out a retry time that has passed', () => {
    expect(connectionText('reconnecting', 0, 500, 1_000).retry).toBeUndefined();
  });
});
