import { request, type IncomingHttpHeaders } from 'node:http';

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
