import { describe, expect, it } from 'vitest';
import { fileErrorFrom, isSessionInvalid } from './fileErrors';

describe('fileErrorFrom', () => {
  it("uses the hub's code and message when it gave them", () => {
    const body = JSON.stringify({ error: { code: 'FILE_TOO_LARGE', message: 'Files may be up to 8 GB.' } });
    expect(fileErrorFrom(413, body)).toMatchObject({ code: 'FILE_TOO_LARGE', message: 'Files may be up to 8 GB.' });
  });

  it('says something useful for a status alone (a HEAD, a proxy page, no connection)', () => {
    expect(fileErrorFrom(401, '')).toMatchObject({ code: 'FILE_SESSION_INVALID', status: 401 });
    expect(fileErrorFrom(507, '<html>')).toMatchObject({ code: 'HUB_STORAGE_FULL' });
    expect(fileErrorFrom(0, undefined).message).toMatch(/could not be reached/);
    expect(fileErrorFrom(418, undefined)).toMatchObject({ code: 'HTTP_418', message: expect.stringContaining('418') });
  });

  it('knows a lost session from other refusals', () => {
    expect(isSessionInvalid(fileErrorFrom(401, undefined))).toBe(true);
    const other = JSON.stringify({ error: { code: 'DEVICE_REMOVED', message: 'x' } });
    expect(isSessionInvalid(fileErrorFrom(401, other))).toBe(false);
    expect(isSessionInvalid(fileErrorFrom(404, undefined))).toBe(false);
  });
});
