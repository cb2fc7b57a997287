import { describe, expect, it } from 'vitest';
import { isOperatorCommand, parseOperatorArgs } from './operatorCli';

const env = { ROOST_DATA_DIR: '/srv/roost' };

describe('npm run hub -- <command>', () => {
  it('tells commands from the hub options', () => {
    expect(isOperatorCommand(['users'])).toBe(true);
    expect(isOperatorCommand(['--port', '0'])).toBe(false);
    expect(isOperatorCommand([])).toBe(false);
  });

  it('takes an id that starts with - as an id, not an option (ids are base64url)', () => {
    expect(parseOperatorArgs(['remove-user', '-x3Kq_9', '--data-dir=/x'], env)).toEqual({
      dataDir: '/x',
      command: 'remove-user',
      args: { userId: '-x3Kq_9' },
    });
    expect(parseOperatorArgs(['remove-device', '--', '--d1'], env).args).toEqual({ deviceId: '--d1' });
    expect(() => parseOperatorArgs(['users', '--bogus'], env)).toThrow(/unknown option --bogus/);
    expect(() => parseOperatorArgs(['users', '--data-dir'], env)).toThrow(/needs a directory/);
  });

  it('parses each command, finding the data directory as the hub does', () => {
    expect(parseOperatorArgs(['users'], env)).toEqual({ dataDir: '/srv/roost', command: 'users', args: {} });
    expect(parseOperatorArgs(['remove-device', 'd1', '--data-dir', '/x'], env)).toEqual({
      dataDir: '/x',
      command: 'remove-device',
      args: { deviceId: 'd1' },
    });
    expect(parseOperatorArgs(['delete-message', 'general', '12'], env).args).toEqual({
      conversationId: 'general',
      seq: 12,
    });
    expect(parseOperatorArgs(['rename', 'The', 'Den'], env).args).toEqual({ name: 'The Den' });
    expect(parseOperatorArgs(['pairing', 'open', '5'], env)).toMatchObject({
      command: 'pairing-open',
      args: { minutes: 5 },
    });
    expect(parseOperatorArgs(['pairing', 'close'], env).command).toBe('pairing-close');
    expect(parseOperatorArgs(['pairing'], env).command).toBe('pairing');
    expect(parseOperatorArgs(['audit'], env).args).toEqual({ limit: 20 });
  });

  it('explains what is wrong', () => {
    expect(() => parseOperatorArgs(['remove-user'], env)).toThrow(/takes a user id/);
    expect(() => parseOperatorArgs(['delete-message', 'general', 'x'], env)).toThrow(/SEQ must be a whole number/);
    expect(() => parseOperatorArgs(['pairing', 'wide', 'open'], env)).toThrow(/pairing takes/);
    expect(() => parseOperatorArgs(['users', '--force'], env)).toThrow(/--force/);
  });
});
