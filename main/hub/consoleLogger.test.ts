import { afterEach, describe, expect, it, vi } from 'vitest';
import { consoleLogger } from './consoleLogger';

describe('consoleLogger', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('tags every line [roost] and passes an error along', () => {
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const error = vi.spyOn(console, 'error').mockImplementation(() => {});
    const logger = consoleLogger();
    const cause = new Error('disk full');
    logger.info('listening');
    logger.warn('slow disk');
    logger.error('write failed', cause);
    logger.error('no cause');
    expect(log.mock.calls).toEqual([['[roost] listening']]);
    expect(warn.mock.calls).toEqual([['[roost] slow disk']]);
    expect(error.mock.calls).toEqual([
      ['[roost] write failed', cause],
      ['[roost] no cause', ''],
    ]);
  });

  it('leaves info lines out when asked, and nothing else', () => {
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const logger = consoleLogger({ info: false });
    logger.info('listening');
    logger.warn('slow disk');
    expect(log).not.toHaveBeenCalled();
    expect(warn.mock.calls).toEqual([['[roost] slow disk']]);
  });
});
