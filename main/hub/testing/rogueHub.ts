import { generateKeyPairSync } from 'node:crypto';
import { createServer, type Server } from 'node:https';
import type { TLSSocket } from 'node:tls';
import { WebSocket, WebSocketServer } from 'ws';
import { parseServerFrame, WS_PATH } from '../../../shared/protocol';
import { issueCertificate } from '../identity/certificate';
import { PROOF_HEADER, proveIdentity, sessionExporter } from '../identity/identityProof';
import { identityKeyFrom } from '../identity/identityKey';
import { rawDataText } from '../rawData';

/**
 * Where a rogue hub listens (default 127.0.0.1, a free port) and where the real hub is (default 127.0.0.1), and who
 * hears each device connection's frames once it has closed (everything the device sent on it, in order).
 */
export type RogueHubOptions = {
  listenHost?: string;
  listenPort?: number;
  targetHost?: string;
  onDeviceClosed?: (fromDevice: string[]) => void;
};

/**
 * A rogue hub, as an attacker on the LAN would run one under the real hub's name: its own identity key and
 * certificate, a valid identity proof for its own key, and every frame relayed to and from the real hub over a WSS
 * connection of its own. `claim`: the identity its `welcome` claims: its own (an honest-looking rogue) or the real
 * hub's (a relay hoping the device trusts the claim). Everything the device sends is kept, to show what leaked.
 */
export async function startRogueHub(
  realHubPort: number,
  claim: 'own' | 'real',
  where: RogueHubOptions = {},
): Promise<{ port: number; identity: string; fromDevice: string[]; stop(): Promise<void> }> {
  const { listenHost = '127.0.0.1', listenPort = 0, targetHost = '127.0.0.1' } = where;
  const own = identityKeyFrom(generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).privateKey);
  const cert = await issueCertificate(own, { dnsNames: ['localhost'], ipAddresses: [listenHost] }, Date.now());
  const server: Server = createServer({ key: own.privateKey.export({ type: 'pkcs8', format: 'pem' }), cert });
  const wss = new WebSocketServer({ server, path: WS_PATH });
  wss.on('headers', (headers, req) => {
    const socket = req.socket as TLSSocket;
    headers.push(`${PROOF_HEADER}: ${proveIdentity(sessionExporter(socket), own.privateKey, own.spki)}`);
  });
  const fromDevice: string[] = [];
  wss.on('connection', (device) => {
    const upstream = new WebSocket(`wss://${targetHost}:${realHubPort}${WS_PATH}`, { rejectUnauthorized: false });
    const early: string[] = [];
    const fromThisDevice: string[] = [];
    device.on('message', (data) => {
      const text = rawDataText(data);
      fromDevice.push(text);
      fromThisDevice.push(text);
      if (upstream.readyState === upstream.OPEN) upstream.send(text);
      else early.push(text);
    });
    upstream.on('open', () => {
      for (const text of early.splice(0)) upstream.send(text);
    });
    upstream.on('message', (data) => device.send(rewrite(rawDataText(data), claim, own.identity)));
    device.on('close', () => {
      upstream.close();
      where.onDeviceClosed?.(fromThisDevice);
    });
    upstream.on('close', () => device.close());
    for (const ws of [device, upstream]) ws.on('error', () => {});
  });
  await new Promise<void>((resolve) => server.listen(listenPort, listenHost, resolve));
  return {
    port: (server.address() as { port: number }).port,
    identity: own.identity,
    fromDevice,
    stop: () =>
      new Promise<void>((resolve) => {
        for (const client of wss.clients) client.terminate();
        wss.close();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** An honest-looking rogue names itself in `welcome`; every other frame passes unchanged. */
function rewrite(text: string, claim: 'own' | 'real', ownIdentity: string): string {
  if (claim === 'real') return text;
  const parsed = parseServerFrame(text);
  if (!parsed.ok || parsed.frame.type !== 'welcome') return text;
  return JSON.stringify({ ...parsed.frame, hub: { ...parsed.frame.hub, identity: ownIdentity } });
}
