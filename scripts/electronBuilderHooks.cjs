// Hooks electron-builder.yml names. CommonJS because electron-builder loads them with require().

/**
 * Everything the app runs is bundled into dist/ (rolldown and Vite), so the
 * production dependencies must not be copied into the package. Returning false
 * tells electron-builder that node_modules are handled outside it: it skips
 * both the native rebuild and the copy of node_modules.
 */
exports.beforeBuild = async () => false;
