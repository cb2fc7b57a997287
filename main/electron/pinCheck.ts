import type { Session } from 'electron';
import type { DesktopServices } from '../desktop/DesktopServices';
import { CERT_REFUSE } from '../desktop/certificatePin';

/**
 * Routes every certificate verification of the renderer's session through the desktop's pin check
 * (main/desktop/certificatePin.ts, HubPinGuard.ts): the joined hub's certificate by its pinned identity,
 * any other host by Chromium. Chromium caches each answer, so once the person has forgotten a refused hub
 * (trust back to `ok`), the check is installed again and open connections dropped: the new pin is asked anew.
 */
export function installHubPinCheck(ses: Session, services: DesktopServices): () => void {
  const install = () =>
    ses.setCertificateVerifyProc((request, callback) => {
      services.verifyCertificate(request).then(callback, () => callback(CERT_REFUSE));
    });
  install();
  return services.on('hubTrust', (trust) => {
    if (trust.state !== 'ok') return;
    install();
    void ses.closeAllConnections();
  });
}
