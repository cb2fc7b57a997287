import { describe, expect, it } from 'vitest';
import { readJoinToken } from './joinLink';

describe('readJoinToken', () => {
  it('reads the token of a join link', () => {
    expect(readJoinToken('#join=0zaK-ft544kFj8Kzmccr7t_9J0k_0IrVI6LV4IVfdE0')).toBe(
      '0zaK-ft544kFj8Kzmccr7t_9J0k_0IrVI6LV4IVfdE0',
    );
    expect(readJoinToken('join=abc_DEF-1')).toBe('abc_DEF-1');
  });

  it('ignores other fragments and malformed tokens', () => {
    expect(readJoinToken('')).toBeUndefined();
    expect(readJoinToken('#/c/general')).toBeUndefined();
    expect(readJoinToken('#join=')).toBeUndefined();
    expect(readJoinToken('#join=<script>')).toBeUndefined();
    expect(readJoinToken(`#join=${'a'.repeat(129)}`)).toBeUndefined();
  });
});
