import { request, type IncomingHttpHeaders } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { PeerCertificate, TLSSocket } from 'node:tls';
import { checkIdentityProof, PROOF_HEADER, sessionExporter, type ProofCheck } from '../identity/identityProof';

export type HttpAnswer = { status: number; headers: IncomingHttpHeaders; body: string };

/** A plain GET to a test hub on loopback, with the whole body as text. */
export function httpGet(port: number, path: string, headers: Record<string, string> = {}): Promise<HttpAnswer> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, headers }, (res) => {
      let body = '';
      res.on('data', (d) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

/**
 * A GET over TLS to a test hub on loopback, with what a native client checks: the identity proof against
 * this session (and `pin`). The certificate is checked only when `ca` is given.
 */
export function httpsGet(
  port: number,
  path: string,
  options: { headers?: Record<string, string>; pin?: string; ca?: string; servername?: string } = {},
): Promise<HttpAnswer & { proof: ProofCheck; peerCertificate: PeerCertificate }> {
  return new Promise((resolve, reject) => {
    const req = httpsRequest(
      {
        host: '127.0.0.1',
        port,
        path,
        headers: options.headers,
        agent: false,
        ca: options.ca,
        servername: options.servername,
        rejectUnauthorized: options.ca !== undefined,
      },
      (res) => {
        const socket = res.socket as TLSSocket;
        const proof = checkIdentityProof(res.headers[PROOF_HEADER], sessionExporter(socket), options.pin);
        const peerCertificate = socket.getPeerCertificate();
        let body = '';
        res.on('data', (d) => (body += d));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body, proof, peerCertificate }),
        );
      },
    );
    req.on('error', reject);
    req.end();
  });
}
