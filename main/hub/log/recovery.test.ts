import { appendFile, mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MessageLog } from './MessageLog';
import { collectWarnings, draft, fileLines, makeTempDir, range, removeDir, segmentFiles } from './testSupport';

let dir: string;
beforeEach(async () => {
  dir = await makeTempDir();
});
afterEach(async () => {
  await removeDir(dir);
});

const FIRST = '000000000001';

async function writeMessages(
  count: number,
  options: { segmentBytes?: number; indexInterval?: number } = {},
): Promise<void> {
  const log = await MessageLog.open({ dir, ...options });
  for (const n of range(1, count)) await log.append('a', draft(n));
  await log.close();
}

/** Byte offset where line `lineNumber` (1-based) of a file starts. */
async function lineOffset(path: string, lineNumber: number): Promise<number> {
  const lines = (await readFile(path, 'utf8')).split('\n');
  return lines.slice(0, lineNumber - 1).reduce((sum, line) => sum + Buffer.byteLength(line) + 1, 0);
}

/** Overwrites line `lineNumber` with the same number of bytes of junk, keeping every newline where it was. */
async function garbleLine(path: string, lineNumber: number): Promise<number> {
  const lines = (await readFile(path, 'utf8')).split('\n');
  const offset = await lineOffset(path, lineNumber);
  lines[lineNumber - 1] = 'x'.repeat(Buffer.byteLength(lines[lineNumber - 1]!));
  await writeFile(path, lines.join('\n'));
  return offset;
}

describe('torn tail after a crash', () => {
  it.each([
    ['garbage without a newline', '\u0000\u0000\u0000garbage'],
    ['a partial JSON line', '{"s":6,"i":"msg-000006","u":"ali'],
    ['an unparsable final line with its newline', '{"s":6,"i":"msg-0000\u0000\u0000\n'],
  ])('drops %s, warns once and continues with the right seq', async (_name, junk) => {
    await writeMessages(5);
    const data = join(dir, 'a', `${FIRST}.jsonl`);
    const cleanSize = (await stat(data)).size;
    await appendFile(data, junk);

    const warnings = collectWarnings();
    const log = await MessageLog.open({ dir, warn: warnings.warn });
    expect(warnings.messages).toHaveLength(1);
    expect(warnings.messages[0]).toContain(data);
    expect(warnings.messages[0]).toContain(`byte ${cleanSize}`);
    expect(log.lastSeq('a')).toBe(5);
    expect((await stat(data)).size).toBe(cleanSize);
    expect((await log.append('a', draft(6))).message.seq).toBe(6);
    await log.close();

    const again = collectWarnings();
    const reopened = await MessageLog.open({ dir, warn: again.warn });
    expect(again.messages).toEqual([]);
    expect((await reopened.readForward('a', 0, 100)).messages.map((m) => m.seq)).toEqual(range(1, 6));
    await reopened.close();
  });

  it('keeps an empty segment whose only line was torn, and refills it from its first seq', async () => {
    await writeMessages(30, { segmentBytes: 500 });
    const files = await segmentFiles(join(dir, 'a'), 'jsonl');
    const lastFile = join(dir, 'a', files[files.length - 1]!);
    const lastFirstSeq = Number(files[files.length - 1]!.slice(0, 12));
    await writeFile(lastFile, '{"s":');
    await rm(lastFile.replace('.jsonl', '.idx'));

    const warnings = collectWarnings();
    const log = await MessageLog.open({ dir, segmentBytes: 500, warn: warnings.warn });
    expect(warnings.messages.some((m) => m.includes('torn'))).toBe(true);
    expect(log.lastSeq('a')).toBe(lastFirstSeq - 1);
    expect((await log.append('a', draft(1000))).message.seq).toBe(lastFirstSeq);
    expect((await log.readBackward('a', lastFirstSeq + 1, 3)).messages.map((m) => m.seq)).toEqual(
      range(lastFirstSeq - 2, lastFirstSeq),
    );
    await log.close();
  });
});

