import { execFileSync } from 'node:child_process';
import { rm, rmdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { MessageLog, StorageError } from './MessageLog';
import { collectWarnings, draft, makeTempDir, range } from './testSupport';

/**
 * A real full disk: a 64 KiB tmpfs. Needs root (or CAP_SYS_ADMIN); skipped,
 * with the reason printed, where mounting is not permitted.
 */
const mountPoint = await makeTempDir();
let skipReason: string | null = null;
try {
  execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', mountPoint], { stdio: 'pipe' });
} catch (err) {
  skipReason = `cannot mount a tmpfs (${String((err as { stderr?: Buffer }).stderr ?? err).trim()})`;
  console.log(`diskFull.test.ts: skipping the real disk-full tests: ${skipReason}`);
  // Hooks do not run when every test is skipped: clean up now.
  await rmdir(mountPoint);
}

afterAll(async () => {
  if (skipReason) return;
  execFileSync('umount', [mountPoint], { stdio: 'pipe' });
  await rmdir(mountPoint);
});

const bigDraft = (n: number): ReturnType<typeof draft> => ({ ...draft(n), text: `${n} `.padEnd(1500, 'x') });

describe.skipIf(skipReason !== null)('on a full disk (tmpfs of 64 KiB)', () => {
  it('rejects with StorageError, stays consistent, and takes messages again once space is freed', async () => {
    const dir = join(mountPoint, 'sequential');
    const filler = join(mountPoint, 'filler-1');
    await writeFile(filler, Buffer.alloc(36 * 1024));
    const warnings = collectWarnings();
    const log = await MessageLog.open({ dir, warn: warnings.warn });

    let stored = 0;
    let failure: unknown = null;
    for (const n of range(1, 200)) {
      try {
        await log.append('a', bigDraft(n));
        stored = n;
      } catch (err) {
        failure = err;
        break;
      }
    }
    expect(failure).toBeInstanceOf(StorageError);
    expect((failure as StorageError).cause).toMatchObject({ code: 'ENOSPC' });
    expect(stored).toBeGreaterThan(0);
    expect(log.lastSeq('a')).toBe(stored);
    // Still full: refused again, nothing half-stored.
    await expect(log.append('a', bigDraft(stored + 1))).rejects.toBeInstanceOf(StorageError);
    expect(log.lastSeq('a')).toBe(stored);

    await rm(filler);
    expect(await log.append('a', bigDraft(stored + 1))).toMatchObject({
      duplicate: false,
      message: { seq: stored + 1 },
    });
    expect((await log.readForward('a', 0, 500)).messages.map((m) => m.seq)).toEqual(range(1, stored + 1));
    await log.close();

    const reopenWarnings = collectWarnings();
    const reopened = await MessageLog.open({ dir, warn: reopenWarnings.warn });
    expect(reopenWarnings.messages.filter((m) => m.includes('torn'))).toEqual([]);
    expect(reopened.lastSeq('a')).toBe(stored + 1);
    expect((await reopened.readForward('a', 0, 500)).messages.map((m) => m.text)).toEqual(
      range(1, stored + 1).map((n) => bigDraft(n).text),
    );
    await reopened.close();
    await rm(dir, { recursive: true });
  });

  it('with a burst of unawaited appends: what resolved is exactly what is stored, contiguous', async () => {
    const dir = join(mountPoint, 'burst');
    const filler = join(mountPoint, 'filler-2');
    await writeFile(filler, Buffer.alloc(40 * 1024));
    // Small segments split the burst's one batch into several writes, so the disk fills part-way through it.
    const log = await MessageLog.open({ dir, segmentBytes: 6000, warn: () => undefined });
    const settled = await Promise.allSettled(range(1, 40).map((n) => log.append('a', bigDraft(n))));
    const stored = settled.filter((r) => r.status === 'fulfilled').length;
    expect(stored).toBeGreaterThan(0);
    expect(stored).toBeLessThan(40);
    expect(settled.slice(0, stored).every((r) => r.status === 'fulfilled')).toBe(true);
    for (const r of settled.slice(stored)) expect((r as PromiseRejectedResult).reason).toBeInstanceOf(StorageError);
    expect(log.lastSeq('a')).toBe(stored);
    await log.flush();
    expect((await log.readForward('a', 0, 100)).messages.map((m) => m.seq)).toEqual(range(1, stored));

    await rm(filler);
    const again = await Promise.all(range(stored + 1, stored + 5).map((n) => log.append('a', bigDraft(n))));
    expect(again.map((r) => r.message.seq)).toEqual(range(stored + 1, stored + 5));
    await log.close();
    const reopened = await MessageLog.open({ dir, segmentBytes: 6000, warn: () => undefined });
    expect(reopened.lastSeq('a')).toBe(stored + 5);
    expect((await reopened.readForward('a', 0, 100)).messages.map((m) => m.seq)).toEqual(range(1, stored + 5));
    await reopened.close();
    await rm(dir, { recursive: true });
  });
});
