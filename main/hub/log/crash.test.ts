import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MessageLog } from './MessageLog';
import { collectWarnings, makeTempDir, range, removeDir } from './testSupport';

let dir: string;
beforeEach(async () => {
  dir = await makeTempDir();
});
afterEach(async () => {
  await removeDir(dir);
});

const fixture = fileURLToPath(new URL('./crashWriter.fixture.ts', import.meta.url));

/** Runs the writer until it has acknowledged `acks` messages, then SIGKILLs it. Returns what it acknowledged. */
async function killMidStream(acks: number): Promise<Map<number, string>> {
  const child = spawn(process.execPath, ['--import', 'tsx', fixture, dir], { stdio: ['ignore', 'pipe', 'inherit'] });
  const acked = new Map<number, string>();
  const exited = new Promise<NodeJS.Signals | null>((resolve) =>
    child.once('exit', (_code, signal) => resolve(signal)),
  );
  for await (const line of createInterface({ input: child.stdout })) {
    const [, seq, clientMsgId] = line.split(' ');
    acked.set(Number(seq), clientMsgId!);
    if (acked.size === acks) child.kill('SIGKILL');
  }
  expect(await exited).toBe('SIGKILL');
  return acked;
}

describe('crash (SIGKILL) while appending', () => {
  it('keeps every acknowledged message, contiguous, across repeated kills', async () => {
    const allAcked = new Map<number, string>();
    for (let round = 0; round < 3; round++) {
      for (const [seq, id] of await killMidStream(300)) allAcked.set(seq, id);
      const warnings = collectWarnings();
      const log = await MessageLog.open({ dir, segmentBytes: 16 * 1024, indexInterval: 8, warn: warnings.warn });
      const lastSeq = log.lastSeq('crash');
      const maxAcked = Math.max(...allAcked.keys());
      expect(lastSeq).toBeGreaterThanOrEqual(maxAcked);
      const { messages } = await log.readForward('crash', 0, lastSeq + 10);
      expect(messages.map((m) => m.seq)).toEqual(range(1, lastSeq));
      for (const [seq, id] of allAcked) expect(messages[seq - 1]!.clientMsgId).toBe(id);
      await log.close();
    }
  });
});
