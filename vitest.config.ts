import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: [
      'main/**/*.test.ts',
      'shared/**/*.test.ts',
      'scripts/**/*.test.ts',
      'bench/**/*.test.ts',
      'renderer/**/*.test.{ts,tsx}',
    ],
    // Integration tests start real hubs and child processes; two cores are shared by all of them.
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
  },
});
