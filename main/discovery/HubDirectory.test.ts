import { describe, expect, it } from 'vitest';
import { PROTOCOL_VERSION, type HubInfo } from '../../shared/protocol';
import { DiscoveredHubSchema } from '../../shared/discovery/discoveredHub';
import { HubDirectory, isCompatible, orderAddresses, type Candidate, type CheckResult } from './HubDirectory';

const timings = { checkIntervalMs: 2_000, failuresToDrop: 2, retryMs: 500, maxBackoffMs: 30_000 };

function candidate(over: Partial<Candidate> & { id?: string; name?: string } = {}): Candidate {
  const { id = 'hubA', name = 'Kitchen', ...rest } = over;
  return {
    key: `${name}._roost._tcp.local`,
    advert: { id, name, protocolVersion: PROTOCOL_VERSION },
    addresses: ['192.168.1.20'],
    port: 7420,
    ...rest,
  };
}

const IDENTITY = 'A'.repeat(52);
const OTHER_IDENTITY = 'B'.repeat(52);
const info = (id = 'hubA', name = 'Kitchen', protocolVersion = PROTOCOL_VERSION): HubInfo => ({
  id,
  identity: IDENTITY,
  name,
  protocolVersion,
  appVersion: '0.1.0',
});
const ok = (url = 'https://192.168.1.20:7420/', i = info(), identity = i.identity): CheckResult => ({
  ok: true,
  url,
  info: i,
  identity,
});
const failed: CheckResult = {
  ok: false,
  error: Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }),
};

/** Runs every due check at `now` with the same result. */
function checkAll(dir: HubDirectory, now: number, result: CheckResult | ((c: Candidate) => CheckResult)) {
  const due = dir.takeDueChecks(now);
  for (const d of due)
    dir.completeCheck(d.key, d.generation, typeof result === 'function' ? result(d.candidate) : result, now);
  return due;
}

