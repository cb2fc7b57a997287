import type { Session } from 'electron';
import type { DesktopServices } from '../desktop/DesktopServices';
import { CERT_REFUSE } from '../desktop/certificatePin';

/**
 * Routes every certificate verification of the renderer's session through the desktop's pin check
 * (main/desktop/certificatePin.ts, HubPinGuard.ts): the joined hub's certificate by its pinned identity,
 * any other host by Chromium. Chromium caches each answer (and keeps connections open), so whenever the pin
 * changes (a hub joined, re-joined with another identity, forgotten, a refused one forgotten), the check is
 * installed again and open connections dropped: nothing accepted under the old pin survives it.
 */
export function installHubPinCheck(ses: Session, services: DesktopServices): () => void {
  const install = () =>
    ses.setCertificateVerifyProc((request, callback) => {
      services.verifyCertificate(request).then(callback, () => callback(CERT_REFUSE));
    });
  install();
  return services.onPinChange(() => {
    install();
    void ses.closeAllConnections();
  });
}
