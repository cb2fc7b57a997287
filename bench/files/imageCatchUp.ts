import { createHash } from 'node:crypto';
import type { Agent } from 'node:https';
import { fileDownloadPath, LIMITS } from '../../shared/protocol';
import type { Credentials } from '../ipc/messages';
import { connectMany } from '../loadgen/Dialect';
import type { FilesConfig } from './filesConfig';
import type { FileResults, FileSide } from './FileResults';
import type { FileServer } from './fileServers';
import { downloadHashed, httpsCall, loopbackAgent } from './httpsClient';
import { HubFileClient } from './hubFileClient';
import { benchImage, type BenchImage } from './pattern';
import { within } from './within';

export type ImageCatchUpContext = {
  config: FilesConfig;
  results: FileResults;
  hub: FileServer;
  hubIdentity: string;
  peer: FileServer;
  /** User A's device, connected: it sends the images. */
  sender: HubFileClient;
  /** A device of another user, B, which connects only after the images are sent. */
  receiver: Credentials;
  conversationId: string;
  log: (line: string) => void;
};

/** Bounds each phase: sending every image, and each run's catch-up. */
const PHASE_TIMEOUT_MS = 180_000;

type Download = { path: string; sha256: string };

/**
 * A second device catching up on images: A sends `count` messages of one image each, then B (another user)
 * connects, catches up with forward pages and downloads every image, `concurrency` at a time over keep-alive
 * connections, as a browser does. Timed from B's `auth` to the last page (messages alone) and to the last
 * image (all). The peer serves the same images, `concurrency` at a time, for the downloads alone.
 */
export async function measureImageCatchUp(ctx: ImageCatchUpContext): Promise<void> {
  const { config, results } = ctx;
  const { count, minBytes, maxBytes, concurrency } = config.images;
  defineMetrics(config, results);
  const images = Array.from({ length: count }, (_, i) => benchImage(i, count, minBytes, maxBytes));
  const { cursor, ms } = await within(PHASE_TIMEOUT_MS, 'sending the images', sendImages(ctx, images));
  results.add('images.send', 'hub', ms);
  ctx.log(`  A uploaded and sent ${count} images (${concurrency} at a time) in ${ms.toFixed(0)} ms`);
  const peerImages = images.map((image, i) => ({ path: peerPath(i), sha256: sha256Of(image.bytes) }));

  for (let run = 1; run <= config.images.runs; run++) {
    const sides: FileSide[] = run % 2 === 1 ? ['hub', 'peer'] : ['peer', 'hub'];
    for (const side of sides) {
      if (side === 'hub') {
        const timed = await within(PHASE_TIMEOUT_MS, `catch-up run ${run}`, hubCatchUp(ctx, cursor));
        results.add('images.messages', 'hub', timed.messagesMs);
        results.add('images.total', 'hub', timed.totalMs);
        results.add('images.downloads', 'hub', timed.downloadsMs);
        ctx.log(
          `  run ${run} B caught up on ${count} messages in ${timed.messagesMs.toFixed(0)} ms, with their images ` +
            `in ${timed.totalMs.toFixed(0)} ms (downloads alone ${timed.downloadsMs.toFixed(0)} ms)`,
        );
      } else {
        const agent = loopbackAgent(concurrency);
        try {
          const t0 = performance.now();
          await within(PHASE_TIMEOUT_MS, `peer images run ${run}`, downloadAll(agent, ctx.peer.port, peerImages, {}));
          const downloadsMs = performance.now() - t0;
          results.add('images.downloads', 'peer', downloadsMs);
          ctx.log(`  run ${run} peer served the ${count} images in ${downloadsMs.toFixed(0)} ms`);
        } finally {
          agent.destroy();
        }
      }
    }
  }
}

/**
 * A uploads each image (tus: POST and one PATCH) and sends it in a message of its own, `concurrency` at a time;
 * the same bytes go to the peer (untimed). Resolves with the seq before the first image message.
 */
