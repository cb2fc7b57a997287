import { X509Certificate } from 'node:crypto';
import { connect } from 'node:tls';

/** The certificate a TLS server on 127.0.0.1:port presents, as PEM (what Electron hands its verify proc). */
export function presentedCertificate(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port, rejectUnauthorized: false }, () => {
      resolve(new X509Certificate(socket.getPeerCertificate().raw).toString());
      socket.destroy();
    });
    socket.on('error', reject);
  });
}