describe('corruption', () => {
  /** Refused with a message naming what is wrong and what to do; every other conversation is served. */
  async function expectOnlyARefused(log: MessageLog, ...mentions: string[]): Promise<string> {
    const refusals = log.refusals();
    expect(refusals.map((r) => r.conversationId)).toEqual(['a']);
    const message = refusals[0]!.message;
    for (const text of [...mentions, 'Restore', 'restart the hub']) expect(message).toContain(text);
    await expect(log.append('a', draft(100))).rejects.toMatchObject({ code: 'LOG_CORRUPT', message });
    await expect(log.readForward('a', 0, 10)).rejects.toMatchObject({ code: 'LOG_CORRUPT', message });
    await expect(log.readBackward('a', 5, 10)).rejects.toMatchObject({ code: 'LOG_CORRUPT', message });
    expect((await log.append('b', draft(4))).message.seq).toBe(4);
    return message;
  }

  async function writeTwoConversations(count: number, options: { segmentBytes?: number } = {}): Promise<void> {
    const log = await MessageLog.open({ dir, ...options });
    for (const n of range(1, count)) await log.append('a', draft(n));
    for (const n of range(1, 3)) await log.append('b', draft(n));
    await log.close();
  }

  it('refuses only the conversation with a bad line inside its last segment, saying where and what to do', async () => {
    await writeTwoConversations(10);
    const data = join(dir, 'a', `${FIRST}.jsonl`);
    const offset = await garbleLine(data, 5);
    const size = (await stat(data)).size;
    const log = await MessageLog.open({ dir, warn: () => undefined });
    const message = await expectOnlyARefused(log, `${data} at byte ${offset}`, `truncate -s ${offset} ${data}`);
    expect(message).toContain('unparsable line, followed by more data');
    // Nothing is cut or invented: the file is as it was, and devices keep what they hold.
    expect((await stat(data)).size).toBe(size);
    expect(log.lastSeq('a')).toBe(10);
    await log.close();
  });

  it('refuses a conversation with a line whose seq breaks the sequence', async () => {
    await writeTwoConversations(4);
    const data = join(dir, 'a', `${FIRST}.jsonl`);
    await appendFile(data, `${JSON.stringify({ s: 9, i: 'msg-x1234567', u: 'alice', d: 'dev', t: 1, x: 'skip' })}\n`);
    const log = await MessageLog.open({ dir, warn: () => undefined });
    await expectOnlyARefused(log, 'expected seq 5, found seq 9');
    await log.close();
  });

  it('refuses a conversation with a line that parses as JSON but is not a stored message', async () => {
    await writeTwoConversations(3);
    const data = join(dir, 'a', `${FIRST}.jsonl`);
    const lines = await fileLines(data);
    const second = JSON.parse(lines[1]!) as Record<string, unknown>;
    lines[1] = JSON.stringify({ ...second, t: 'yesterday' });
    await writeFile(data, `${lines.join('\n')}\n`);
    const log = await MessageLog.open({ dir, warn: () => undefined });
    await expectOnlyARefused(log, data);
    await log.close();
  });

  it('refuses a conversation whose only segment was deleted (its .idx left), never restarting at seq 1', async () => {
    await writeTwoConversations(5);
    const data = join(dir, 'a', `${FIRST}.jsonl`);
    await rm(data);
    const log = await MessageLog.open({ dir, warn: () => undefined });
    await expectOnlyARefused(log, `${data} at byte 0: missing`);
    expect(log.lastSeq('a')).toBe(5);
    await log.close();
  });

  it('refuses a conversation whose first segment was deleted, instead of serving it from the later ones', async () => {
    await writeTwoConversations(30, { segmentBytes: 500 });
    const files = await segmentFiles(join(dir, 'a'), 'jsonl');
    expect(files.length).toBeGreaterThan(2);
    await rm(join(dir, 'a', files[0]!));
    await rm(join(dir, 'a', files[0]!.replace('.jsonl', '.idx')));
    const log = await MessageLog.open({ dir, segmentBytes: 500, warn: () => undefined });
    await expectOnlyARefused(log, join(dir, 'a', `${FIRST}.jsonl`), "the conversation's first segment");
    await log.close();
  });

  it('refuses a conversation whose whole folder is gone when usage.json counted its messages', async () => {
    await writeTwoConversations(5);
    await rm(join(dir, 'a'), { recursive: true });
    const log = await MessageLog.open({ dir, warn: () => undefined });
    await expectOnlyARefused(log, `it had messages up to seq 5 (${join(dir, 'usage.json')} counted them)`);
    expect(log.lastSeq('a')).toBe(5);
    await log.close();
  });

  it('refuses a conversation without files that the caller knows had messages (requireHistory)', async () => {
    await writeTwoConversations(5);
    await rm(join(dir, 'a'), { recursive: true });
    await rm(join(dir, 'usage.json'));
    const log = await MessageLog.open({ dir, warn: () => undefined });
    expect(log.refusals()).toEqual([]);
    expect(log.requireHistory('b', 3, 'receipts')).toBeNull();
    expect(log.requireHistory('never-written', 0, 'receipts')).toBeNull();
    const message = log.requireHistory('a', 4, 'the registry has receipts up to it');
    expect(message).toContain('it had messages up to seq 4 (the registry has receipts up to it)');
    await expectOnlyARefused(log, join(dir, 'a'));
    expect(log.lastSeq('a')).toBe(4);
    await log.close();
  });

  it('starts a lost conversation over once the operator leaves an empty first segment, as told', async () => {
    await writeTwoConversations(5);
    await rm(join(dir, 'a'), { recursive: true });
    const refused = await MessageLog.open({ dir, warn: () => undefined });
    expect(refused.refusals()[0]?.message).toContain(`holding one empty file ${join(dir, 'a', `${FIRST}.jsonl`)}`);
    await refused.close();

    await mkdir(join(dir, 'a'));
    await writeFile(join(dir, 'a', `${FIRST}.jsonl`), '');
    const log = await MessageLog.open({ dir, warn: () => undefined });
    expect(log.refusals()).toEqual([]);
    expect(log.requireHistory('a', 5, 'receipts')).toBeNull();
    expect((await log.append('a', draft(1))).message.seq).toBe(1);
    await log.close();
  });

  it('does not read sealed segments on open: damage there surfaces on the read that reaches it', async () => {
    await writeMessages(60, { segmentBytes: 600, indexInterval: 4 });
    const files = await segmentFiles(join(dir, 'a'), 'jsonl');
    expect(files.length).toBeGreaterThan(3);
    const sealed = join(dir, 'a', files[0]!);
    const offset = await garbleLine(sealed, 2);

    const log = await MessageLog.open({ dir, segmentBytes: 600, indexInterval: 4 });
    expect(log.lastSeq('a')).toBe(60);
    expect((await log.readBackward('a', 61, 10)).messages.map((m) => m.seq)).toEqual(range(51, 60));
    await expect(log.readForward('a', 0, 10)).rejects.toMatchObject({
      code: 'LOG_CORRUPT',
      message: expect.stringContaining(`${sealed} at byte ${offset}`),
    });
    await log.close();
  });
});

