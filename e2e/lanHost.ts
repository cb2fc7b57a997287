/**
 * A host name the chromium project's browser resolves to 127.0.0.1 (playwright.config.ts). A page at
 * http://127.0.0.1 or http://localhost is a secure context, one at a LAN address is not: at this name, a hub's
 * http:// page is what a LAN device gets, without WebCrypto. Hubs that serve it list it in allowedHosts.
 */
export const LAN_HOST = 'roost-lan.test';

/** Chromium's switch that makes LAN_HOST 127.0.0.1, for this browser only (no DNS or hosts file is touched). */
export const LAN_HOST_RULE = `--host-resolver-rules=MAP ${LAN_HOST} 127.0.0.1`;
