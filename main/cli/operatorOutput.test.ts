import { describe, expect, it } from 'vitest';
import type { OperatorDevice } from '../../shared/hub/operatorViews';
import { formatResult } from './operatorOutput';

const device = (over: Partial<OperatorDevice> = {}): OperatorDevice => ({
  id: 'dev1',
  userId: 'u1',
  userName: 'Ann',
  name: 'Old laptop',
  platform: 'linux',
  pairedAt: 0,
  lastSeenAt: 0,
  connections: 1,
  ...over,
});

describe('the devices list in the terminal', () => {
  it('marks a protocol-1 device that has not bound a key, with what its person must do', () => {
    const DAY = 24 * 60 * 60 * 1000;
    const [keyed, waiting, late] = formatResult('devices', [
      device(),
      device({ keyMigrationUntil: Date.now() + 10 * DAY }),
      device({ keyMigrationUntil: Date.now() - DAY }),
    ]);
    expect(keyed).not.toContain('not migrated');
    expect(waiting).toContain('[not migrated: must connect with an updated app before ');
    expect(late).toContain('[not migrated: must pair again]');
  });
});
