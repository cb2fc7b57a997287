import { describe, expect, it } from 'vitest';
import { DEFAULT_PORT } from '../../shared/protocol';
import { defaultDataDir } from './dataDirDefault';
import { parseHubArgs } from './hubArgs';

describe('parseHubArgs', () => {
  it('has defaults', () => {
    expect(parseHubArgs([])).toEqual({
      port: DEFAULT_PORT,
      mdns: true,
      allowPlainHttp: false,
      newIdentity: false,
      help: false,
    });
  });

  it('reads every option', () => {
    expect(
      parseHubArgs(['--port', '0', '--host', '127.0.0.1', '--data-dir', '/tmp/r', '--name', ' Den ', '--no-mdns']),
    ).toEqual({
      port: 0,
      host: '127.0.0.1',
      dataDir: '/tmp/r',
      name: 'Den',
      mdns: false,
      allowPlainHttp: false,
      newIdentity: false,
      help: false,
    });
  });

  it("reads the owner's certificate and key, only as a pair, and the plain-HTTP switch", () => {
    const args = ['--tls-cert', 'hub.crt', '--tls-key', 'hub.key', '--allow-plain-http', '--new-identity'];
    expect(parseHubArgs(args)).toMatchObject({
      tlsCert: 'hub.crt',
      tlsKey: 'hub.key',
      allowPlainHttp: true,
      newIdentity: true,
    });
    expect(() => parseHubArgs(['--tls-cert', 'hub.crt'])).toThrow(/--tls-cert: give --tls-cert and --tls-key together/);
  });

  it('reads file limits as sizes in powers of 1024, and refuses what is not a size', () => {
    expect(parseHubArgs(['--max-file-size', '500M', '--user-files', '1.5g', '--hub-files', '2T'])).toMatchObject({
      maxFileSize: 500 * 1024 ** 2,
      userFiles: 1.5 * 1024 ** 3,
      hubFiles: 2 * 1024 ** 4,
    });
    expect(parseHubArgs(['--max-file-size', '4096'])).toMatchObject({ maxFileSize: 4096 });
    expect(() => parseHubArgs(['--max-file-size', 'lots'])).toThrow(/--max-file-size: must be a size/);
    expect(() => parseHubArgs(['--hub-files', '0'])).toThrow(/--hub-files: must be more than 0/);
  });

  it.each([[['--port', 'abc']], [['--port', '70000']], [['--bogus']], [['--name', '']]])(
    'rejects %j with a usage error',
    (argv) => {
      expect(() => parseHubArgs(argv)).toThrow(expect.objectContaining({ code: 'USAGE' }));
    },
  );

  it('refuses a hub name with an invisible or text-direction character, naming it', () => {
    expect(() => parseHubArgs(['--name', 'Den\u202E'])).toThrow(/--name: .*invisible.*U\+202E/);
    expect(() => parseHubArgs(['--name', 'D\u200Ben'])).toThrow(/U\+200B/);
  });

  it('names every bad option by its flag', () => {
    expect(() => parseHubArgs(['--port', 'abc', '--data-dir', '', '--name', ' '])).toThrow(
      /^--port: .+; --data-dir: .+; --name: /,
    );
  });
});

describe('defaultDataDir', () => {
  it('follows ROOST_DATA_DIR, then each platform', () => {
    expect(defaultDataDir({ ROOST_DATA_DIR: '/srv/roost' }, 'linux')).toBe('/srv/roost');
    expect(defaultDataDir({ XDG_DATA_HOME: '/x' }, 'linux')).toBe('/x/roost/hub');
    expect(defaultDataDir({}, 'darwin')).toMatch(/Library\/Application Support\/Roost\/hub$/);
  });
});
