import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { writeRegistry } from '../fixtures/roostRegistry';
import { describeFilesConfig, type FilesConfig } from '../files/filesConfig';
import type { FileResults } from '../files/FileResults';
import { hubFileServer, startPeer, stopPeer, type FileServer } from '../files/fileServers';
import { HubFileClient } from '../files/hubFileClient';
import { measureImageCatchUp } from '../files/imageCatchUp';
import { measureThroughput } from '../files/throughput';
import type { Credentials } from '../ipc/messages';
import { startServer, stopServer, type ServerProcess } from '../processes';

/** Every file message goes to the default room, of which every user is a member. */
const CONVERSATION_ID = 'general';

/**
 * File transfer (appendix F) on loopback over HTTPS: the hub as shipped (serverMain, kind roost) and a plain
 * Node HTTPS server (peerServerMain.ts), each in a process of its own, one client here for both. First the
 * large file's upload and download throughput, then a second device's catch-up on messages with images.
 */
export async function measureFiles(
  config: FilesConfig,
  results: FileResults,
  tempDir: string,
  log: (line: string) => void,
): Promise<void> {
  log(`  ${describeFilesConfig(config)}`);
  const root = path.join(tempDir, 'files');
  const dataDir = path.join(root, 'hub');
  const peerDir = path.join(root, 'peer');
  const workDir = path.join(root, 'work');
  for (const dir of [peerDir, workDir]) await mkdir(dir, { recursive: true });
  const { devices } = await writeRegistry(dataDir, { devices: 2 });
  const [alice, bob] = devices as [Credentials, Credentials];

  let hubProcess: ServerProcess | undefined;
  let peer: FileServer | undefined;
  let sender: HubFileClient | undefined;
  try {
    hubProcess = await startServer('roost', dataDir);
    peer = await startPeer(peerDir);
    const identity = hubProcess.identity;
    if (!identity) throw new Error('the hub reported no identity');
    const hub = hubFileServer(hubProcess);
    sender = await HubFileClient.connect(hub.port, identity, alice);
    const shared = { config, results, hub, peer, conversationId: CONVERSATION_ID, log };
    await measureThroughput({ ...shared, peerDir, workDir, device: sender });
    await measureImageCatchUp({ ...shared, hubIdentity: identity, sender, receiver: bob });
  } finally {
    sender?.close();
    if (peer) await stopPeer(peer);
    if (hubProcess) await stopServer(hubProcess);
  }
}
