import type { AppendStats, Credentials } from '../ipc/messages';
import { nowMicros, stampedText } from './clock';
import { Latencies } from './Latencies';
import { RoostClient } from './RoostClient';
import { roostSender } from './roostDialect';

export type AppendLoad = {
  port: number;
  device: Credentials;
  conversationId: string;
  mode: 'saturate' | 'fixed';
  messagesPerSec: number;
  /** Most sends awaiting their ack at once (saturate). */
  window: number;
  warmupMs: number;
  measureMs: number;
};

/**
 * Durable appends through the whole hub: `send` frames on one connection,
 * ack latency from send to durable ack. Acks of one conversation come back
 * in send order, so send times wait in a FIFO.
 */
export async function runAppendLoad(o: AppendLoad): Promise<AppendStats> {
  const { client } = await RoostClient.authenticated({ port: o.port }, o.device);
  const sender = roostSender(client, o.conversationId);
  const sentAt: number[] = [];
  let head = 0;
  let sent = 0;
  let measuring = false;
  const latencies = new Latencies();
  const send = () => {
    sentAt.push(nowMicros());
    sent += 1;
    sender.send(stampedText());
  };
  const pump = () => {
    while (o.mode === 'saturate' && sent - sender.acks < o.window) send();
  };
  sender.onAck = () => {
    const t = sentAt[head++]!;
    if (measuring) latencies.add((nowMicros() - t) / 1000);
    // Keep the FIFO from growing for the whole run.
    if (head > 100_000) {
      sentAt.splice(0, head);
      head = 0;
    }
    pump();
  };
  let timer: NodeJS.Timeout | null = null;
  if (o.mode === 'fixed') {
    const t0 = nowMicros();
    const perMicro = o.messagesPerSec / 1e6;
    timer = setInterval(() => {
      const due = Math.floor((nowMicros() - t0) * perMicro);
      while (sent < due) send();
    }, 2);
  }
  pump();
  await sleep(o.warmupMs);
  const acks0 = sender.acks;
  const sent0 = sent;
  const t0 = nowMicros();
  measuring = true;
  await sleep(o.measureMs);
  measuring = false;
  const seconds = (nowMicros() - t0) / 1e6;
  const acks = sender.acks - acks0;
  const sentInWindow = sent - sent0;
  if (timer) clearInterval(timer);
  sender.onAck = null;
  // Everything sent must be stored before the next window starts,
  // or that window shares the disk with this one's backlog.
  const deadline = Date.now() + DRAIN_MS;
  while (sender.acks < sent && Date.now() < deadline) await sleep(10);
  const unacked = sent - sender.acks;
  client.close();
  if (sender.errors > 0) throw new Error(`the hub answered ${sender.errors} sends with an error`);
  const [p50, p99] = latencies.percentiles(50, 99);
  return { seconds, acks, sent: sentInWindow, p50Ms: p50 ?? null, p99Ms: p99 ?? null, unacked };
}

const DRAIN_MS = 30_000;

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