async function sendImages(ctx: ImageCatchUpContext, images: BenchImage[]): Promise<{ cursor: number; ms: number }> {
  const { concurrency, count } = ctx.config.images;
  const agent = loopbackAgent(concurrency);
  try {
    const signal = AbortSignal.timeout(PHASE_TIMEOUT_MS);
    const session = await ctx.sender.openSession(agent, signal);
    const t0 = performance.now();
    const seqs = await connectMany(images.length, concurrency, async (i) => {
      const image = images[i]!;
      const o = { agent, session, signal, chunkBytes: ctx.config.chunkBytes };
      const uploadId = await ctx.sender.upload(o, image.bytes);
      const { name, width, height } = image;
      const attachment = {
        uploadId,
        sha256: sha256Of(image.bytes),
        name,
        size: image.bytes.length,
        type: 'image/png',
        image: { width, height },
      };
      return ctx.sender.send(ctx.conversationId, [attachment]);
    });
    const ms = performance.now() - t0;
    const cursor = Math.min(...seqs) - 1;
    if (Math.max(...seqs) - cursor !== count) throw new Error(`the image messages are not contiguous: ${seqs.join()}`);
    await connectMany(images.length, concurrency, async (i) => {
      const put = await httpsCall({
        agent,
        port: ctx.peer.port,
        method: 'PUT',
        path: peerPath(i),
        headers: { 'Content-Length': images[i]!.bytes.length },
        body: images[i]!.bytes,
        signal,
      });
      if (put.status !== 201) throw new Error(`peer PUT ${peerPath(i)}: ${put.status}`);
    });
    return { cursor, ms };
  } finally {
    agent.destroy();
  }
}

/** B connects, catches up from `cursor`, opens a file session and downloads every image; all of it timed from auth. */
async function hubCatchUp(ctx: ImageCatchUpContext, cursor: number) {
  const { count, concurrency } = ctx.config.images;
  const prepared = await HubFileClient.prepare(ctx.hub.port, ctx.hubIdentity, ctx.receiver);
  const agent = loopbackAgent(concurrency);
  try {
    const t0 = performance.now();
    const device = await prepared.authenticate();
    const messages = await device.catchUp(ctx.conversationId, cursor, LIMITS.maxPageSize);
    const messagesMs = performance.now() - t0;
    const downloads: Download[] = messages.map((m) => {
      const attachment = m.attachments?.[0];
      if (!attachment || attachment.type !== 'image/png' || !attachment.image)
        throw new Error(`message ${m.seq} has no image: ${JSON.stringify(m).slice(0, 300)}`);
      return { path: fileDownloadPath(ctx.conversationId, m.seq, 0), sha256: attachment.sha256 };
    });
    if (downloads.length !== count) throw new Error(`caught up on ${downloads.length} messages, expected ${count}`);
    const session = await device.openSession(agent, AbortSignal.timeout(PHASE_TIMEOUT_MS));
    const t1 = performance.now();
    await downloadAll(agent, ctx.hub.port, downloads, { Authorization: `Roost-Session ${session}` }, 'image/png');
    const t2 = performance.now();
    return { messagesMs, totalMs: t2 - t0, downloadsMs: t2 - t1 };
  } finally {
    agent.destroy();
    prepared.close();
  }
}

/** Every file, `agent`'s maxSockets at a time, each checked against its hash (and, given, its served type). */
async function downloadAll(
  agent: Agent,
  port: number,
  downloads: Download[],
  headers: Record<string, string>,
  contentType?: string,
): Promise<void> {
  const signal = AbortSignal.timeout(PHASE_TIMEOUT_MS);
  await connectMany(downloads.length, agent.maxSockets, async (i) => {
    const { path, sha256 } = downloads[i]!;
    const got = await downloadHashed({ agent, port, path, headers, signal });
    if (got.status !== 200 || got.sha256 !== sha256 || (contentType && got.contentType !== contentType))
      throw new Error(`GET ${path}: ${got.status} ${got.contentType}, SHA-256 ${got.sha256}, expected ${sha256}`);
  });
}

function peerPath(index: number): string {
  return `/files/image-${index}`;
}

function sha256Of(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

function defineMetrics(config: FilesConfig, results: FileResults): void {
  const { count, concurrency } = config.images;
  results.define({
    id: 'images.send',
    label: `A: upload and send ${count} images, ${concurrency} at a time`,
    unit: 'ms',
    better: 'lower',
  });
  results.define({
    id: 'images.messages',
    label: `B: catch-up of ${count} image messages, messages alone (from auth)`,
    unit: 'ms',
    better: 'lower',
  });
  results.define({
    id: 'images.total',
    label: `B: catch-up with all ${count} images (from auth, incl. file session)`,
    unit: 'ms',
    better: 'lower',
  });
  results.define({
    id: 'images.downloads',
    label: `B: the ${count} image downloads alone, ${concurrency} at a time`,
    unit: 'ms',
    better: 'lower',
  });
}