describe('sparse index repair', () => {
  const options = { segmentBytes: 700, indexInterval: 4 };

  async function indexFiles(): Promise<Map<string, string>> {
    const files = new Map<string, string>();
    for (const name of await segmentFiles(join(dir, 'a'), 'idx'))
      files.set(name, await readFile(join(dir, 'a', name), 'utf8'));
    return files;
  }

  async function expectAllReadable(log: MessageLog, count: number): Promise<void> {
    expect(log.lastSeq('a')).toBe(count);
    for (const after of range(0, count - 1)) {
      expect((await log.readForward('a', after, 3)).messages.map((m) => m.seq)).toEqual(
        range(after + 1, Math.min(count, after + 3)),
      );
    }
  }

  it('rebuilds every missing .idx on open, to the same content', async () => {
    await writeMessages(50, options);
    const original = await indexFiles();
    expect(original.size).toBeGreaterThan(2);
    for (const name of original.keys()) await rm(join(dir, 'a', name));

    const warnings = collectWarnings();
    const log = await MessageLog.open({ dir, ...options, warn: warnings.warn });
    expect(warnings.messages.filter((m) => m.includes('rebuilding index'))).toHaveLength(original.size);
    await expectAllReadable(log, 50);
    await log.close();
    expect(await indexFiles()).toEqual(original);
  });

  it.each([
    ['malformed', 'not an index\n'],
    ['torn', '1 0\n5 1'],
    ['pointing beyond the data', '1 0\n5 999999\n'],
  ])('rebuilds a %s .idx on open', async (_name, content) => {
    await writeMessages(50, options);
    const original = await indexFiles();
    for (const name of original.keys()) await writeFile(join(dir, 'a', name), content);
    const log = await MessageLog.open({ dir, ...options, warn: () => undefined });
    await expectAllReadable(log, 50);
    await log.close();
    expect(await indexFiles()).toEqual(original);
  });

  it('rebuilds an .idx whose offsets miss their seqs: the active one on open, a sealed one on first read', async () => {
    await writeMessages(50, options);
    const original = await indexFiles();
    const names = [...original.keys()];
    const shift = (text: string): string =>
      text
        .split('\n')
        .filter(Boolean)
        .map((line, i) => (i === 0 ? line : line.replace(/ (\d+)$/, (_m, offset: string) => ` ${Number(offset) + 3}`)))
        .join('\n')
        .concat('\n');
    await writeFile(join(dir, 'a', names[0]!), shift(original.get(names[0]!)!));
    const active = names[names.length - 1]!;
    const activeFirst = Number(active.slice(0, 12));
    // Structurally fine (ascending, inside the file) but the offset lands mid-line.
    await writeFile(join(dir, 'a', active), `${activeFirst} 0\n${activeFirst + 1} 3\n`);

    const warnings = collectWarnings();
    const log = await MessageLog.open({ dir, ...options, warn: warnings.warn });
    expect(warnings.messages).toHaveLength(1);
    expect(warnings.messages[0]).toContain(active);
    await expectAllReadable(log, 50);
    expect(warnings.messages).toHaveLength(2);
    expect(warnings.messages[1]).toContain(names[0]);
    await log.close();
    expect(await indexFiles()).toEqual(original);
  });

  it('adds index entries the crash kept out of the .idx', async () => {
    await writeMessages(50, options);
    const original = await indexFiles();
    const active = [...original.keys()].pop()!;
    await writeFile(join(dir, 'a', active), original.get(active)!.split('\n')[0] + '\n');
    const warnings = collectWarnings();
    const log = await MessageLog.open({ dir, ...options, warn: warnings.warn });
    expect(warnings.messages).toEqual([]);
    await log.close();
    expect(await indexFiles()).toEqual(original);
  });
});