describe('HubDirectory', () => {
  it('lists a candidate only once its /api/info answered', () => {
    const dir = new HubDirectory(timings);
    dir.upsert(candidate(), 0);
    expect(dir.hubs()).toEqual([]);
    expect(checkAll(dir, 0, ok())).toHaveLength(1);
    const hubs = dir.hubs();
    expect(hubs).toEqual([
      {
        hubId: 'hubA',
        identity: IDENTITY,
        name: 'Kitchen',
        protocolVersion: PROTOCOL_VERSION,
        compatible: true,
        url: 'https://192.168.1.20:7420/',
        addresses: ['192.168.1.20'],
        port: 7420,
      },
    ]);
    expect(DiscoveredHubSchema.parse(hubs[0])).toEqual(hubs[0]);
  });

  it('does not list a candidate whose address answers as another hub', () => {
    const dir = new HubDirectory(timings);
    dir.upsert(candidate(), 0);
    checkAll(dir, 0, ok(undefined, info('hubZ')));
    expect(dir.hubs()).toEqual([]);
    expect(dir.lastError('Kitchen._roost._tcp.local')?.message).toMatch(/hubZ.*hubA/);
  });

  it('lists the identity the hub proved, never the TXT hint; a hub from before hints is listed too', () => {
    const dir = new HubDirectory(timings);
    dir.upsert(candidate(), 0);
    checkAll(dir, 0, ok(undefined, info(), OTHER_IDENTITY));
    expect(dir.hubs()).toMatchObject([{ hubId: 'hubA', identity: OTHER_IDENTITY }]);
  });

  it('does not list an instance proving another identity than its TXT hint, and reports that once', () => {
    const dir = new HubDirectory(timings);
    const hinted = candidate();
    hinted.advert.identity = IDENTITY;
    dir.upsert(hinted, 0);
    checkAll(dir, 0, ok());
    expect(dir.hubs()).toMatchObject([{ identity: IDENTITY }]);
    // Someone else answers at its address now: unlisted at once, not after two failures.
    const [due] = dir.takeDueChecks(2_000);
    const warning = dir.completeCheck(due!.key, due!.generation, ok(undefined, info(), OTHER_IDENTITY), 2_000);
    expect(warning).toMatchObject({ code: 'HUB_IDENTITY_MISMATCH', message: expect.stringContaining(OTHER_IDENTITY) });
    expect(dir.hubs()).toEqual([]);
    const [again] = dir.takeDueChecks(10_000);
    expect(dir.completeCheck(again!.key, again!.generation, ok(undefined, info(), OTHER_IDENTITY), 10_000)).toBe(
      undefined,
    );
    expect(dir.hubs()).toEqual([]);
    expect(dir.lastError(hinted.key)).toMatchObject({ code: 'HUB_IDENTITY_MISMATCH' });
    // The real hub answers there again.
    checkAll(dir, 40_000, ok());
    expect(dir.hubs()).toMatchObject([{ identity: IDENTITY }]);
  });

  it('checks again, unlisted, an instance whose identity hint changed', () => {
    const dir = new HubDirectory(timings);
    dir.upsert(candidate(), 0);
    checkAll(dir, 0, ok());
    const rehinted = candidate();
    rehinted.advert.identity = OTHER_IDENTITY;
    dir.upsert(rehinted, 100);
    expect(dir.hubs()).toEqual([]);
    expect(checkAll(dir, 100, ok())).toHaveLength(1);
    expect(dir.hubs()).toEqual([]);
  });

  it('shows one hub id proving two identities twice, so a person can compare', () => {
    const dir = new HubDirectory(timings);
    dir.upsert(candidate({ key: 'a._roost._tcp.local' }), 0);
    dir.upsert(candidate({ key: 'b._roost._tcp.local', addresses: ['192.168.1.66'] }), 0);
    checkAll(dir, 0, (c) => ok(undefined, info(), c.key.startsWith('a') ? IDENTITY : OTHER_IDENTITY));
    expect(dir.hubs().map((h) => h.identity)).toEqual([IDENTITY, OTHER_IDENTITY]);
  });

  it('re-checks a listed hub every interval and drops it after two consecutive failures', () => {
    const dir = new HubDirectory(timings);
    dir.upsert(candidate(), 0);
    checkAll(dir, 0, ok());
    expect(dir.nextCheckAt()).toBe(2_000);
    expect(dir.takeDueChecks(1_999)).toEqual([]);
    checkAll(dir, 2_000, failed);
    expect(dir.hubs()).toHaveLength(1); // one failure is not enough
    expect(dir.nextCheckAt()).toBe(2_500); // but the retry comes sooner
    checkAll(dir, 2_500, failed);
    expect(dir.hubs()).toEqual([]);
  });

  it('keeps a hub whose failure is followed by an answer', () => {
    const dir = new HubDirectory(timings);
    dir.upsert(candidate(), 0);
    checkAll(dir, 0, ok());
    checkAll(dir, 2_000, failed);
    checkAll(dir, 2_500, ok());
    checkAll(dir, 4_500, failed);
    expect(dir.hubs()).toHaveLength(1);
  });

  it('backs off on a dropped hub, never forgets it, and lists it again when it answers', () => {
    const dir = new HubDirectory(timings);
    dir.upsert(candidate(), 0);
    checkAll(dir, 0, ok());
    let now = 2_000;
    const gaps: number[] = [];
    for (let i = 0; i < 10; i++) {
      checkAll(dir, now, failed);
      const next = dir.nextCheckAt()!;
      gaps.push(next - now);
      now = next;
    }
    expect(dir.hubs()).toEqual([]);
    expect(gaps).toEqual([500, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000, 30_000, 30_000, 30_000]);
    checkAll(dir, now, ok());
    expect(dir.hubs()).toHaveLength(1);
  });

  it('forgets a candidate that never answered after 3 failed checks spread over a minute', () => {
    const dir = new HubDirectory(timings);
    dir.upsert(candidate(), 0);
    const checkedAt: number[] = [];
    for (let now = dir.nextCheckAt(); now !== undefined; now = dir.nextCheckAt()) {
      checkedAt.push(now);
      checkAll(dir, now, failed);
    }
    expect(checkedAt).toEqual([0, 1_000, 3_000, 7_000, 15_000, 31_000, 61_000]);
    expect(dir.size).toBe(0);
    // A new advert brings it back, and it is listed when it answers.
    dir.upsert(candidate(), 70_000);
    checkAll(dir, 70_000, ok());
    expect(dir.hubs()).toHaveLength(1);
  });

  it('forgets after forgetAfterFailures when forgetAfterMs is 0; a changed port makes it prove itself again', () => {
    const dir = new HubDirectory({ ...timings, forgetAfterMs: 0 });
    dir.upsert(candidate(), 0);
    for (const now of [0, 1_000]) checkAll(dir, now, failed);
    expect(dir.size).toBe(1);
    checkAll(dir, 3_000, failed);
    expect(dir.size).toBe(0);
    // Once confirmed it stays through failures...
    dir.upsert(candidate(), 10_000);
    checkAll(dir, 10_000, ok());
    for (let i = 0; i < 10; i++) checkAll(dir, dir.nextCheckAt()!, failed);
    expect(dir.size).toBe(1);
    // ...but a new port is a new endpoint: unconfirmed again, forgotten after 3 failures.
    dir.upsert(candidate({ port: 40009 }), 500_000);
    for (let i = 0; i < 3; i++) checkAll(dir, dir.nextCheckAt()!, failed);
    expect(dir.size).toBe(0);
  });

  it('keeps at most maxUnconfirmed never-confirmed candidates, replacing the oldest', () => {
    const dir = new HubDirectory(timings, { maxUnconfirmed: 3, maxCandidates: 10 });
    const fake = (i: number) => candidate({ key: `fake${i}._roost._tcp.local`, id: `fake${i}` });
    expect([0, 1, 2].map((i) => dir.upsert(fake(i), i))).toEqual(['ok', 'ok', 'ok']);
    expect(dir.upsert(fake(3), 3)).toBe('replaced-oldest');
    expect(dir.size).toBe(3);
    expect(dir.has('fake0._roost._tcp.local')).toBe(false);
    expect(dir.has('fake3._roost._tcp.local')).toBe(true);
    // Re-announcing a kept one is not a new candidate.
    expect(dir.upsert(fake(3), 4)).toBe('ok');
    // A confirmed hub leaves the unconfirmed quota, so it is never the one replaced.
    checkAll(dir, 10, (c) => (c.advert.id === 'fake1' ? ok(undefined, info('fake1')) : failed));
    for (let i = 4; i < 20; i++) dir.upsert(fake(i), 20 + i);
    expect(dir.size).toBe(4);
    expect(dir.hubs().map((h) => h.hubId)).toEqual(['fake1']);
  });

  it('refuses a new candidate when full of confirmed ones, and replaces an unconfirmed one otherwise', () => {
    const dir = new HubDirectory(timings, { maxUnconfirmed: 3, maxCandidates: 3 });
    const hub = (i: number) => candidate({ key: `h${i}._roost._tcp.local`, id: `h${i}`, name: `H${i}` });
    for (const i of [0, 1, 2]) dir.upsert(hub(i), 0);
    checkAll(dir, 0, (c) => (c.advert.id === 'h2' ? failed : ok(undefined, info(c.advert.id, c.advert.name))));
    expect(dir.upsert(hub(3), 1)).toBe('replaced-oldest'); // h2, never confirmed, makes room
    expect(dir.has('h2._roost._tcp.local')).toBe(false);
    checkAll(dir, 1, (c) => ok(undefined, info(c.advert.id, c.advert.name)));
    expect(dir.upsert(hub(4), 2)).toBe('refused');
    expect(dir.size).toBe(3);
    expect(
      dir
        .hubs()
        .map((h) => h.hubId)
        .sort(),
    ).toEqual(['h0', 'h1', 'h3']);
  });

  it('hands out at most `max` due checks, confirmed hubs first', () => {
    const dir = new HubDirectory(timings);
    dir.upsert(candidate({ key: 'real._roost._tcp.local' }), 0);
    checkAll(dir, 0, ok());
    for (let i = 0; i < 20; i++) dir.upsert(candidate({ key: `fake${i}._roost._tcp.local`, id: `fake${i}` }), 1_000);
    const first = dir.takeDueChecks(2_000, 3);
    expect(first.map((d) => d.key)).toEqual([
      'real._roost._tcp.local',
      'fake0._roost._tcp.local',
      'fake1._roost._tcp.local',
    ]);
    expect(dir.takeDueChecks(2_000, 0)).toEqual([]);
    expect(dir.takeDueChecks(2_000)).toHaveLength(18);
  });

  it('checks a dropped hub at once when it is announced again', () => {
    const dir = new HubDirectory(timings);
    dir.upsert(candidate(), 0);
    checkAll(dir, 0, failed);
    checkAll(dir, 1_000, failed);
    expect(dir.nextCheckAt()).toBe(3_000);
    dir.upsert(candidate(), 1_500);
    expect(dir.nextCheckAt()).toBe(1_500);
  });

  it('refresh makes every candidate due now', () => {
    const dir = new HubDirectory(timings);
    dir.upsert(candidate(), 0);
    dir.upsert(candidate({ id: 'hubB', name: 'Den' }), 0);
    checkAll(dir, 0, (c) => (c.advert.id === 'hubA' ? ok() : failed));
    dir.refresh(100);
    expect(
      dir
        .takeDueChecks(100)
        .map((d) => d.key)
        .sort(),
    ).toEqual(['Den._roost._tcp.local', 'Kitchen._roost._tcp.local']);
  });

  it('removes an instance at once on goodbye, whatever its last check said', () => {
    const dir = new HubDirectory(timings);
    dir.upsert(candidate(), 0);
    checkAll(dir, 0, ok());
    dir.remove('Kitchen._roost._tcp.local');
    expect(dir.hubs()).toEqual([]);
    expect(dir.nextCheckAt()).toBeUndefined();
  });

  it('lists a hub once when it is announced under several instance names, with all their addresses', () => {
    const dir = new HubDirectory(timings);
    dir.upsert(candidate({ key: 'Kitchen._roost._tcp.local', addresses: ['192.168.1.20', 'fd00::20'] }), 0);
    dir.upsert(candidate({ key: 'Kitchen (2)._roost._tcp.local', addresses: ['10.0.0.5'] }), 0);
    checkAll(dir, 0, (c) => ok(`https://${c.addresses[0]}:7420/`));
    const hubs = dir.hubs();
    expect(hubs).toHaveLength(1);
    expect(hubs[0]).toMatchObject({ hubId: 'hubA', addresses: ['10.0.0.5', '192.168.1.20', 'fd00::20'] });
    // The stale instance goes; the hub stays through the other.
    dir.remove('Kitchen (2)._roost._tcp.local');
    expect(dir.hubs()).toMatchObject([{ hubId: 'hubA', url: 'https://192.168.1.20:7420/' }]);
  });

  it('keeps a hub listed while one of its instances answers and another is dead', () => {
    const dir = new HubDirectory(timings);
    dir.upsert(candidate({ key: 'old._roost._tcp.local', port: 40001 }), 0);
    dir.upsert(candidate({ key: 'new._roost._tcp.local', port: 40002 }), 0);
    const answer = (c: Candidate) => (c.port === 40002 ? ok('https://192.168.1.20:40002/') : failed);
    for (const now of [0, 1_000, 2_000, 3_000, 4_000]) checkAll(dir, now, answer);
    expect(dir.hubs()).toMatchObject([{ hubId: 'hubA', port: 40002, url: 'https://192.168.1.20:40002/' }]);
  });

  it("leaves out this app's own hub", () => {
    const dir = new HubDirectory(timings);
    dir.upsert(candidate(), 0);
    dir.upsert(candidate({ id: 'hubB', name: 'Den' }), 0);
    checkAll(dir, 0, (c) => ok(undefined, info(c.advert.id, c.advert.name)));
    expect(dir.hubs().map((h) => h.hubId)).toEqual(['hubB', 'hubA']); // sorted by name
    expect(dir.hubs('hubA').map((h) => h.hubId)).toEqual(['hubB']);
  });

  it('unlists an instance whose port or hub id changed until the new one answers', () => {
    const dir = new HubDirectory(timings);
    dir.upsert(candidate(), 0);
    checkAll(dir, 0, ok());
    dir.upsert(candidate({ port: 40009 }), 100);
    expect(dir.hubs()).toEqual([]);
    checkAll(dir, 100, ok('https://192.168.1.20:40009/'));
    expect(dir.hubs()).toMatchObject([{ port: 40009, url: 'https://192.168.1.20:40009/' }]);
  });

  it('ignores the result of a check that started before the candidate changed or went', () => {
    const dir = new HubDirectory(timings);
    dir.upsert(candidate(), 0);
    const [stale] = dir.takeDueChecks(0);
    dir.upsert(candidate({ id: 'hubB' }), 10);
    dir.completeCheck(stale!.key, stale!.generation, ok(), 20);
    expect(dir.hubs()).toEqual([]);
    expect(dir.takeDueChecks(20)).toHaveLength(1); // the new data is checked
    dir.remove('Kitchen._roost._tcp.local');
    dir.completeCheck(stale!.key, stale!.generation + 1, ok(undefined, info('hubB')), 30);
    expect(dir.hubs()).toEqual([]);
  });

  it('does not start a second check of a candidate while one runs', () => {
    const dir = new HubDirectory(timings);
    dir.upsert(candidate(), 0);
    expect(dir.takeDueChecks(0)).toHaveLength(1);
    expect(dir.takeDueChecks(10_000)).toEqual([]);
    expect(dir.nextCheckAt()).toBeUndefined();
  });

  it('takes the name and protocol from the live answer and marks incompatible versions', () => {
    const dir = new HubDirectory(timings);
    dir.upsert(candidate(), 0);
    checkAll(dir, 0, ok(undefined, info('hubA', 'Renamed kitchen', PROTOCOL_VERSION + 1)));
    expect(dir.hubs()).toMatchObject([
      { name: 'Renamed kitchen', protocolVersion: PROTOCOL_VERSION + 1, compatible: false },
    ]);
  });
});

describe('orderAddresses', () => {
  it('puts IPv4 first, removes duplicates, keeps at most 16', () => {
    expect(orderAddresses(['fe80::1', '10.0.0.2', 'fd00::2', '10.0.0.2', '192.168.1.2'])).toEqual([
      '10.0.0.2',
      '192.168.1.2',
      'fe80::1',
      'fd00::2',
    ]);
    expect(orderAddresses(Array.from({ length: 20 }, (_, i) => `10.0.0.${i}`))).toHaveLength(16);
  });
});

describe('isCompatible', () => {
  it('accepts protocol versions this app speaks', () => {
    expect(isCompatible(PROTOCOL_VERSION)).toBe(true);
    expect(isCompatible(PROTOCOL_VERSION + 1)).toBe(false);
    expect(isCompatible(0)).toBe(false);
  });
});
