import { MessageLog } from './MessageLog';

/**
 * Child process for crash.test.ts: appends to one conversation forever,
 * keeping many appends in flight, and prints "ack <seq> <clientMsgId>" for
 * each one the log resolved. The test SIGKILLs it mid-stream.
 */
const dir = process.argv[2];
if (!dir) throw new Error('usage: crashWriter.fixture.ts <dir>');
const log = await MessageLog.open({ dir, segmentBytes: 16 * 1024, indexInterval: 8 });
let next = log.lastSeq('crash') + 1;

function appendOne(): void {
  const n = next++;
  void log
    .append('crash', {
      clientMsgId: `crash-${String(n).padStart(8, '0')}`,
      senderUserId: 'writer',
      senderDeviceId: 'child',
      text: `message ${n} `.padEnd(200, '.'),
    })
    .then((r) => {
      process.stdout.write(`ack ${r.message.seq} ${r.message.clientMsgId}\n`);
      appendOne();
    });
}
for (let i = 0; i < 64; i++) appendOne();
