import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

/**
 * The web client (renderer/). The hub serves the build at `/` under a strict
 * Content-Security-Policy (main/hub/staticFiles.ts): no inline scripts or
 * styles, so the build must reference every script and stylesheet as a file.
 */
export default defineConfig({
  root: fileURLToPath(new URL('./renderer', import.meta.url)),
  base: '/',
  plugins: [react()],
  build: {
    outDir: fileURLToPath(new URL('./dist/renderer', import.meta.url)),
    emptyOutDir: true,
    // The polyfill would be an inline script, which the CSP refuses; every browser we target has modulepreload.
    modulePreload: { polyfill: false },
    // Fonts and images stay files ('self'); nothing is worth a data: URL.
    assetsInlineLimit: 0,
    target: 'es2022',
  },
});
